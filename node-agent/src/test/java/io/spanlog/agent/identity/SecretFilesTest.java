package io.spanlog.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
  @TempDir Path dir;

  @Test
  void theDataIsForcedToDiskBeforeTheRenameAndTheFolderAfterIt() throws Exception {
    Path file = dir.resolve("node-id");
    Files.writeString(file, "old\n");
    List<String> steps = new ArrayList<>();
    SecretFiles.write(file, "new-secret\n", new SecretFiles.Sync() {
      @Override
      public void file(FileChannel written, Path tmp) throws IOException {
        steps.add("file " + tmp.getFileName() + " (" + written.size() + " bytes), target still holds "
            + Files.readString(file).strip());
        written.force(true);
      }

      @Override
      public void directory(Path folder) throws IOException {
        steps.add("folder " + folder.getFileName() + ", target holds " + Files.readString(file).strip());
      }
    });
    assertThat(steps).containsExactly(
        "file .node-id.tmp (11 bytes), target still holds old",
        "folder " + dir.getFileName() + ", target holds new-secret");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("new-secret\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(dir.resolve(".node-id.tmp")).doesNotExist();
  }

  @Test
  void theRealDiskPathWritesMode0600() throws Exception {
    Path file = dir.resolve("deep/er/key");
    SecretFiles.write(file, "k");
    assertThat(Files.readString(file)).isEqualTo("k");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
  }
}
