package io.spanlog.agent.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.AgentEvents;
import io.spanlog.agent.NodeAgent;
import io.spanlog.agent.api.StatusJson;
import io.spanlog.agent.api.StatusViews;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.agent.status.PeerStatus;
import io.spanlog.agent.wireguard.PeerReading;
import io.spanlog.events.PeerState;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.net.Endpoint;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process agents on the memory backend (simulated devices on one simulated network)
 * against the real discovery service on the real test broker, with shortened status timings.
 */
class MemoryMeshIT {
  private static final String TIMINGS =
      "{ peerDownInterval: 3s, endpointConnectionTimeout: 1s, reconcileInterval: 300ms }";

  @TempDir Path state;
  private Vertx vertx;
  private RealDiscovery discovery;
  private SimulatedMesh mesh;
  private final List<NodeAgent> agents = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    discovery = RealDiscovery.start();
    mesh = new SimulatedMesh(vertx, discovery.url(), state, TIMINGS);
  }

  @AfterEach
  void stop() throws Exception {
    agents.forEach(NodeAgent::stop);
    discovery.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private NodeAgent startAgent(int i, int apiPort) {
    NodeAgent agent = mesh.agent(mesh.config(i, apiPort), i);
    agents.add(agent);
    agent.start();
    return agent;
  }

  @Test
  void threeNodesMeshUpSurviveACutLinkLeaveAndRestart() throws Exception {
    int api = FreePorts.next();
    NodeAgent n1 = startAgent(1, api);
    NodeAgent n2 = startAgent(2, 0);
    NodeAgent n3 = startAgent(3, 0);
    List<NodeAgent> all = List.of(n1, n2, n3);

    // converge: every node has the other two as peers in its device, and they are up
    for (NodeAgent a : all) {
      Set<String> others = all.stream().filter(o -> o != a).map(o -> o.identity().publicKey()).collect(Collectors.toSet());
      await("peers of " + a.nodeId(), () -> devicePeers(a).equals(others) && specKeys(a).equals(others));
      await("peers of " + a.nodeId() + " up", () -> a.state().statuses().size() == 2
          && a.state().statuses().values().stream().allMatch(s -> s.state() == PeerState.UP));
    }
    assertThat(Files.getPosixFilePermissions(state.resolve("node-1/kubespan-identity.yaml")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    // the four views over HTTP
    String identityJson = get(api, "/v1/identity").body();
    var identity = StatusJson.mapper().readValue(identityJson, StatusViews.Identity.class);
    assertThat(identity.publicKey()).isEqualTo(n1.identity().publicKey());
    assertThat(identity.nodeId()).isEqualTo(n1.nodeId());
    assertThat(identity.address()).endsWith("/128").isEqualTo(n1.identity().address().toString());
    assertThat(identity.subnet()).endsWith("/64");
    assertThat(identity.hostname()).isEqualTo("node-1");
    assertThat(identity.discovery().state()).isEqualTo("watching");
    assertThat(identityJson).doesNotContain(n1.identity().privateKey().revealBase64())
        .doesNotContain(n1.config().clusterSecret().revealBase64());
    var specs = StatusJson.mapper().readValue(get(api, "/v1/peerspecs").body(), StatusViews.PeerSpecs.class);
    assertThat(specs.peers()).extracting(StatusViews.Spec::label).containsExactlyInAnyOrder("node-2", "node-3");
    assertThat(specs.peers()).allSatisfy(p -> assertThat(p.endpoints()).extracting(StatusViews.EndpointCandidate::source)
        .containsOnly("advertised"));
    var statuses = StatusJson.mapper().readValue(get(api, "/v1/peerstatuses").body(), StatusViews.PeerStatuses.class);
    assertThat(statuses.peers()).hasSize(2).allSatisfy(s -> {
      assertThat(s.state()).isEqualTo("up");
      assertThat(s.lastHandshake()).isPresent();
      assertThat(s.receiveBytes()).isPositive();
      assertThat(s.transmitBytes()).isPositive();
    });
    var endpoints = StatusJson.mapper().readValue(get(api, "/v1/endpoints").body(), StatusViews.Endpoints.class);
    assertThat(endpoints.endpoints()).extracting(StatusViews.HarvestedEndpoint::affiliateId)
        .containsExactlyInAnyOrder(n2.nodeId(), n3.nodeId());
    var missing = get(api, "/v1/nothing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(StatusJson.mapper().readTree(missing.body()).get("error").asText()).contains("/v1/nothing");
    var post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/v1/identity"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));

    // node 3's first underlay link fails: the link between nodes 1 and 3 goes down; whichever side
    // cycles first moves to the other's second endpoint (over network 2), and the link is up again
    String key1 = n1.identity().publicKey();
    String key3 = n3.identity().publicKey();
    Endpoint third1 = new Endpoint(SimulatedMesh.underlay(3).get(0), 51820);
    Endpoint third2 = new Endpoint(SimulatedMesh.underlay(3).get(1), 51820);
    Endpoint first2 = new Endpoint(SimulatedMesh.underlay(1).get(1), 51820);
    assertThat(n1.state().statuses().get(key3).lastUsedEndpoint()).contains(third1);
    mesh.network().cut(SimulatedMesh.underlay(3).get(0));
    List<PeerStatus> seen = new ArrayList<>();
    await("the link between nodes 1 and 3 back up over network 2", () -> {
      PeerStatus oneSeesThree = n1.state().statuses().get(key3);
      PeerStatus threeSeesOne = n3.state().statuses().get(key1);
      seen.add(oneSeesThree);
      seen.add(threeSeesOne);
      boolean cycled = oneSeesThree.lastUsedEndpoint().equals(java.util.Optional.of(third2))
          || threeSeesOne.lastUsedEndpoint().equals(java.util.Optional.of(first2));
      return cycled && oneSeesThree.state() == PeerState.UP && threeSeesOne.state() == PeerState.UP;
    });
    assertThat(seen).anySatisfy(s -> {
      assertThat(s.state()).isNotEqualTo(PeerState.UP);
      assertThat(s.rule()).containsAnyOf("endpoint set to " + third2, "endpoint set to " + first2).contains("was down");
    });
    mesh.network().restore(SimulatedMesh.underlay(3).get(0));

    // node 3 leaves: it disappears from the others' devices
    n3.leave();
    agents.remove(n3);
    for (NodeAgent a : List.of(n1, n2)) {
      await("node 3 gone from " + a.nodeId(), () -> !devicePeers(a).contains(key3) && !specKeys(a).contains(key3));
    }

    // node 2 restarts: same identity, and the mesh comes back
    String id2 = n2.nodeId();
    String key2 = n2.identity().publicKey();
    String address2 = n2.identity().address().toString();
    n2.stop();
    agents.remove(n2);
    NodeAgent again = startAgent(2, 0);
    assertThat(again.nodeId()).isEqualTo(id2);
    assertThat(again.identity().publicKey()).isEqualTo(key2);
    assertThat(again.identity().address().toString()).isEqualTo(address2);
    await("restarted node 2 up with node 1", () -> {
      PeerStatus s = again.state().statuses().get(n1.identity().publicKey());
      return s != null && s.state() == PeerState.UP;
    });
  }

  @Test
  void aValidConfigChangeIsAppliedInPlaceAndAnInvalidOneIsRefused() throws Exception {
    int api = FreePorts.next();
    NodeAgent n1 = startAgent(1, api);
    NodeAgent n2 = startAgent(2, 0);
    await("the pair up", () -> n1.state().statuses().values().stream().anyMatch(s -> s.state() == PeerState.UP));

    // nodename and status API port change: the peer's label changes, the API moves, same identity
    String key = n1.identity().publicKey();
    int newApi = FreePorts.next();
    var next = io.spanlog.agent.config.NodeConfigParser.parse(mesh.yaml(1, newApi)
        .replace("node: { hostname: node-1 }", "node: { hostname: node-1, nodename: renamed-1 }"));
    var parts = n1.reconfigure(next);
    assertThat(parts).contains(io.spanlog.agent.config.ConfigDiff.Part.STATUS_API)
        .doesNotContain(io.spanlog.agent.config.ConfigDiff.Part.IDENTITY, io.spanlog.agent.config.ConfigDiff.Part.DEVICE);
    assertThat(n1.identity().publicKey()).isEqualTo(key);
    assertThat(n1.statusApiPort()).isEqualTo(newApi);
    assertThat(get(newApi, "/v1/identity").statusCode()).isEqualTo(200);
    await("node 2 sees the new label", () -> n2.state().statuses().values().stream()
        .anyMatch(s -> s.label().equals("renamed-1") && s.state() == PeerState.UP));

    // a change that cannot be applied (the new port is taken) leaves the agent on its running config
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      var blocked = io.spanlog.agent.config.NodeConfigParser.parse(mesh.yaml(1, taken.getLocalPort())
          .replace("node: { hostname: node-1 }", "node: { hostname: node-1, nodename: renamed-1 }"));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> n1.reconfigure(blocked))
          .hasMessageContaining("statusApi.port");
    }
    assertThat(n1.config()).isEqualTo(next);
    assertThat(n1.statusApiPort()).isEqualTo(newApi);
    assertThat(n1.identity().publicKey()).isEqualTo(key);
    await("the pair up again", () -> n1.state().statuses().values().stream().anyMatch(s -> s.state() == PeerState.UP));
  }

  @Test
  void aRunningAgentAskedToLeaveDeletesItsAffiliateEmptiesItsDeviceStopsAndStaysGone() throws Exception {
    int api = FreePorts.next();
    NodeAgent n1 = startAgent(1, 0);
    NodeAgent n2 = startAgent(2, 0);
    NodeAgent n3 = startAgent(3, api);
    java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);
    n3.whenLeft(left::countDown);
    String key3 = n3.identity().publicKey();
    for (NodeAgent a : List.of(n1, n2)) {
      await("node 3 in the device of " + a.nodeId(), () -> devicePeers(a).contains(key3));
    }
    await("node 3 has both peers", () -> devicePeers(n3).size() == 2);
    var device3 = n3.device();
    String id3 = n3.nodeId();
    var secret = n3.config().clusterSecret();
    String cluster = n3.config().clusterId();

    // refusals leave the agent running
    assertThat(post(api, "/v1/leave", "{}").statusCode()).isEqualTo(400);
    String nonce = challenge(api, id3);
    var wrongNode = post(api, "/v1/leave", leaveBody(n1.nodeId(), nonce,
        io.spanlog.agent.api.LeaveProof.of(secret, cluster, n1.nodeId(), nonce)));
    assertThat(wrongNode.statusCode()).isEqualTo(409);
    assertThat(wrongNode.body()).contains(id3);
    nonce = challenge(api, id3);
    var wrongSecret = post(api, "/v1/leave", leaveBody(id3, nonce, io.spanlog.agent.api.LeaveProof.of(
        io.spanlog.affiliate.ClusterSecret.fromBytes(new byte[32]), cluster, id3, nonce)));
    assertThat(wrongSecret.statusCode()).isEqualTo(403);
    assertThat(wrongSecret.body()).doesNotContain(secret.revealBase64());
    var staticProof = post(api, "/v1/leave", "{\"nodeId\": \"" + id3 + "\", \"proof\": \"" + staticProof(secret,
        cluster, id3) + "\"}");
    assertThat(staticProof.statusCode()).as("the v1 proof, without a challenge").isEqualTo(403);
    assertThat(staticProof.body()).contains("a leave proof must answer a challenge");
    String made = java.util.Base64.getEncoder().encodeToString(new byte[32]); // a stand-in's own nonce
    var notIssued = post(api, "/v1/leave", leaveBody(id3, made, io.spanlog.agent.api.LeaveProof.of(secret, cluster,
        id3, made)));
    assertThat(notIssued.statusCode()).as("a proof over a nonce this agent never handed out").isEqualTo(403);
    assertThat(post(api, "/v1/leave/challenge/x", "").statusCode()).isEqualTo(404);
    assertThat(get(api, "/v1/leave").statusCode()).isEqualTo(405);
    PassCount passes3 = PassCount.of(n3);
    await("node 3 still reconciling", () -> passes3.get() > 1);
    assertThat(devicePeers(n1)).contains(key3);

    nonce = challenge(api, id3);
    var answer = post(api, "/v1/leave", leaveBody(id3, nonce, io.spanlog.agent.api.LeaveProof.of(secret, cluster, id3,
        nonce)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    var reply = StatusJson.mapper().readValue(answer.body(), StatusViews.Left.class);
    assertThat(reply.nodeId()).isEqualTo(id3);
    assertThat(reply.peersRemoved()).isEqualTo(2);
    assertThat(left.await(30, TimeUnit.SECONDS)).as("the agent stopped after leaving").isTrue();
    agents.remove(n3);
    assertThat(device3.read().peers()).as("peers removed from the leaving node's device").isEmpty();
    assertThat(n3.device()).as("device closed").isNull();
    assertThat(n3.statusApiPort()).isEqualTo(-1);
    // a config change arriving afterwards does not bring the node back
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> n3.reconfigure(mesh.config(3, 0)))
        .isInstanceOf(io.spanlog.agent.AgentException.class).hasMessageContaining("stopped");

    for (NodeAgent a : List.of(n1, n2)) {
      await("node 3 gone from " + a.nodeId(), () -> !devicePeers(a).contains(key3) && !specKeys(a).contains(key3));
    }
    // and it stays gone: many passes of the others (and their harvest refreshes) later
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    PassCount passes1 = PassCount.of(n1);
    while (System.nanoTime() < until) {
      for (NodeAgent a : List.of(n1, n2)) {
        assertThat(devicePeers(a)).doesNotContain(key3);
        assertThat(specKeys(a)).doesNotContain(key3);
      }
      Thread.sleep(50);
    }
    assertThat(passes1.get()).isGreaterThan(5);
    await("nodes 1 and 2 still up with each other", () -> n1.state().statuses().values().stream()
        .allMatch(s -> s.state() == PeerState.UP) && n1.state().statuses().size() == 1);
  }

  @Test
  void aLeaveTheDiscoveryServiceCannotTakeIsRefusedAndTheAgentKeepsRunning() throws Exception {
    var unreachable = new SimulatedMesh(vertx, "http://127.0.0.1:" + FreePorts.next() + "/", state, TIMINGS);
    int api = FreePorts.next();
    NodeAgent lonely = unreachable.agent(unreachable.config(1, api), 1);
    agents.add(lonely);
    lonely.start();
    String id = lonely.nodeId();
    String nonce = challenge(api, id);
    String captured = leaveBody(id, nonce, io.spanlog.agent.api.LeaveProof.of(
        lonely.config().clusterSecret(), lonely.config().clusterId(), id, nonce));
    var answer = post(api, "/v1/leave", captured);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
    assertThat(answer.body()).contains("did not accept the deletion");
    // the same valid request again, as whoever captured it would send it: refused before any leave
    var replayed = post(api, "/v1/leave", captured);
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(403);
    assertThat(replayed.body()).contains("was used already");
    // a fresh challenge works (the leave is tried again, and the service still cannot take it)
    String fresh = challenge(api, id);
    answer = post(api, "/v1/leave", leaveBody(id, fresh, io.spanlog.agent.api.LeaveProof.of(
        lonely.config().clusterSecret(), lonely.config().clusterId(), id, fresh)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
    PassCount passes = PassCount.of(lonely);
    await("the agent still reconciling", () -> passes.get() > 1);
    assertThat(get(api, "/v1/identity").statusCode()).isEqualTo(200);
  }

  /** Counts an agent's passes from when it is made: "still reconciling" is "more passes ran". */
  private static final class PassCount implements AgentEvents {
    private final AtomicLong passes = new AtomicLong();

    static PassCount of(NodeAgent agent) {
      PassCount count = new PassCount();
      agent.addListener(count);
      return count;
    }

    @Override
    public void onPass(AgentState state, Duration took) {
      passes.incrementAndGet();
    }

    long get() {
      return passes.get();
    }
  }

  private static String leaveBody(String nodeId, String nonce, String proof) {
    return StatusJson.write(new StatusViews.LeaveRequest(nodeId, nonce, proof));
  }

  /** {@code POST /v1/leave/challenge}: the nonce the next leave proof must sign. */
  private String challenge(int port, String nodeId) throws Exception {
    var response = post(port, "/v1/leave/challenge", "");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    var challenge = StatusJson.mapper().readValue(response.body(), StatusViews.LeaveChallenge.class);
    assertThat(challenge.nodeId()).isEqualTo(nodeId);
    return challenge.nonce();
  }

  /** The proof of before the challenge: HMAC under the raw secret of cluster and node id, the same at every leave. */
  private static String staticProof(io.spanlog.affiliate.ClusterSecret secret, String cluster, String nodeId)
      throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.keyBytes(), "HmacSHA256"));
    return java.util.Base64.getEncoder().encodeToString(mac.doFinal(("spanlog agent leave v1\n" + cluster + "\n"
        + nodeId).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> post(int port, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Set<String> devicePeers(NodeAgent a) {
    return a.device() == null ? Set.of()
        : a.device().read().peers().stream().map(PeerReading::publicKey).map(Object::toString).collect(Collectors.toSet());
  }

  private static Set<String> specKeys(NodeAgent a) {
    return a.state().specs().peers().stream().map(p -> p.publicKey()).collect(Collectors.toSet());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after 30 s waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
