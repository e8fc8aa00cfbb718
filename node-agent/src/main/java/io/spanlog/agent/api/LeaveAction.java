package io.spanlog.agent.api;

import io.spanlog.agent.identity.LocalNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/leave}: reads the request, checks that it names this node and carries its
 * {@link LeaveProof}, has the agent leave, and answers with what was done; the agent stops once
 * the answer is sent. Refusals answer at once and leave the agent running: 400 for a body that is
 * not a leave request, 409 for another node (or an agent that no longer runs), 403 for a wrong
 * proof, 502 when the discovery service does not accept the deletion.
 */
final class LeaveAction implements StatusApiServer.Action {
  private static final Logger LOG = LoggerFactory.getLogger(LeaveAction.class);

  private final Vertx vertx;
  private final ServedAgent agent;

  LeaveAction(Vertx vertx, ServedAgent agent) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.agent = Objects.requireNonNull(agent, "agent");
  }

  @Override
  public Future<StatusApiServer.Reply> handle(String body) {
    StatusViews.LeaveRequest request = parse(body);
    if (request == null || request.nodeId() == null || request.proof() == null) {
      return Future.succeededFuture(StatusApiServer.Reply.error(400,
          "the body must be JSON {\"nodeId\": ..., \"proof\": ...}, as ./spanlog agent leave --config node.yaml sends"));
    }
    LocalNode self = agent.self();
    if (!self.nodeId().equals(request.nodeId())) {
      return Future.succeededFuture(StatusApiServer.Reply.error(409,
          "this agent runs node " + self.nodeId() + ", not " + request.nodeId()));
    }
    if (!LeaveProof.matches(request.proof(), agent.clusterSecret(), self.clusterId(), self.nodeId())) {
      return Future.succeededFuture(StatusApiServer.Reply.error(403,
          "the leave proof does not match: it is made with this node's cluster id and secret"));
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
