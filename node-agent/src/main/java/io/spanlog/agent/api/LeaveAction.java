package io.spanlog.agent.api;

import io.spanlog.agent.identity.LocalNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.spanlog.text.PrintableText;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/leave}: reads the request, checks that it names this node and carries a
 * {@link LeaveProof} over a fresh nonce of {@link #challenge()} ({@code POST /v1/leave/challenge}),
 * has the agent leave, and answers with what was done; the agent stops once the answer is sent.
 * Refusals answer at once and leave the agent running: 400 for a body that is not a leave request,
 * 409 for another node (or an agent that no longer runs), 403 for a missing, unknown, used or
 * expired nonce or a wrong proof, 502 when the discovery service does not accept the deletion.
 */
final class LeaveAction implements StatusApiServer.Action {
  private static final Logger LOG = LoggerFactory.getLogger(LeaveAction.class);

  private final Vertx vertx;
  private final ServedAgent agent;
  private final LeaveChallenges challenges;

  LeaveAction(Vertx vertx, ServedAgent agent, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.agent = Objects.requireNonNull(agent, "agent");
    this.challenges = new LeaveChallenges(clock, new SecureRandom());
  }

  /** {@code POST /v1/leave/challenge}: a nonce for one leave request, good once for 30 s. */
  StatusApiServer.Action challenge() {
    return body -> {
      var issued = challenges.issue();
      return Future.succeededFuture(StatusApiServer.Reply.of(200,
          new StatusViews.LeaveChallenge(agent.self().nodeId(), issued.getKey(), issued.getValue())));
    };
  }

  @Override
  public Future<StatusApiServer.Reply> handle(String body) {
    StatusViews.LeaveRequest request = parse(body);
    if (request == null || request.nodeId() == null || request.proof() == null) {
      return Future.succeededFuture(StatusApiServer.Reply.error(400,
          "the body must be JSON {\"nodeId\": ..., \"nonce\": ..., \"proof\": ...}, as ./spanlog agent leave "
              + "--config node.yaml sends"));
    }
    if (request.nonce() == null) {
      return Future.succeededFuture(StatusApiServer.Reply.error(403, "a leave proof must answer a challenge: "
          + "ask POST /v1/leave/challenge for a nonce and sign it (./spanlog agent leave does both); "
          + "proofs without a nonce are no longer accepted"));
    }
    LocalNode self = agent.self();
    if (!self.nodeId().equals(request.nodeId())) {
      return Future.succeededFuture(StatusApiServer.Reply.error(409,
          "this agent runs node " + self.nodeId() + ", not " + PrintableText.of(request.nodeId())));
    }
    switch (challenges.take(request.nonce())) {
      case FRESH -> { }
      case EXPIRED -> {
        return Future.succeededFuture(StatusApiServer.Reply.error(403, "the challenge nonce expired (each is good for "
            + LeaveChallenges.LIFETIME.toSeconds() + " s): ask POST /v1/leave/challenge for a fresh one"));
      }
      case UNKNOWN -> {
        return Future.succeededFuture(StatusApiServer.Reply.error(403, "the challenge nonce was not handed out by "
            + "this agent or was used already (each is good once): ask POST /v1/leave/challenge for a fresh one"));
      }
    }
    if (!LeaveProof.matches(request.proof(), agent.clusterSecret(), self.clusterId(), self.nodeId(), request.nonce())) {
      return Future.succeededFuture(StatusApiServer.Reply.error(403,
          "the leave proof does not match: it is made with this node's cluster id and secret over the nonce"));
    }
    return Future.fromCompletionStage(agent.leave(), vertx.getOrCreateContext())
        .map(left -> new StatusApiServer.Reply(200, left, agent::stopAfterLeaving))
        .otherwise(e -> refusal(self, e));
  }

  private static StatusViews.LeaveRequest parse(String body) {
    try {
      return StatusJson.mapper().readValue(body, StatusViews.LeaveRequest.class);
    } catch (IOException e) {
      return null;
    }
  }

  private static StatusApiServer.Reply refusal(LocalNode self, Throwable failure) {
    Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (e instanceof LeaveRefused refused) {
      return StatusApiServer.Reply.error(refused.stillRunning() ? 502 : 409, refused.getMessage());
    }
    LOG.warn("{}: leaving the cluster: {}", self.interfaceName(), e.toString());
    return StatusApiServer.Reply.error(500, "leaving failed: " + e.getMessage());
  }
}
