package io.spanlog.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.identity.KubeSpanIdentity;
import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.infra.testing.ManualClock;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.net.IpPrefix;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The leave request against an agent that is only the interface: no HTTP, no discovery. */
class LeaveActionTest {
  private static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[32]);
  private static final LocalNode NODE = new LocalNode("node-a",
      new KubeSpanIdentity(IpPrefix.parse("fd00::1/128"), IpPrefix.parse("fd00::/64"),
          WireGuardSecret.generatePrivateKey()),
      "a", "a", "cluster", "ks1", 51820);

  private final Vertx vertx = Vertx.vertx();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
  private final AtomicInteger leaves = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Supplier<CompletionStage<StatusViews.Left>> leave = () -> null;
  private final LeaveAction action = new LeaveAction(vertx, new ServedAgent() {
    @Override
    public LocalNode self() {
      return NODE;
    }

    @Override
    public StatusViews.Identity identity() {
      throw new UnsupportedOperationException();
    }

    @Override
    public AgentState state() {
      return AgentState.INITIAL;
    }

    @Override
    public ClusterSecret clusterSecret() {
      return SECRET;
    }

    @Override
    public CompletionStage<StatusViews.Left> leave() {
      leaves.incrementAndGet();
      return leave.get();
    }

    @Override
    public void stopAfterLeaving() {
      stops.incrementAndGet();
    }
  }, clock);

  private StatusApiServer.Reply ask(String body, Supplier<CompletionStage<StatusViews.Left>> onLeave) throws Exception {
    leave = onLeave;
    return action.handle(body).await(10, TimeUnit.SECONDS);
  }

  private String nonce() throws Exception {
    var reply = action.challenge().handle("").await(10, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(200);
    var challenge = (StatusViews.LeaveChallenge) reply.body();
    assertThat(challenge.nodeId()).isEqualTo("node-a");
    assertThat(challenge.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
    return challenge.nonce();
  }

  private static String body(String nodeId, String nonce, String proof) {
    return StatusJson.write(new StatusViews.LeaveRequest(nodeId, nonce, proof));
  }

  private String valid() throws Exception {
    String nonce = nonce();
    return body("node-a", nonce, LeaveProof.of(SECRET, "cluster", "node-a", nonce));
  }

  private static CompletionStage<StatusViews.Left> failing(RuntimeException e) {
    return CompletableFuture.failedFuture(e);
  }

  @Test
  void aValidRequestLeavesAnswersWhatWasDoneAndStopsOnlyOnceTheAnswerIsSent() throws Exception {
    var left = new StatusViews.Left("node-a", "http://127.0.0.1:3000/", 2);
    var reply = ask(valid(), () -> CompletableFuture.completedFuture(left));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(left);
    assertThat(stops).hasValue(0);
    reply.afterSent().run();
    assertThat(stops).hasValue(1);
  }

  @Test
  void aBadBodyAnotherNodeOrAWrongProofIsRefusedWithoutLeaving() throws Exception {
    assertThat(ask("{}", () -> null).status()).isEqualTo(400);
    assertThat(ask("not json", () -> null).status()).isEqualTo(400);
    String nonce = nonce();
    var otherNode = ask(body("node-b", nonce, LeaveProof.of(SECRET, "cluster", "node-b", nonce)), () -> null);
    assertThat(otherNode.status()).isEqualTo(409);
    assertThat(((StatusViews.Error) otherNode.body()).error()).contains("node-a");
    String other = nonce();
    var wrongProof = ask(body("node-a", other, LeaveProof.of(ClusterSecret.fromBytes(new byte[32]), "other", "node-a",
        other)), () -> null);
    assertThat(wrongProof.status()).isEqualTo(403);
    assertThat(leaves).hasValue(0);
  }

  @Test
  void aCapturedProofCannotBeReplayed() throws Exception {
    String nonce = nonce();
    String captured = body("node-a", nonce, LeaveProof.of(SECRET, "cluster", "node-a", nonce));
    var left = new StatusViews.Left("node-a", "http://127.0.0.1:3000/", 0);
    assertThat(ask(captured, () -> CompletableFuture.completedFuture(left)).status()).isEqualTo(200);

    var replayed = ask(captured, () -> CompletableFuture.completedFuture(left));
    assertThat(replayed.status()).isEqualTo(403);
    assertThat(((StatusViews.Error) replayed.body()).error()).isEqualTo("the challenge nonce was not handed out by "
        + "this agent or was used already (each is good once): ask POST /v1/leave/challenge for a fresh one");
    assertThat(leaves).as("only the first request left").hasValue(1);
  }

  @Test
  void aProofOverANonceThisAgentNeverHandedOutIsRefused() throws Exception {
    // what a process standing in for the agent on its port would have made the CLI sign
    String chosen = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    var reply = ask(body("node-a", chosen, LeaveProof.of(SECRET, "cluster", "node-a", chosen)), () -> null);
    assertThat(reply.status()).isEqualTo(403);
    assertThat(leaves).hasValue(0);
  }

  @Test
  void aWrongProofUsesTheNonceUpSoItCannotBeGuessedAgainAndAgain() throws Exception {
    String nonce = nonce();
    assertThat(ask(body("node-a", nonce, "AAAA"), () -> null).status()).isEqualTo(403);
    var right = ask(body("node-a", nonce, LeaveProof.of(SECRET, "cluster", "node-a", nonce)), () -> null);
    assertThat(right.status()).isEqualTo(403);
    assertThat(((StatusViews.Error) right.body()).error()).contains("used already");
    assertThat(leaves).hasValue(0);
  }

  @Test
  void anExpiredNonceIsRefused() throws Exception {
    String nonce = nonce();
    clock.advance(java.time.Duration.ofSeconds(31));
    var reply = ask(body("node-a", nonce, LeaveProof.of(SECRET, "cluster", "node-a", nonce)), () -> null);
    assertThat(reply.status()).isEqualTo(403);
    assertThat(((StatusViews.Error) reply.body()).error()).startsWith("the challenge nonce expired");
    assertThat(leaves).hasValue(0);
  }

  @Test
  void theOldStaticProofNoLongerWorks() throws Exception {
    // v1: HMAC-SHA256 keyed with the raw secret over "spanlog agent leave v1\ncluster\nnode-a", no nonce
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.keyBytes(), "HmacSHA256"));
    String staticProof = java.util.Base64.getEncoder().encodeToString(
        mac.doFinal("spanlog agent leave v1\ncluster\nnode-a".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    var reply = ask("{\"nodeId\": \"node-a\", \"proof\": \"" + staticProof + "\"}", () -> null);
    assertThat(reply.status()).isEqualTo(403);
    assertThat(((StatusViews.Error) reply.body()).error()).startsWith("a leave proof must answer a challenge");
    assertThat(leaves).hasValue(0);
  }

  @Test
  void onlyTheLastSixteenChallengesAreKept() throws Exception {
    String first = nonce();
    for (int i = 0; i < LeaveChallenges.OUTSTANDING; i++) {
      nonce();
    }
    assertThat(ask(body("node-a", first, LeaveProof.of(SECRET, "cluster", "node-a", first)), () -> null).status())
        .as("the oldest was forgotten").isEqualTo(403);
    assertThat(ask(valid(), () -> CompletableFuture.completedFuture(new StatusViews.Left("node-a", "x", 0))).status())
        .isEqualTo(200);
  }

  @Test
  void refusalsMapToTheirStatusAndNothingStops() throws Exception {
    var refusedByService = ask(valid(), () -> failing(new LeaveRefused(true, "the discovery service refused")));
    assertThat(refusedByService.status()).isEqualTo(502);
    assertThat(((StatusViews.Error) refusedByService.body()).error()).isEqualTo("the discovery service refused");
    assertThat(ask(valid(), () -> failing(new LeaveRefused(false, "the agent is stopping"))).status()).isEqualTo(409);
    var bug = ask(valid(), () -> failing(new IllegalStateException("boom")));
    assertThat(bug.status()).isEqualTo(500);
    assertThat(((StatusViews.Error) bug.body()).error()).isEqualTo("leaving failed: boom");
    assertThat(stops).hasValue(0);
  }
}
