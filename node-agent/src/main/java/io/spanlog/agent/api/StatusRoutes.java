package io.spanlog.agent.api;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The paths of an agent's status API ({@code node-agent/docs/status-api.md}): the four views,
 * read from the agent at each request, and the leave with its challenge.
 */
public final class StatusRoutes {
  private StatusRoutes() {}

  /** A status API server (not yet listening) for {@code agent}; leave challenges expire by the system clock. */
  public static StatusApiServer server(Vertx vertx, ServedAgent agent) {
    return server(vertx, agent, Clock.systemUTC());
  }

  /** A status API server (not yet listening) for {@code agent}. */
  public static StatusApiServer server(Vertx vertx, ServedAgent agent, Clock clock) {
    Map<String, Supplier<Object>> views = new LinkedHashMap<>();
    views.put("/v1/identity", agent::identity);
    views.put("/v1/peerspecs", () -> StatusViews.peerSpecs(agent.versions()));
    views.put("/v1/peerstatuses", () -> StatusViews.peerStatuses(agent.versions()));
    views.put("/v1/endpoints", () -> StatusViews.endpoints(agent.versions()));
    LeaveAction leave = new LeaveAction(vertx, agent, clock);
    return new StatusApiServer(vertx, views, Map.of("/v1/leave", leave, "/v1/leave/challenge", leave.challenge()));
  }
}
