package io.spanlog.infra.testing;

import io.spanlog.infra.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary folders that tests create and must remove, even after a failure. */
public final class TempDirs {
  private TempDirs() {}

  public static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder", e);
    }
  }

  /** Deletes a folder and everything in it; a folder that is already gone is fine. */
  public static void deleteRecursively(Path dir) {
    Folders.deleteRecursively(dir);
  }
}
