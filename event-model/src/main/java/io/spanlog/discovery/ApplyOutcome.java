package io.spanlog.discovery;

import java.util.List;
import java.util.Objects;

/**
 * The result of applying one event to a cluster.
 *
 * @param state the cluster after the event
 * @param notifications what its watchers must be sent, in order
 * @param outcome what the event's writer is answered
 */
public record ApplyOutcome(
    ClusterState state, List<Notification> notifications, WriteOutcome outcome) {
  public ApplyOutcome {
    Objects.requireNonNull(state, "state");
    notifications = List.copyOf(notifications);
    Objects.requireNonNull(outcome, "outcome");
  }

  static ApplyOutcome unchanged(ClusterState state) {
    return new ApplyOutcome(state, List.of(), WriteOutcome.OK);
  }
}
