package io.spanlog.agent.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files that hold secrets: created with mode 0600 from the first byte (never readable by
 * others, not even briefly), written and forced to disk, then moved into place atomically and the
 * folder forced too, so a crash or power loss leaves the old file or the whole new one, never an
 * empty or torn key (a rename can reach the disk before the data it names).
 */
public final class SecretFiles {
  /** Where the disk is asked to keep what was written: the file's data, then the folder's entry. */
  interface Sync {
    void file(FileChannel written, Path file) throws IOException;

    void directory(Path dir) throws IOException;
  }

  private static final Sync DISK = new Sync() {
    @Override
    public void file(FileChannel written, Path file) throws IOException {
      written.force(true);
    }

    @Override
    public void directory(Path dir) throws IOException {
      // on Linux a folder opened read-only can be fsync'ed: that makes the rename durable
      try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
        channel.force(true);
      }
    }
  };

  private SecretFiles() {}

  public static void write(Path file, String content) throws IOException {
    write(file, content, DISK);
  }

  static void write(Path file, String content, Sync sync) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createPrivateDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      throw new IOException("the file system of " + dir + " cannot restrict file permissions", e);
    }
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      sync.file(channel, tmp);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    sync.directory(dir);
  }

  /** Creates missing folders with mode 0700; existing ones are left as they are. */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // created concurrently: fine
    }
  }
}
