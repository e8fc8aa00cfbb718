package io.spanlog.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.identity.KubeSpanIdentity;
import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.net.IpPrefix;
import io.vertx.core.Vertx;
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
  private final AtomicInteger leaves = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private StatusApiServer.Reply ask(String body, Supplier<CompletionStage<StatusViews.Left>> leave) throws Exception {
    var agent = new ServedAgent() {
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
    };
    return new LeaveAction(vertx, agent).handle(body).await(10, TimeUnit.SECONDS);
  }

  private static String body(String nodeId, String proof) {
    return StatusJson.write(new StatusViews.LeaveRequest(nodeId, proof));
  }

  private static String valid() {
    return body("node-a", LeaveProof.of(SECRET, "cluster", "node-a"));
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
    var otherNode = ask(body("node-b", LeaveProof.of(SECRET, "cluster", "node-b")), () -> null);
    assertThat(otherNode.status()).isEqualTo(409);
    assertThat(((StatusViews.Error) otherNode.body()).error()).contains("node-a");
    var wrongProof = ask(body("node-a", LeaveProof.of(ClusterSecret.fromBytes(new byte[32]), "other", "node-a")),
        () -> null);
    assertThat(wrongProof.status()).isEqualTo(403);
    assertThat(leaves).hasValue(0);
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
