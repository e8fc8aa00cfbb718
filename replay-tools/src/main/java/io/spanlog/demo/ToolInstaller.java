package io.spanlog.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs Debian packages with apt-get, as root, output to a log file. */
final class ToolInstaller {
  private ToolInstaller() {}

  /**
   * @return empty on success, else why it failed in one sentence
   */
  static java.util.Optional<String> install(List<String> packages, Path log) {
    try {
      if (run(List.of("apt-get", "update", "-qq"), log) != 0) {
        return java.util.Optional.of("apt-get update failed (see " + log + ")");
      }
      List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
      install.addAll(packages);
      if (run(install, log) != 0) {
        return java.util.Optional.of("apt-get install failed (see " + log + ")");
      }
      return java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.of("cannot run apt-get: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.of("interrupted while installing");
    }
  }

  private static int run(List<String> command, Path log) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = builder.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
