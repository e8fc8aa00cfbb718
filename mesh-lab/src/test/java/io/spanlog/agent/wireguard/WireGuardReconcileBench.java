package io.spanlog.agent.wireguard;

import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.agent.os.CommandResult;
import io.spanlog.agent.os.CommandRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reconcile of a 1,000-peer wireguard-go device through the userspace backend, against
 * {@code wg setconf} (and {@code wg syncconf}) of the same config on the same device in the same
 * run. The peers' endpoints have no route inside the node's namespace, so no packet leaves it;
 * only programming is measured.
 *
 * <p>Run as root: {@code ./spanlog bench wireguard [peers] [rounds]} (default 1000 7). It sits
 * in mesh-lab because it builds its node with {@link NetnsLab}.
 */
public final class WireGuardReconcileBench {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WireGuardReconcileBench() {}

  public static void main(String[] args) throws Exception {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Optional<String> unavailable = NetnsLab.unavailableReason();
    if (unavailable.isPresent()) {
      System.err.println("cannot run the bench: " + unavailable.get());
      System.exit(2);
    }
    DeviceConfig full = config(peers);
    DeviceConfig empty = full.withPeers(List.of());
    List<PeerConfig> changedPeers = new ArrayList<>(full.peers());
    PeerConfig moved = changedPeers.get(peers / 2);
    changedPeers.set(peers / 2, moved.withEndpoint(new InetSocketAddress(InetAddress.getByName("10.97.2.77"), 51820)));
    DeviceConfig oneChanged = full.withPeers(changedPeers);

    Path dir = Files.createTempDirectory("spanlog-bench-", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path fullFile = write(dir, "full.conf", full);
    Path emptyFile = write(dir, "empty.conf", empty);
    Path changedFile = write(dir, "changed.conf", oneChanged);
    CommandRunner host = CommandRunner.local();

    try (NetnsLab lab = NetnsLab.create("spbn", 1, 97);
        UserspaceWireGuardDevice device = UserspaceWireGuardDevice.open("spbn1",
            UserspaceOptions.defaults().withRunner(lab.runner(lab.node(1))))) {
      String name = device.name();
      long[] javaFull = new long[rounds];
      long[] javaOne = new long[rounds];
      long[] javaNoop = new long[rounds];
      long[] javaRead = new long[rounds];
      long[] setconfFull = new long[rounds];
      long[] setconfOne = new long[rounds];
      long[] syncconfOne = new long[rounds];
      long[] wgDump = new long[rounds];
      for (int warm = 0; warm < 3; warm++) {
        device.apply(empty);
        device.apply(full);
        device.apply(oneChanged);
        device.read();
      }
      for (int r = 0; r < rounds; r++) {
        device.apply(empty);
        javaFull[r] = time(() -> device.apply(full));
        javaOne[r] = time(() -> device.apply(oneChanged));
        javaNoop[r] = time(() -> device.apply(oneChanged));
        javaRead[r] = time(device::read);
        check(device.read().peers().size() == peers, "java apply left " + device.read().peers().size() + " peers");

        wg(host, "setconf", name, emptyFile);
        setconfFull[r] = time(() -> wg(host, "setconf", name, fullFile));
        setconfOne[r] = time(() -> wg(host, "setconf", name, changedFile));
        wg(host, "setconf", name, fullFile);
        syncconfOne[r] = time(() -> wg(host, "syncconf", name, changedFile));
        wgDump[r] = time(() -> host.check("wg", "show", name, "dump"));
        check(device.read().peer(moved.publicKey()).orElseThrow().endpoint().orElseThrow().getPort() == 51820, "endpoint");
      }
      System.out.printf("%nReconcile of a %,d-peer wireguard-go device (median of %d rounds, ms)%n%n", peers, rounds);
      System.out.printf("| %-44s | %9s | %9s | %7s |%n", "operation", "Spanlog", "wg(8)", "ratio");
      System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(11), "-".repeat(11), "-".repeat(9));
      row("full apply from empty (wg setconf)", javaFull, setconfFull);
      row("one-peer endpoint change (wg setconf)", javaOne, setconfOne);
      row("one-peer endpoint change (wg syncconf)", javaOne, syncconfOne);
      row("no change (wg syncconf as above)", javaNoop, syncconfOne);
      row("read all peers (wg show dump)", javaRead, wgDump);
      System.out.println();
      System.out.println("Spanlog = UserspaceWireGuardDevice.apply (UAPI get + minimal diff + set, one JVM, no fork);");
      System.out.println("wg(8) = a wg process reading a pre-written config file; setconf re-creates every peer.");
    } finally {
      for (Path p : List.of(fullFile, emptyFile, changedFile, dir)) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static DeviceConfig config(int peers) throws IOException {
    WireGuardSecret psk = WireGuardSecret.generatePresharedKey();
    List<PeerConfig> list = new ArrayList<>();
    for (int i = 0; i < peers; i++) {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      int hi = (i >> 8) & 0xff;
      int lo = i & 0xff;
      InetAddress v4 = InetAddress.getByAddress(new byte[] {10, (byte) 97, (byte) (100 + hi), (byte) lo});
      InetAddress v6 = InetAddress.getByName(String.format("fd5b:97::%x", i + 1));
      list.add(PeerConfig.of(WireGuardKey.of(key), psk, Optional.of(new InetSocketAddress(v4, 51820)),
          List.of(new AllowedIp(v6, 128), new AllowedIp(v4, 32))));
    }
    return new DeviceConfig(WireGuardSecret.generatePrivateKey(), 51820, 0x20, list);
  }

  private static Path write(Path dir, String name, DeviceConfig config) throws IOException {
    Path file = Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, WgTool.renderConfig(config));
    return file;
  }

  private static void wg(CommandRunner host, String verb, String name, Path file) {
    CommandResult result = host.run(List.of("wg", verb, name, file.toString()));
    check(result.succeeded(), "wg " + verb + " failed: " + result.stderr());
  }

  private static long time(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return System.nanoTime() - start;
  }

  private static void row(String what, long[] ours, long[] theirs) {
    double a = median(ours);
    double b = median(theirs);
    System.out.printf("| %-44s | %9.2f | %9.2f | %6.2fx |%n", what, a, b, a / b);
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
