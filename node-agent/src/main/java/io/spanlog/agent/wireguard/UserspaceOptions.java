package io.spanlog.agent.wireguard;

import io.spanlog.agent.os.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link UserspaceWireGuardDevice} finds or starts wireguard-go.
 *
 * @param runner where {@code wireguard-go} and {@code ip} run: {@link CommandRunner#local()} for an
 *     agent inside its node's namespace, {@link CommandRunner#inNetns} for a controller outside it
 * @param socketDirectory where wireguard-go puts {@code <iface>.sock}; fixed at /var/run/wireguard
 *     in wireguard-go, but a controller may reach a private one through {@code /proc/<pid>/root}
 * @param executable the wireguard-go binary
 * @param timeout for start-up and for each UAPI exchange
 */
public record UserspaceOptions(CommandRunner runner, Path socketDirectory, String executable, Duration timeout) {

  public static final Path DEFAULT_SOCKET_DIRECTORY = Path.of("/var/run/wireguard");

  public UserspaceOptions {
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(socketDirectory, "socketDirectory");
    Objects.requireNonNull(executable, "executable");
    Objects.requireNonNull(timeout, "timeout");
  }

  public static UserspaceOptions defaults() {
    return new UserspaceOptions(CommandRunner.local(), DEFAULT_SOCKET_DIRECTORY, "wireguard-go", Duration.ofSeconds(10));
  }

  public UserspaceOptions withRunner(CommandRunner newRunner) {
    return new UserspaceOptions(newRunner, socketDirectory, executable, timeout);
  }

  public UserspaceOptions withSocketDirectory(Path directory) {
    return new UserspaceOptions(runner, directory, executable, timeout);
  }

  public UserspaceOptions withTimeout(Duration newTimeout) {
    return new UserspaceOptions(runner, socketDirectory, executable, newTimeout);
  }
}
