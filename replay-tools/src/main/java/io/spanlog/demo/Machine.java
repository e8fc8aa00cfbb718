package io.spanlog.demo;

import io.spanlog.agent.os.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Probes what this machine offers for real WireGuard (read-only). */
final class Machine {
  /** The commands the namespace mesh runs, and the Debian package of each. */
  static final List<String> TOOLS = List.of("wireguard-go", "wg", "ip", "ping");

  private Machine() {}

  static BackendChoice.Machine probe() {
    List<String> missing = new ArrayList<>();
    for (String tool : TOOLS) {
      if (!CommandRunner.onPath(tool)) {
        missing.add(tool);
      }
    }
    boolean debianLike = Files.exists(Path.of("/etc/debian_version")) && CommandRunner.onPath("apt-get");
    return new BackendChoice.Machine(isRoot(), missing, debianLike, Files.exists(Path.of("/dev/net/tun")));
  }

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
