package io.spanlog.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.config.WireGuardBackendKind;
import io.spanlog.agent.identity.IdentityStore;
import io.spanlog.agent.netns.E2eRequirement;
import io.spanlog.agent.netns.LabConfigs;
import io.spanlog.agent.netns.LabNode;
import io.spanlog.agent.netns.NamespaceAgent;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.agent.wireguard.WireGuardKey;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.events.EndpointObserved;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.infra.testing.EnvelopeTap;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.service.ObserverConfig;
import io.spanlog.observer.service.ObserverService;
import io.spanlog.topics.TopicCatalogue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The whole product on one machine: three nodes as network namespaces with two underlay links
 * each, the real broker and discovery service in the root namespace (each its own JVM, as an
 * operator runs them: {@link ControlPlane}), one agent JVM per node on real wireguard-go
 * (userspace backend, private /run/wireguard), talking only through discovery. One mesh is shared
 * by every stage (real WireGuard link changes cost minutes): all up; the control plane stopped
 * entirely and brought back; a cut link, told by the agents, their telemetry and the endpoint
 * observer's link events; a restarted agent; a running agent that leaves; and at the end no
 * secret in any topic or log of the run.
 *
 * <p><b>Timings.</b> Reconcile every second, 10 s to connect, and a peer is down after 130 s
 * without a handshake (KubeSpan: 30 s, 15 s, 275 s). The down interval cannot be much shorter
 * with real WireGuard: a session re-handshakes only every 120 s (while data flows), so a shorter
 * one declares healthy links down and, worse, a link that moved to a new endpoint with its
 * session still valid never shows the fresh handshake that "up" requires (a 30 s setting was
 * tried: every pair then cycled endpoints every 5 s). The cut therefore takes about 130 s to be
 * noticed, which dominates the test's run time. Pings run between all nodes during the cut, as
 * on a live cluster: WireGuard re-keys and retries handshakes only for peers it has data for.
 */
class MeshEndToEndIT {
  private static final int NODES = 3;
  private static final int STATUS_PORT = 51890;
  private static final Duration PEER_DOWN = Duration.ofSeconds(130);
  private static final Duration CONNECT = Duration.ofSeconds(10);
  private static final Duration RECONCILE = Duration.ofSeconds(1);

  /** How long the control plane stays away: many reconcile passes without discovery. */
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private NetnsLab lab;
  private ControlPlane control;
  private Path folder;
  private LabConfigs.Written configs;
  private final List<MeshNode> nodes = new ArrayList<>();
  private final List<Process> traffic = new ArrayList<>();
  private TelemetryTap telemetry;
  private ObserverService observer;
  private EnvelopeTap linkEvents;

  @BeforeEach
  void startMesh() throws Exception {
    E2eRequirement.requireNetnsLab();
    lab = NetnsLab.create("sd", NODES, 52);
    folder = TempDirs.create("spanlog-e2e-");
    // The nodes reach the root namespace's services at 10.52.0.1 over either link; the broker
    // (this run's own, so that it can be stopped) stays on 127.0.0.1: only discovery talks to it.
    control = ControlPlane.start(folder, lab.serviceAddress());
    String url = control.discoveryUrl();
    configs = LabConfigs.write(folder.resolve("nodes"), new LabConfigs.Settings(url, WireGuardBackendKind.USERSPACE,
        List.of(STATUS_PORT, STATUS_PORT, STATUS_PORT), PEER_DOWN, CONNECT, RECONCILE));
    telemetry = tap();
    for (int i = 1; i <= NODES; i++) {
      LabNode node = lab.node(i);
      NamespaceAgent agent = NamespaceAgent.start(lab, node, configs.files().get(i - 1), folder.resolve("node-" + i + ".log"));
      nodes.add(new MeshNode(lab, node, agent, STATUS_PORT));
    }
  }

  @AfterEach
  void stopMesh() {
    traffic.forEach(Process::destroyForcibly);
    nodes.forEach(MeshNode::close);
    if (linkEvents != null) {
      linkEvents.close();
    }
    if (observer != null) {
      observer.close();
    }
    if (telemetry != null) {
      telemetry.close();
    }
    if (control != null) {
      control.close();
    }
    if (lab != null) {
      lab.close();
    }
    if (folder != null) {
      TempDirs.deleteRecursively(folder);
    }
  }

  @Test
  void threeNodesMeshOverWireGuardAndSurviveAControlPlaneOutageACutLinkARestartAndALeave() throws Exception {
    MeshNode one = nodes.get(0);
    MeshNode two = nodes.get(1);
    MeshNode three = nodes.get(2);

    // 1. Every node finds the others through discovery and every link is up.
    await(Duration.ofSeconds(90), "every node lists its 2 peers as up", () -> {
      boolean ok = nodes.stream().allMatch(n -> {
        List<JsonNode> peers = n.peerStatuses();
        return peers.size() == NODES - 1 && peers.stream().allMatch(p -> p.path("state").asText().equals("up"));
      });
      return ok ? null : statuses();
    });
    Map<String, String> overlay = new LinkedHashMap<>();
    for (MeshNode n : nodes) {
      overlay.put(n.name(), n.overlayAddress());
    }
    for (MeshNode from : nodes) {
      for (MeshNode to : nodes) {
        if (from != to) {
          assertThat(from.ping(overlay.get(to.name())))
              .as("%s pings %s's KubeSpan address %s over WireGuard", from.name(), to.name(), overlay.get(to.name()))
              .isTrue();
        }
      }
    }
    Map<String, long[]> before = counters();
    for (MeshNode from : nodes) {
      for (MeshNode to : nodes) {
        if (from != to) {
          from.ping(overlay.get(to.name()));
        }
      }
    }
    await(Duration.ofSeconds(10), "every peer's RX and TX grow while traffic flows", () -> {
      Map<String, long[]> after = counters();
      boolean grew = after.size() == before.size() && after.entrySet().stream().allMatch(e -> {
        long[] was = before.get(e.getKey());
        return was != null && e.getValue()[0] > was[0] && e.getValue()[1] > was[1];
      });
      return grew ? null : "before " + describe(before) + ", now " + describe(after);
    });

    Map<String, String> nodeIds = new LinkedHashMap<>();
    for (MeshNode n : nodes) {
      nodeIds.put(n.identity().path("nodeId").asText(), n.name());
    }
    await(Duration.ofSeconds(15), "every node's handshake samples, all peers up, are on the telemetry topic", () -> {
      List<String> missing = new ArrayList<>();
      for (var id : nodeIds.entrySet()) {
        boolean reported = telemetry.batches().stream().map(TelemetryTap.Batch::batch)
            .anyMatch(b -> b.nodeId().equals(id.getKey()) && b.peers().size() == NODES - 1
                && b.peers().stream().allMatch(p -> p.state() == PeerState.UP && p.lastHandshake().isPresent()));
        if (!reported) {
          missing.add(id.getValue());
        }
      }
      return missing.isEmpty() ? null : "no all-up batch yet from " + missing + " (" + telemetry.batches().size() + " batches)";
    });

    // 2. The control plane goes away entirely (discovery, then Kafka): the data plane carries on,
    //    every agent says discovery is down, and when both come back (same data folder, same
    //    ports) the agents resync without a restart.
    Map<String, Long> pids = pids();
    Instant outageAt = Instant.now();
    telemetry.close(); // a new tap reads the topic from its start again once Kafka is back
    control.stop();
    await(Duration.ofSeconds(30), "every agent reports discovery down in /v1/identity", () -> {
      List<String> watching = nodes.stream()
          .filter(n -> n.discoveryState().map(s -> !s.equals("failing") && !s.equals("connecting")).orElse(true))
          .map(n -> n.name() + "=" + n.discoveryState().orElse("(no answer)")).toList();
      return watching.isEmpty() ? null : String.join(", ", watching);
    });
    pingAll(overlay, "with the control plane gone");
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), outageAt.plus(OUTAGE)).toMillis()));
    pingAll(overlay, OUTAGE.toSeconds() + " s into the outage");
    assertThat(statuses()).as("every link still up after %s s without discovery", OUTAGE.toSeconds())
        .doesNotContain("=down").doesNotContain("=unknown").doesNotContain("no answer");
    control.startAgain();
    Instant backAt = Instant.now();
    telemetry = tap();
    await(Duration.ofSeconds(90), "every agent watches discovery again", () -> {
      List<String> notYet = nodes.stream().filter(n -> !n.discoveryState().orElse("").equals("watching"))
          .map(n -> n.name() + "=" + n.discoveryState().orElse("(no answer)")).toList();
      return notYet.isEmpty() ? null : String.join(", ", notYet);
    });
    System.out.printf("control plane outage: every agent watching again %d s after discovery was back%n",
        Duration.between(backAt, Instant.now()).toSeconds());
    assertThat(pids()).as("the same agent processes: none restarted").isEqualTo(pids);
    // A change made after the return reaches the others: node 1 gets another address on link 1,
    // publishes it as an endpoint, and nodes 2 and 3 list it.
    String extra = "10.52.1.201";
    assertThat(lab.exec(one.node, "ip", "addr", "add", extra + "/24", "dev", "ul1").succeeded()).isTrue();
    await(Duration.ofSeconds(30), "nodes 2 and 3 list node 1's new endpoint " + extra, () -> {
      List<String> without = List.of(two, three).stream()
          .filter(n -> n.specEndpoints("node-1").stream().noneMatch(e -> e.startsWith(extra + ":")))
          .map(n -> n.name() + " " + n.specEndpoints("node-1")).toList();
      return without.isEmpty() ? null : String.join("; ", without);
    });
    assertThat(lab.exec(one.node, "ip", "addr", "del", extra + "/24", "dev", "ul1").succeeded()).isTrue();
    // ...and the telemetry, once it can be sent again, shows that each agent was cut off
    Map<String, Long> unreachable = new LinkedHashMap<>();
    await(Duration.ofSeconds(30), "every node's telemetry says discovery was unreachable during the outage", () -> {
      unreachable.clear();
      for (var id : nodeIds.entrySet()) {
        unreachable.put(id.getValue(), telemetry.batches().stream().filter(b -> b.batch().nodeId().equals(id.getKey())
            && !b.batch().discoveryReachable() && !b.batch().sampledAt().orElse(b.at()).isBefore(outageAt)).count());
      }
      return unreachable.containsValue(0L) ? "batches with discoveryReachable=false per node: " + unreachable : null;
    });
    System.out.printf("control plane outage: batches saying discovery was unreachable, per node: %s%n", unreachable);
    await(Duration.ofSeconds(60), "every node lists its 2 peers as up after the outage", () -> {
      boolean ok = nodes.stream().allMatch(n -> {
        List<JsonNode> peers = n.peerStatuses();
        return peers.size() == NODES - 1 && peers.stream().allMatch(p -> p.path("state").asText().equals("up"));
      });
      return ok ? null : statuses();
    });

    // 3. Cut the underlay link node 1's peers reach it on: they go down, cycle to node 1's
    //    other endpoint and come back up there. The endpoint observer runs from here on (it
    //    reads the telemetry from the start, so it has every link's history before the cut).
    observer = startObserver();
    linkEvents = new EnvelopeTap(control.bootstrapServers(), TopicCatalogue.LINK_EVENTS);
    traffic.addAll(pingers(overlay));
    String inUse = two.status("node-1").orElseThrow().path("endpoint").asText();
    int cutLink = inUse.startsWith(one.node.underlay(1).getHostAddress() + ":") ? 1 : 2;
    int otherLink = 3 - cutLink;
    String survivor = one.node.underlay(otherLink).getHostAddress() + ":";
    Instant cutAt = Instant.now();
    lab.cut(one.node, cutLink);
    Map<String, String> recovered = new LinkedHashMap<>();
    await(PEER_DOWN.plus(Duration.ofSeconds(60)),
        "node 1's peers leave " + inUse + " and come back up on " + survivor + "*", () -> {
          List<String> pending = new ArrayList<>();
          for (MeshNode observer : List.of(two, three)) {
            String pair = observer.name() + "->node-1";
            JsonNode s = observer.status("node-1").orElse(null);
            String state = s == null ? "?" : s.path("state").asText();
            String endpoint = s == null ? "?" : s.path("endpoint").asText();
            if (state.equals("up") && endpoint.startsWith(survivor)) {
              recovered.putIfAbsent(pair, endpoint);
            }
            if (!recovered.containsKey(pair)) {
              pending.add(pair + " " + state + " @" + endpoint);
            }
          }
          return pending.isEmpty() ? null : String.join("; ", pending);
        });
    // Either side of a pair may be the one that cycled (the other may simply see the fresh
    // handshake and WireGuard roam to the new address), but somebody must have moved.
    for (MeshNode peer : List.of(two, three)) {
      Instant mine = changedAt(peer.status("node-1"));
      Instant theirs = changedAt(one.status(peer.name()));
      assertThat(mine.isAfter(cutAt) || theirs.isAfter(cutAt))
          .as("%s <-> node-1: an endpoint was cycled after the cut (%s, %s)", peer.name(), mine, theirs).isTrue();
    }
    // The telemetry shows it: on one side of each of node 1's links a sample after the cut says
    // the peer was down (the pass that finds it down also cycles, so the sample reads "unknown,
    // was down"), and a later sample from that side says up on the new endpoint.
    String oneId = one.identity().path("nodeId").asText();
    String oneKey = one.identity().path("publicKey").asText();
    for (MeshNode peer : List.of(two, three)) {
      String peerId = peer.identity().path("nodeId").asText();
      String peerKey = peer.identity().path("publicKey").asText();
      boolean shown = sawDownThenUp(oneId, peerKey, cutAt) || sawDownThenUp(peerId, oneKey, cutAt);
      assertThat(shown).as("telemetry shows %s <-> node-1 going down after the cut and up again", peer.name()).isTrue();
    }
    // The endpoint observer derived the same story from the telemetry: for each of node 1's
    //    pairs, one direction went from up to down (the agent's "was down"), then up again on the
    //    other side's endpoint on the link that was not cut, with its provenance; and that endpoint
    //    was observed working for the first time after the cut, no later than that recovery.
    Map<String, String> stories = new LinkedHashMap<>();
    await(Duration.ofSeconds(60), "the observer's link events tell each of node 1's pairs going down and up on the other link",
        () -> {
          stories.clear();
          List<String> pending = new ArrayList<>();
          List<Envelope> events = linkEvents.envelopes().stream()
              .filter(e -> e.clusterId().equals(configs.clusterId())).toList();
          for (MeshNode peer : List.of(two, three)) {
            String peerKey = peer.identity().path("publicKey").asText();
            String toward = linkStory(events, peerKey, oneKey, one.node.underlay(otherLink).getHostAddress() + ":", cutAt);
            String from = linkStory(events, oneKey, peerKey, peer.node.underlay(otherLink).getHostAddress() + ":", cutAt);
            if (toward.startsWith("ok")) {
              stories.put(peer.name() + "->node-1", toward);
            } else if (from.startsWith("ok")) {
              stories.put("node-1->" + peer.name(), from);
            } else {
              pending.add(peer.name() + "->node-1: " + toward + "; node-1->" + peer.name() + ": " + from);
            }
          }
          return pending.isEmpty() ? null : String.join(" | ", pending);
        });
    stories.forEach((link, story) -> System.out.printf("observer, link %s: %s%n", link, story));
    assertThat(two.ping(overlay.get("node-1"))).as("node 2 reaches node 1 over its other link").isTrue();
    assertThat(one.ping(overlay.get("node-3"))).as("node 1 reaches node 3 from its other link").isTrue();
    traffic.forEach(Process::destroyForcibly);
    traffic.clear();
    lab.restore(one.node, cutLink);

    // 4. A restarted agent keeps its identity and address, and its links come back.
    JsonNode was = two.identity();
    assertThat(two.agent.stop()).as("node 2's agent stops on SIGTERM").isTrue();
    two.agent.start();
    await(Duration.ofSeconds(60), "node 2's agent answers again with both peers up", () -> {
      List<JsonNode> peers = two.peerStatuses();
      boolean ok = peers.size() == 2 && peers.stream().allMatch(p -> p.path("state").asText().equals("up"));
      return ok ? null : statuses();
    });
    JsonNode is = two.identity();
    assertThat(is.path("publicKey").asText()).isEqualTo(was.path("publicKey").asText());
    assertThat(is.path("address").asText()).isEqualTo(was.path("address").asText());
    assertThat(is.path("nodeId").asText()).isEqualTo(was.path("nodeId").asText());
    assertThat(two.ping(overlay.get("node-3"))).as("restarted node 2 pings node 3").isTrue();

    // 5. A running agent leaves through its status API (what `./spanlog agent leave` does when
    //    the node's agent runs): it deletes its affiliate, empties its device and exits, and it
    //    disappears from the others' WireGuard devices and status views.
    List<SecretScan.Secret> secrets = secrets();
    WireGuardKey threeKey = WireGuardKey.fromBase64(three.identity().path("publicKey").asText());
    assertThat(one.device().peer(threeKey)).as("node 1's device has node 3 before it leaves").isPresent();
    assertThat(three.agent.isAlive()).as("node 3's agent runs when it is asked to leave").isTrue();
    assertThat(three.agent.runCommand(List.of("leave", "--config", configs.files().get(2).toString()), 90))
        .as("'agent leave' exit code (log: %s)", three.agent.log()).isZero();
    await(Duration.ofSeconds(30), "node 3's agent exits on its own after leaving", () ->
        three.agent.isAlive() ? "still running" : null);
    await(Duration.ofSeconds(30), "node 3 is gone from node 1's and node 2's WireGuard devices", () -> {
      boolean gone = one.device().peer(threeKey).isEmpty() && two.device().peer(threeKey).isEmpty();
      return gone ? null : "node 1 peers " + one.device().peers().size() + ", node 2 peers " + two.device().peers().size();
    });
    // answeredPeerStatuses fails when the API does not answer: silence cannot pass for "gone"
    assertThat(one.answeredPeerStatuses()).extracting(p -> p.path("label").asText())
        .as("node 1's peer statuses").containsExactly("node-2");
    assertThat(two.answeredPeerStatuses()).extracting(p -> p.path("label").asText())
        .as("node 2's peer statuses").containsExactly("node-1");
    assertThat(one.device().peers()).hasSize(1);

    // 6. No secret anywhere: not in any record of any topic (read from the start), not in any
    //    log of the run (agents, discovery, broker), in base64, hex or raw form.
    SecretScan.TopicReport topics = SecretScan.scanTopics(control.bootstrapServers(), secrets);
    assertThat(topics.records().getOrDefault(DiscoveryTopics.catalogue().events(), 0L)).as("events read").isPositive();
    assertThat(topics.records().getOrDefault(DiscoveryTopics.catalogue().telemetry(), 0L)).as("telemetry read").isPositive();
    List<Path> logs = new ArrayList<>();
    nodes.forEach(n -> logs.add(n.agent.log()));
    logs.add(control.discoveryLog());
    List<SecretScan.Hit> hits = new ArrayList<>(topics.hits());
    hits.addAll(SecretScan.scanFiles(logs, secrets));
    List<String> brokers = control.brokerOutputs();
    for (int i = 0; i < brokers.size(); i++) {
      hits.addAll(SecretScan.scan("broker JVM output " + (i + 1), brokers.get(i).getBytes(StandardCharsets.UTF_8),
          secrets));
    }
    assertThat(hits).as("secrets found; scanned records %s and logs %s", topics.records(), logs).isEmpty();
    // the scan finds what it looks for: a node's config file holds the cluster secret by design
    assertThat(SecretScan.scanFiles(List.of(configs.files().get(0)), secrets)).extracting(SecretScan.Hit::secret)
        .contains("cluster secret");
  }

  /** The cluster secret and every node's WireGuard private key, read from the files the nodes keep. */
  private List<SecretScan.Secret> secrets() throws IOException {
    List<SecretScan.Secret> out = new ArrayList<>();
    out.add(new SecretScan.Secret("cluster secret",
        NodeConfigParser.load(configs.files().get(0)).clusterSecret().keyBytes()));
    for (int i = 1; i <= NODES; i++) {
      Path identity = NodeConfigParser.load(configs.files().get(i - 1)).stateFolder().resolve(IdentityStore.IDENTITY_FILE);
      Map<?, ?> fields = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(identity));
      out.add(new SecretScan.Secret("node-" + i + " private key",
          Base64.getDecoder().decode(String.valueOf(fields.get("privateKey")))));
    }
    return out;
  }

  /**
   * The telemetry topic read from its start; agents seal their batches: the tap opens them with
   * the cluster's secret, as the observer does.
   */
  private TelemetryTap tap() {
    return new TelemetryTap(control.bootstrapServers(), DiscoveryTopics.catalogue().telemetry(),
        NodeConfigParser.load(configs.files().get(0)).clusterSecret());
  }

  /**
   * The endpoint observer in this JVM on the run's broker (a fresh application, reading the
   * telemetry from its start), opening the sealed batches with the cluster's secrets file.
   */
  private ObserverService startObserver() throws InterruptedException {
    ObserverConfig config = new ObserverConfig(ObserverSettings.defaults(), control.bootstrapServers(),
        "e2e-observer-" + UUID.randomUUID(), folder.resolve("observer"), HostPort.parseListen("127.0.0.1:0", "api"),
        Optional.empty(), Optional.empty(), 1, Optional.empty(), TopicCatalogue.DEFAULT_PARTITIONS,
        Optional.of(configs.secrets()), KafkaClientConfig.NONE);
    ObserverService service = ObserverService.start(config);
    service.awaitRunning(Duration.ofSeconds(60));
    return service;
  }

  /**
   * Whether the observer's events of the link {@code nodeKey → peerKey} after {@code since} are, in
   * topic order: a state change from up to down (or to unknown by the agent's "was down": the
   * pass that finds a peer down also cycles its endpoint), then one to up through an endpoint
   * starting with {@code newEndpoint}, with a provenance; and whether an endpoint-observed event
   * for the peer's new endpoint, sampled after {@code since} and no later than that recovery,
   * exists. "ok: ..." with the story, else what is missing.
   */
  private static String linkStory(List<Envelope> events, String nodeKey, String peerKey, String newEndpoint, Instant since) {
    int down = -1;
    int up = -1;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).payload() instanceof LinkStateChanged c && c.nodePublicKey().equals(nodeKey)
          && c.peerPublicKey().equals(peerKey) && c.firstSampleInNew().isAfter(since)) {
        if (down < 0 && c.from() == PeerState.UP
            && (c.to() == PeerState.DOWN || (c.to() == PeerState.UNKNOWN && c.reason().contains("was down")))) {
          down = i;
        } else if (down >= 0 && c.to() == PeerState.UP && c.endpoint().orElse("").startsWith(newEndpoint)) {
          up = i;
          break;
        }
      }
    }
    if (down < 0) {
      return "no up->down state event after the cut";
    }
    if (up < 0) {
      return "down, but no later up state event through " + newEndpoint + "*";
    }
    LinkStateChanged wentDown = (LinkStateChanged) events.get(down).payload();
    LinkStateChanged cameBack = (LinkStateChanged) events.get(up).payload();
    if (!cameBack.firstSampleInNew().isAfter(wentDown.firstSampleInNew())) {
      return "the up event is not sampled after the down event";
    }
    if (cameBack.endpointSource() != EndpointSource.ADVERTISED) {
      return "up through " + cameBack.endpoint().orElse("-") + " with provenance " + cameBack.endpointSource()
          + ", not advertised (the lab's nodes advertise their underlay addresses)";
    }
    String endpoint = cameBack.endpoint().orElseThrow();
    Optional<EndpointObserved> observed = events.stream().map(Envelope::payload)
        .filter(p -> p instanceof EndpointObserved).map(p -> (EndpointObserved) p)
        .filter(o -> o.peerPublicKey().equals(peerKey) && o.endpoint().equals(endpoint)).findFirst();
    if (observed.isEmpty()) {
      return "down and up through " + endpoint + ", but no endpoint-observed event for it";
    }
    EndpointObserved o = observed.get();
    if (!o.sampledAt().isAfter(since) || o.sampledAt().isAfter(cameBack.firstSampleInNew())) {
      return "endpoint " + endpoint + " observed at " + o.sampledAt() + ", not between the cut and the recovery";
    }
    return "ok: " + wentDown.from() + "->" + wentDown.to() + " at " + wentDown.firstSampleInNew() + " (" + wentDown.reason()
        + "), " + o.peerLabel() + "'s endpoint " + endpoint + " observed working for the first time at " + o.sampledAt()
        + " (" + o.source() + "), " + cameBack.from() + "->up at " + cameBack.firstSampleInNew() + " via " + endpoint + " (" + cameBack.endpointSource() + ")";
  }

  /** Every node pings every other node's KubeSpan address. */
  private void pingAll(Map<String, String> overlay, String when) {
    for (MeshNode from : nodes) {
      for (MeshNode to : nodes) {
        if (from != to) {
          assertThat(from.ping(overlay.get(to.name())))
              .as("%s pings %s's KubeSpan address %s %s", from.name(), to.name(), overlay.get(to.name()), when)
              .isTrue();
        }
      }
    }
  }

  private Map<String, Long> pids() {
    Map<String, Long> out = new LinkedHashMap<>();
    nodes.forEach(n -> out.put(n.name(), n.agent.pid().orElse(-1)));
    return out;
  }

  /** Per (node, peer label): {rx, tx}. */
  private Map<String, long[]> counters() {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (MeshNode n : nodes) {
      for (JsonNode p : n.peerStatuses()) {
        out.put(n.name() + "->" + p.path("label").asText(),
            new long[] {p.path("receiveBytes").asLong(), p.path("transmitBytes").asLong()});
      }
    }
    return out;
  }

  private static String describe(Map<String, long[]> counters) {
    StringBuilder out = new StringBuilder();
    counters.forEach((k, v) -> out.append(k).append(" rx=").append(v[0]).append(" tx=").append(v[1]).append("; "));
    return out.toString();
  }

  private String statuses() {
    StringBuilder out = new StringBuilder();
    for (MeshNode n : nodes) {
      out.append(n.name()).append(": ");
      List<JsonNode> peers = n.peerStatuses();
      if (peers.isEmpty()) {
        out.append("(no peers or no answer) ");
      }
      for (JsonNode p : peers) {
        out.append(p.path("label").asText()).append('=').append(p.path("state").asText())
            .append('@').append(p.path("endpoint").asText()).append(' ');
      }
    }
    return out.toString();
  }

  /**
   * Continuous pings between every pair: live traffic over the mesh. WireGuard re-keys a session
   * every 120 s only while data flows, and retries a failed handshake only for data.
   */
  private List<Process> pingers(Map<String, String> overlay) throws IOException {
    List<Process> out = new ArrayList<>();
    for (MeshNode from : nodes) {
      for (MeshNode to : nodes) {
        if (from != to) {
          ProcessBuilder builder = new ProcessBuilder(
              lab.command(from.node, List.of("ping", "-6", "-i", "0.5", "-W", "1", overlay.get(to.name()))));
          builder.redirectErrorStream(true);
          builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
          out.add(builder.start());
        }
      }
    }
    return out;
  }

  /** Whether {@code reporter}'s samples of {@code peerKey} after {@code since} show down, then up. */
  private boolean sawDownThenUp(String reporter, String peerKey, Instant since) {
    Instant down = null;
    for (TelemetryTap.Batch b : telemetry.batches()) {
      if (!b.batch().nodeId().equals(reporter) || b.at().isBefore(since)) {
        continue;
      }
      for (PeerSample p : b.batch().peers()) {
        if (!p.publicKey().equals(peerKey)) {
          continue;
        }
        if (down == null && (p.state() == PeerState.DOWN || p.rule().contains("was down"))) {
          down = b.at();
        } else if (down != null && p.state() == PeerState.UP) {
          return true;
        }
      }
    }
    return false;
  }

  private static Instant changedAt(java.util.Optional<JsonNode> status) {
    return status.map(s -> s.path("lastEndpointChange").asText(""))
        .filter(t -> !t.isEmpty() && !t.equals("null")).map(Instant::parse).orElse(Instant.EPOCH);
  }

  /**
   * Polls {@code check} (null = satisfied, else a description of what is still wrong) every
   * 500 ms; fails with the last description and the tail of every agent's log.
   */
  private void await(Duration timeout, String what, Supplier<String> check) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = check.get();
      if (last == null) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("within " + timeout.toSeconds() + " s: " + what + "; last seen: " + last + logTails());
  }

  private String logTails() {
    StringBuilder out = new StringBuilder();
    for (MeshNode n : nodes) {
      out.append("\n--- ").append(n.agent.log()).append(" (last lines) ---\n");
      try {
        List<String> lines = Files.readAllLines(n.agent.log());
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> out.append(l).append('\n'));
      } catch (IOException e) {
        out.append("(cannot read: ").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }
}
