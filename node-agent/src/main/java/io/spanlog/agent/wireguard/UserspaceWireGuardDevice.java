package io.spanlog.agent.wireguard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wireguard-go device programmed through its UAPI socket.
 *
 * <p>{@link #open} attaches to a running wireguard-go for the interface when its socket answers
 * (an agent restart keeps the tunnels up), otherwise starts {@code wireguard-go -f <iface>} as a
 * child process, which creates the tun device in the caller's network namespace.
 *
 * <p>wireguard-go's socket folder is not separated by network namespaces: two nodes on one
 * machine need distinct interface names, or each its own mount namespace with a private
 * {@code /var/run/wireguard} (see {@code io.spanlog.agent.netns.NetnsLab} in mesh-lab).
 * Attaching to a socket whose interface is not in our namespace is refused with that
 * explanation.
 */
public final class UserspaceWireGuardDevice implements WireGuardDevice {
  private static final Logger LOG = LoggerFactory.getLogger(UserspaceWireGuardDevice.class);
  private static final int OUTPUT_LINES_KEPT = 20;

  private final String name;
  private final UapiClient uapi;
  private final IpLink link;
  private final Optional<Process> daemon;
  private final UserspaceOptions options;

  private UserspaceWireGuardDevice(
      String name, UapiClient uapi, IpLink link, Optional<Process> daemon, UserspaceOptions options) {
    this.name = name;
    this.uapi = uapi;
    this.link = link;
    this.daemon = daemon;
    this.options = options;
  }

  public static UserspaceWireGuardDevice open(String name) {
    return open(name, UserspaceOptions.defaults());
  }

  public static UserspaceWireGuardDevice open(String name, UserspaceOptions options) {
    InterfaceNames.require(name);
    Path socket = options.socketDirectory().resolve(name + ".sock");
    UapiClient uapi = new UapiClient(name, socket, options.timeout());
    IpLink link = new IpLink(options.runner(), name);
    if (Files.exists(socket) && uapi.answers()) {
      if (!link.exists()) {
        throw new WireGuardException(name + ": a wireguard-go answers on " + socket + " but there is no interface "
            + name + " in " + options.runner().where() + ". wireguard-go's socket folder is shared by all "
            + "network namespaces: give each node its own interface name, or run each node with a private "
            + options.socketDirectory() + " (its own mount namespace)");
      }
      LOG.info("{}: attached to the running wireguard-go at {}", name, socket);
      return new UserspaceWireGuardDevice(name, uapi, link, Optional.empty(), options);
    }
    if (link.exists()) {
      // not ours to take over: it may be the host's uplink, whose MTU and addresses configureLink would change
      throw new WireGuardException(name + ": an interface of that name exists in " + options.runner().where()
          + " and no wireguard-go answers for it on " + socket + "; it is left alone (set kubespan.interface to a "
          + "name of its own, or delete a stale interface with: ip link del " + name + ")");
    }
    return new UserspaceWireGuardDevice(name, uapi, link, Optional.of(start(name, uapi, options)), options);
  }

  private static Process start(String name, UapiClient uapi, UserspaceOptions options) {
    ProcessBuilder builder = options.runner().processBuilder(List.of(options.executable(), "-f", name));
    builder.environment().put("LOG_LEVEL", "error");
    builder.redirectErrorStream(true);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new WireGuardException(name + ": cannot start " + options.executable() + " (is wireguard-go installed?): "
          + e.getMessage(), e);
    }
    Deque<String> output = new ArrayDeque<>();
    Thread pump = new Thread(() -> pumpOutput(name, process, output), "wireguard-go-" + name);
    pump.setDaemon(true);
    pump.start();
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new WireGuardException(name + ": wireguard-go exited with code " + process.exitValue()
            + " during start-up: " + lastLines(output));
      }
      if (Files.exists(uapi.socket()) && uapi.answers()) {
        LOG.info("{}: started wireguard-go (pid {}) in {}", name, process.pid(), options.runner().where());
        return process;
      }
      sleep(20);
    }
    stop(process);
    throw new WireGuardException(name + ": wireguard-go did not open " + uapi.socket() + " within "
        + options.timeout().toMillis() + " ms: " + lastLines(output));
  }

  @Override
  public String name() {
    return name;
  }

  /** The wireguard-go this device started, if it did (empty when it attached). */
  public Optional<Long> daemonPid() {
    return daemon.map(Process::pid);
  }

  /** Synchronized: the diff is computed against a read, so two appliers must not interleave. */
  @Override
  public synchronized void apply(DeviceConfig config) {
    DeviceSnapshot current = uapi.get();
    Optional<String> request = DeviceDiff.setRequest(current, config);
    if (request.isPresent()) {
      uapi.set(request.get());
    }
  }

  /** One UAPI {@code set} of the edited peers; no {@code get} before it. */
  @Override
  public synchronized void edit(PeerEdits edits) {
    if (!edits.isEmpty()) {
      uapi.set(UapiProtocol.editRequest(edits));
    }
  }

  @Override
  public boolean editsPeers() {
    return true;
  }

  /**
   * Replaces the whole configuration in one request, as {@code wg setconf} does: every peer is
   * re-created and loses its session. For comparison and recovery only; {@link #apply} is the
   * reconcile.
   */
  public synchronized void replace(DeviceConfig config) {
    uapi.set(UapiProtocol.replaceRequest(config));
  }

  @Override
  public DeviceState read() {
    return uapi.get().state();
  }

  @Override
  public void configureLink(LinkConfig config) {
    link.configure(config);
  }

  public IpLink link() {
    return link;
  }

  @Override
  public void close() {
    daemon.ifPresent(process -> {
      stop(process);
      LOG.info("{}: stopped wireguard-go (pid {})", name, process.pid());
    });
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void pumpOutput(String name, Process process, Deque<String> kept) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        LOG.debug("{}: wireguard-go: {}", name, line);
        synchronized (kept) {
          kept.addLast(line);
          if (kept.size() > OUTPUT_LINES_KEPT) {
            kept.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("{}: wireguard-go output closed: {}", name, e.getMessage());
    }
  }

  private static String lastLines(Deque<String> kept) {
    synchronized (kept) {
      String text = String.join(" | ", kept).replaceAll("[│┌┐└┘─]", "").replaceAll("\\s+", " ").strip();
      return text.isEmpty() ? "(no output)" : text;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WireGuardException("interrupted while waiting for wireguard-go");
    }
  }

  @Override
  public String toString() {
    return "UserspaceWireGuardDevice[" + name + ", " + options.runner().where() + "]";
  }
}
