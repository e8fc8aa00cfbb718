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
  /** Join and leave decisions after the rounds, for the figure once the JIT has compiled the path. */
  private static final int STEADY_DECISIONS = 2000;

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
      AgentRows agent = agentRows(device, host, dir, peers, rounds);
      System.out.printf("%nReconcile of a %,d-peer wireguard-go device (median of %d rounds, ms)%n%n", peers, rounds);
      System.out.printf("| %-44s | %9s | %9s | %7s |%n", "operation", "Spanlog", "wg(8)", "ratio");
      System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(11), "-".repeat(11), "-".repeat(9));
      row("full apply from empty (wg setconf)", javaFull, setconfFull);
      row("one-peer endpoint change (wg setconf)", javaOne, setconfOne);
      row("one-peer endpoint change (wg syncconf)", javaOne, syncconfOne);
      row("no change (wg syncconf as above)", javaNoop, syncconfOne);
      row("read all peers (wg show dump)", javaRead, wgDump);
      row("agent: a peer joins, Watch change (wg syncconf)", agent.joinChange, agent.joinSyncconf);
      row("agent: a peer joins, whole pass = before (syncconf)", agent.joinWholePass, agent.joinSyncconf);
      row("agent: a peer leaves, Watch change (wg syncconf)", agent.leaveChange, agent.leaveSyncconf);
      System.out.println();
      System.out.println("Spanlog = UserspaceWireGuardDevice.apply (UAPI get + minimal diff + set, one JVM, no fork);");
      System.out.println("wg(8) = a wg process reading a pre-written config file; setconf re-creates every peer.");
      System.out.println("agent rows: from the new cluster view to the peer in the device. Watch change = PeerChangePass");
      System.out.println("(that peer's spec, its status step, one UAPI set of that peer, no get); whole pass = ReconcilePass");
      System.out.println("(every spec, device get, status round, diff, set), what a Watch change ran before.");
      System.out.printf("%nAgent CPU to decide a one-peer change at %,d peers (PeerChangePass.decide, thread CPU, median):"
          + " in the rounds above (first decisions of the JVM, code mostly interpreted) join %.3f ms, leave %.3f ms;"
          + " after %,d more (compiled) join %.3f ms, leave %.3f ms; whole-pass spec compute alone"
          + " (PeerSpecs.compute): %.3f ms%n",
          peers, median(agent.joinDecideCpu), median(agent.leaveDecideCpu), STEADY_DECISIONS,
          median(agent.steadyJoinCpu), median(agent.steadyLeaveCpu), median(agent.fullComputeCpu));
      System.out.printf("Memory at %,d peers: bench JVM RSS %,d KiB (heap used after GC %,d KiB, of which the agent's"
          + " state, index and view retain %,d KiB); wireguard-go RSS %,d KiB%n", peers, agent.jvmRssKib,
          agent.heapUsedKib, agent.agentStateKib, rssKib(device.daemonPid().orElse(-1L)));
    } finally {
      for (Path p : List.of(fullFile, emptyFile, changedFile, dir)) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The agent-level figures: one affiliate joins or leaves a cluster of {@code peers} nodes. */
  private static final class AgentRows {
    long[] joinChange;
    long[] joinWholePass;
    long[] joinSyncconf;
    long[] leaveChange;
    long[] leaveSyncconf;
    long[] joinDecideCpu;
    long[] leaveDecideCpu;
    long[] fullComputeCpu;
    long[] steadyJoinCpu;
    long[] steadyLeaveCpu;
    long jvmRssKib;
    long heapUsedKib;
    long agentStateKib;
  }

  private static AgentRows agentRows(UserspaceWireGuardDevice device, CommandRunner host, Path dir, int peers,
      int rounds) throws IOException {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    WireGuardSecret privateKey = WireGuardSecret.generatePrivateKey();
    var secret = io.spanlog.affiliate.ClusterSecret.fromBytes(RANDOM.generateSeed(32));
    var settings = new io.spanlog.agent.reconcile.ReconcilePass.Settings(privateKey, 51820, secret, true);
    var statusRound = new io.spanlog.agent.status.PeerStatusRound(io.spanlog.agent.status.StatusTimings.DEFAULTS);
    var whole = new io.spanlog.agent.reconcile.ReconcilePass(settings, statusRound);
    var change = new io.spanlog.agent.reconcile.PeerChangePass(settings, statusRound);
    String localKey = privateKey.publicKey().base64();
    List<io.spanlog.affiliate.AffiliateView> all = new ArrayList<>();
    for (int i = 0; i < peers; i++) {
      all.add(affiliate(i));
    }
    var withAll = view(all);
    var withoutLast = view(all.subList(0, peers - 1));
    java.time.Instant now = java.time.Instant.now();

    var rows = new AgentRows();
    rows.joinChange = new long[rounds];
    rows.joinWholePass = new long[rounds];
    rows.joinSyncconf = new long[rounds];
    rows.leaveChange = new long[rounds];
    rows.leaveSyncconf = new long[rounds];
    rows.joinDecideCpu = new long[rounds];
    rows.leaveDecideCpu = new long[rounds];
    rows.fullComputeCpu = new long[rounds];
    Path withAllFile = null;
    Path withoutLastFile = null;
    // one index for the run, as the agent keeps one across passes and changes
    var index = new io.spanlog.peers.PeerSpecIndex(localKey);
    for (int r = -2; r < rounds; r++) { // two warm-up rounds
      int i = Math.max(r, 0);
      // start: every peer but the last, programmed by a whole pass
      device.apply(new DeviceConfig(privateKey, 51820, 0x20, List.of()));
      var start = whole.run(io.spanlog.agent.reconcile.AgentState.INITIAL, index.full(withoutLast.affiliates()), device,
          now).state();
      long cpu0 = threads.getCurrentThreadCpuTime();
      io.spanlog.peers.PeerSpecs.compute(localKey, withAll.affiliates());
      rows.fullComputeCpu[i] = threads.getCurrentThreadCpuTime() - cpu0;

      // join: decide, then the one edit
      long t0 = System.nanoTime();
      cpu0 = threads.getCurrentThreadCpuTime();
      var joined = change.decide(start, withoutLast, withAll, index, now).orElseThrow();
      rows.joinDecideCpu[i] = threads.getCurrentThreadCpuTime() - cpu0;
      device.edit(joined.edits());
      rows.joinChange[i] = System.nanoTime() - t0;
      check(device.read().peers().size() == peers, "the joined peer is not in the device");

      // leave: the last one again
      t0 = System.nanoTime();
      cpu0 = threads.getCurrentThreadCpuTime();
      var left = change.decide(joined.state(), withAll, withoutLast, index, now).orElseThrow();
      rows.leaveDecideCpu[i] = threads.getCurrentThreadCpuTime() - cpu0;
      device.edit(left.edits());
      rows.leaveChange[i] = System.nanoTime() - t0;
      check(device.read().peers().size() == peers - 1, "the peer that left is still in the device");

      // the same join through a whole pass: what the agent ran on a Watch change before
      var before = start;
      rows.joinWholePass[i] = time(() -> whole.run(before, withAll.affiliates(), device, now));
      check(device.read().peers().size() == peers, "whole pass: the joined peer is not in the device");

      // wg syncconf of the same device contents, from the same start
      if (withAllFile == null) {
        DeviceConfig target = programmed(device.read(), privateKey, secret);
        withAllFile = write(dir, "agent-all.conf", target);
        withoutLastFile = write(dir, "agent-without.conf", target.withPeers(target.peers().stream()
            .filter(p -> !p.publicKey().base64().equals(all.get(peers - 1).affiliate().kubeSpan().orElseThrow()
                .publicKey())).toList()));
      }
      wg(host, "syncconf", device.name(), withoutLastFile);
      Path joinFile = withAllFile;
      rows.joinSyncconf[i] = time(() -> wg(host, "syncconf", device.name(), joinFile));
      check(device.read().peers().size() == peers, "syncconf: the joined peer is not in the device");
      Path leaveFile = withoutLastFile;
      rows.leaveSyncconf[i] = time(() -> wg(host, "syncconf", device.name(), leaveFile));
      check(device.read().peers().size() == peers - 1, "syncconf: the peer that left is still in the device");
    }
    // the same decisions once the JIT has compiled them, as in an agent that has seen many changes:
    // joins and leaves decided in turn (no device edit), from the state the last whole pass left
    var steady = whole.run(io.spanlog.agent.reconcile.AgentState.INITIAL, index.full(withoutLast.affiliates()), device,
        now).state();
    rows.steadyJoinCpu = new long[STEADY_DECISIONS];
    rows.steadyLeaveCpu = new long[STEADY_DECISIONS];
    for (int k = 0; k < STEADY_DECISIONS; k++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      var joined = change.decide(steady, withoutLast, withAll, index, now).orElseThrow();
      rows.steadyJoinCpu[k] = threads.getCurrentThreadCpuTime() - cpu0;
      cpu0 = threads.getCurrentThreadCpuTime();
      steady = change.decide(joined.state(), withAll, withoutLast, index, now).orElseThrow().state();
      rows.steadyLeaveCpu[k] = threads.getCurrentThreadCpuTime() - cpu0;
    }
    // memory: the agent's state at `peers` peers
    Runtime rt = Runtime.getRuntime();
    index = null;
    steady = null;
    System.gc();
    long heapWithout = rt.totalMemory() - rt.freeMemory();
    index = new io.spanlog.peers.PeerSpecIndex(localKey);
    device.apply(new DeviceConfig(privateKey, 51820, 0x20, List.of()));
    var state = whole.run(io.spanlog.agent.reconcile.AgentState.INITIAL, index.full(withAll.affiliates()), device, now)
        .state();
    System.gc();
    rows.heapUsedKib = (rt.totalMemory() - rt.freeMemory()) / 1024;
    rows.agentStateKib = Math.max(0, rows.heapUsedKib - heapWithout / 1024);
    rows.jvmRssKib = rssKib(ProcessHandle.current().pid());
    check(state.statuses().size() == peers && index.specs().peers().size() == peers, "state at " + peers);
    for (Path p : new Path[] {withAllFile, withoutLastFile}) {
      if (p != null) {
        Files.deleteIfExists(p);
      }
    }
    return rows;
  }

  /** The device as read, with the keys the agent gave it: what {@code wg syncconf} must reproduce. */
  private static DeviceConfig programmed(DeviceState state, WireGuardSecret privateKey,
      io.spanlog.affiliate.ClusterSecret secret) {
    WireGuardSecret psk = WireGuardSecret.of(secret.keyBytes());
    return new DeviceConfig(privateKey, 51820, 0x20, state.peers().stream()
        .map(p -> new PeerConfig(p.publicKey(), Optional.of(psk), p.endpoint(), p.persistentKeepalive(), p.allowedIps()))
        .toList());
  }

  private static io.spanlog.affiliate.AffiliateView affiliate(int i) throws IOException {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    String key = WireGuardSecret.of(seed).publicKey().base64();
    InetAddress v4 = InetAddress.getByAddress(new byte[] {10, (byte) 98, (byte) (100 + ((i >> 8) & 0xff)), (byte) i});
    InetAddress overlay = InetAddress.getByName(String.format("fd5b:98::%x", i + 1));
    var data = new io.spanlog.affiliate.DecodedAffiliate("n" + i, List.of(v4), "n" + i, "n" + i, "worker", "bench",
        Optional.of(new io.spanlog.affiliate.KubeSpanInfo(key, overlay, List.of(), List.of())));
    return new io.spanlog.affiliate.AffiliateView("n" + i, data, List.of(new io.spanlog.net.Endpoint(v4, 51820)));
  }

  private static io.spanlog.agent.discovery.ClusterView view(List<io.spanlog.affiliate.AffiliateView> affiliates) {
    var byId = new java.util.TreeMap<String, io.spanlog.affiliate.AffiliateView>();
    affiliates.forEach(a -> byId.put(a.affiliateId(), a));
    return io.spanlog.agent.discovery.ClusterView.of(byId);
  }

  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
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
