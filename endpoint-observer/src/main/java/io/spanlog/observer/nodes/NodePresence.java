package io.spanlog.observer.nodes;

import io.spanlog.events.NodeReportingAgain;
import io.spanlog.events.NodeSilent;
import io.spanlog.observer.intake.TelemetryBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which nodes report: a node none of whose batches arrived for longer than {@code silentAfter}
 * of its cluster's arrival time is silent; its next batch (typically the oldest of the backlog an
 * agent keeps while cut off from discovery) reports it again, with the gap.
 */
public final class NodePresence {
  private final Duration silentAfter;

  public NodePresence(Duration silentAfter) {
    this.silentAfter = silentAfter;
  }

  /** The node's record after one of its batches, and the return it shows, if it was silent. */
  public record Step(NodeRecord next, Optional<NodeReportingAgain> back) {}

  public Step onBatch(Optional<NodeRecord> previous, TelemetryBatch b) {
    var batch = b.batch();
    if (previous.isEmpty()) {
      return new Step(
          new NodeRecord(batch.publicKey(), b.arrivedAt(), b.sampledAt(),
              batch.discoveryReachable(), false),
          Optional.empty());
    }
    NodeRecord prev = previous.get();
    boolean newest = !b.sampledAt().isBefore(prev.lastSampledAt());
    NodeRecord next =
        new NodeRecord(
            batch.publicKey(),
            max(prev.lastArrivedAt(), b.arrivedAt()),
            max(prev.lastSampledAt(), b.sampledAt()),
            newest ? batch.discoveryReachable() : prev.lastDiscoveryReachable(),
            false);
    if (!prev.silent()) {
      return new Step(next, Optional.empty());
    }
    NodeReportingAgain back =
        new NodeReportingAgain(
            batch.nodeId(),
            batch.publicKey(),
            prev.lastArrivedAt(),
            b.arrivedAt(),
            nonNegative(Duration.between(prev.lastArrivedAt(), b.arrivedAt())),
            prev.lastSampledAt(),
            b.sampledAt(),
            nonNegative(Duration.between(prev.lastSampledAt(), b.sampledAt())),
            batch.discoveryReachable());
    return new Step(next, Optional.of(back));
  }

  /** The silence of a node at its cluster's arrival time {@code now}, if it has just begun. */
  public Optional<NodeSilent> check(String nodeId, NodeRecord node, Instant now) {
    if (node.silent() || Duration.between(node.lastArrivedAt(), now).compareTo(silentAfter) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new NodeSilent(nodeId, node.publicKey(), node.lastArrivedAt(), node.lastSampledAt(),
            node.lastDiscoveryReachable(), now, silentAfter));
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
