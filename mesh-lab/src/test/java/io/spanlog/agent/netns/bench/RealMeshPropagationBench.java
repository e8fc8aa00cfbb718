package io.spanlog.agent.netns.bench;

import io.spanlog.agent.config.WireGuardBackendKind;
import io.spanlog.agent.identity.IdentityStore;
import io.spanlog.agent.netns.LabConfigs;
import io.spanlog.agent.netns.LabNode;
import io.spanlog.agent.netns.NamespaceAgent;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.agent.wireguard.UserspaceOptions;
import io.spanlog.agent.wireguard.UserspaceWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardKey;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Envelope;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.infra.Folders;
import io.spanlog.infra.LoopbackPorts;
import io.spanlog.infra.testing.EnvelopeTap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code ./spanlog bench real-propagation [rounds]} (root, wireguard-go): how long a new node
 * takes to reach the other nodes' WireGuard devices, end to end on real parts. Three nodes in
 * network namespaces, the embedded broker and the discovery service in the root namespace, one
 * agent JVM per node on wireguard-go. Nodes 1 and 2 run; each round starts node 3's agent and
 * measures from its first AffiliateUpdated event (the event time the discovery service stamps
 * when it accepts the write) until node 1's and node 2's devices hold node 3's public key (their
 * UAPI sockets polled every 2 ms from outside); then node 3 leaves and is waited out of both
 * devices. The path measured: discovery append to Kafka, projection, Watch push, the agents'
 * decrypt, peer-spec computation and UAPI apply.
 *
 * <p>The launcher's test scope carries a module's runtime dependencies only: mesh-lab declares
 * the discovery service and the broker at runtime scope for this bench.
 */
public final class RealMeshPropagationBench {
  private static final String PREFIX = "sdbn";
  private static final int NET = 56;

  private RealMeshPropagationBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Optional<String> unavailable = NetnsLab.unavailableReason();
    if (unavailable.isPresent()) {
      System.err.println("bench real-propagation needs real WireGuard in network namespaces: " + unavailable.get());
      System.exit(2);
    }
    Path folder = Files.createTempDirectory("spanlog-bench-propagation-");
    try {
      int[] ports = LoopbackPorts.freePair();
      run(rounds, folder, new BrokerSettings(ports[0], ports[1], folder.resolve("kafka")));
    } finally {
      Folders.deleteRecursively(folder);
    }
  }

  private static void run(int rounds, Path folder, BrokerSettings brokerSettings) throws Exception {
    String log = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    List<NamespaceAgent> agents = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(brokerSettings);
        NetnsLab lab = NetnsLab.create(PREFIX, 3, NET);
        DiscoveryServer discovery = DiscoveryServer.start(DiscoveryConfig.defaults(kafka.bootstrapServers(), "bench")
            .withPorts(lab.serviceAddress().getHostAddress(), 0, -1).withTopics(log, 1));
        EnvelopeTap updates = new EnvelopeTap(kafka.bootstrapServers(), log + ".events")) {
      String url = "http://" + lab.serviceAddress().getHostAddress() + ":" + discovery.port() + "/";
      // KubeSpan's own timings: propagation does not wait for the reconcile timer (a spec change
      // reconciles at once), so they must not matter.
      LabConfigs.Written configs = LabConfigs.write(folder.resolve("nodes"), new LabConfigs.Settings(url,
          WireGuardBackendKind.USERSPACE, List.of(51890, 51890, 51890), Duration.ofSeconds(275),
          Duration.ofSeconds(15), Duration.ofSeconds(30)));
      for (int i = 1; i <= 3; i++) {
        agents.add(i <= 2 ? NamespaceAgent.start(lab, lab.node(i), configs.files().get(i - 1), folder.resolve("node-" + i + ".log"))
            : null);
      }
      UserspaceWireGuardDevice one = awaitDevice(lab, lab.node(1));
      UserspaceWireGuardDevice two = awaitDevice(lab, lab.node(2));
      waitFor(Duration.ofSeconds(60), "nodes 1 and 2 to peer", () -> one.read().peers().size() == 1 && two.read().peers().size() == 1);

      Path stateThree = folder.resolve("nodes").resolve("node-3");
      NamespaceAgent three = null;
      List<long[]> results = new ArrayList<>();
      System.out.println("round   start->first update   update->node-1 device   update->node-2 device   update->both");
      for (int round = 1; round <= rounds; round++) {
        Instant started = Instant.now();
        if (three == null) {
          three = NamespaceAgent.start(lab, lab.node(3), configs.files().get(2), folder.resolve("node-3.log"));
        } else {
          three.start();
        }
        WireGuardKey key = awaitPublicKey(stateThree);
        String nodeId = awaitFile(stateThree.resolve(IdentityStore.NODE_ID_FILE)).strip();
        Instant seenOne = null;
        Instant seenTwo = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((seenOne == null || seenTwo == null) && System.nanoTime() < deadline) {
          if (seenOne == null && one.read().peer(key).isPresent()) {
            seenOne = Instant.now();
          }
          if (seenTwo == null && two.read().peer(key).isPresent()) {
            seenTwo = Instant.now();
          }
          Thread.sleep(2);
        }
        if (seenOne == null || seenTwo == null) {
          throw new IllegalStateException("round " + round + ": node 3 did not reach both devices within 60 s (logs in " + folder + ")");
        }
        Instant update = firstUpdate(updates, nodeId, started, Duration.ofSeconds(10))
            .orElseThrow(() -> new IllegalStateException("no AffiliateUpdated event of node 3 on the events topic"));
        long[] r = {Duration.between(started, update).toMillis(), Duration.between(update, seenOne).toMillis(),
            Duration.between(update, seenTwo).toMillis(), Duration.between(update, seenOne.isAfter(seenTwo) ? seenOne : seenTwo).toMillis()};
        results.add(r);
        System.out.printf("%5d   %17d ms   %18d ms   %18d ms   %9d ms%n", round, r[0], r[1], r[2], r[3]);

        three.stop();
        if (three.runCommand(List.of("leave", "--config", configs.files().get(2).toString()), 60) != 0) {
          throw new IllegalStateException("'agent leave' of node 3 failed (see " + three.log() + ")");
        }
        waitFor(Duration.ofSeconds(30), "node 3 to leave both devices",
            () -> one.read().peer(key).isEmpty() && two.read().peer(key).isEmpty());
      }
      System.out.printf("median  %17d ms   %18d ms   %18d ms   %9d ms%n", median(results, 0), median(results, 1),
          median(results, 2), median(results, 3));
      System.out.printf("max     %17d ms   %18d ms   %18d ms   %9d ms%n", max(results, 0), max(results, 1),
          max(results, 2), max(results, 3));
      System.out.println("(start->first update includes node 3's JVM start, identity load and Hello; 2 CPUs shared)");
      one.close();
      two.close();
    } finally {
      agents.stream().filter(a -> a != null).forEach(NamespaceAgent::stop);
    }
  }

  private static UserspaceWireGuardDevice awaitDevice(NetnsLab lab, LabNode node) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (long pid : lab.pids(node)) {
        String comm;
        try {
          comm = Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
          continue;
        }
        Path sockets = Path.of("/proc/" + pid + "/root/run/wireguard");
        if (comm.equals("wireguard-go") && Files.exists(sockets.resolve("kubespan.sock"))) {
          return UserspaceWireGuardDevice.open("kubespan",
              UserspaceOptions.defaults().withRunner(lab.runner(node)).withSocketDirectory(sockets));
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(node.namespace() + ": no wireguard-go within 60 s");
  }

  private static WireGuardKey awaitPublicKey(Path state) throws Exception {
    String yaml = awaitFile(state.resolve(IdentityStore.IDENTITY_FILE));
    Map<?, ?> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return WireGuardKey.fromBase64(String.valueOf(map.get("publicKey")));
  }

  private static String awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        String text = Files.readString(file);
        if (!text.isBlank()) {
          return text;
        }
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(file + " did not appear within 60 s");
  }

  private static void waitFor(Duration timeout, String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("timed out waiting for " + what);
  }

  private static long median(List<long[]> rows, int column) {
    long[] values = rows.stream().mapToLong(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }

  private static long max(List<long[]> rows, int column) {
    return rows.stream().mapToLong(r -> r[column]).max().orElse(0);
  }

  /** The first AffiliateUpdated of {@code affiliateId} at or after {@code since}, waiting up to {@code timeout}. */
  static Optional<Instant> firstUpdate(EnvelopeTap tap, String affiliateId, Instant since, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Instant> found = tap.envelopes().stream()
          .filter(e -> e.payload() instanceof AffiliateUpdated u && u.affiliateId().equals(affiliateId))
          .map(Envelope::at)
          .filter(at -> !at.isBefore(since))
          .min(Comparator.naturalOrder());
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }
}
