package io.spanlog.history.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's mesh at an instant, as {@code ctl history state} prints it.
 *
 * @param nodes every node (an affiliate with KubeSpan whose data opens) with the peer specs it
 *     computes at that instant
 * @param links every link node → peer the specs imply, with its state as of that instant
 * @param matrix rows: the observing node's label; columns: the peer's; cells: up, down, unknown
 * @param notes sentences an operator should read (missing link events, skipped batches, ...)
 */
public record MeshState(String cluster, Instant at, List<Node> nodes, List<Link> links,
    Map<String, Map<String, String>> matrix, List<String> notes) {

  /** One node and its peer specs. */
  public record Node(String affiliateId, String label, String publicKey, String address, List<Peer> peers,
      List<String> warnings) {}

  /** One peer spec, as the agent computes it. */
  public record Peer(String label, String publicKey, String address, List<String> allowedIps,
      List<AffiliateRow.EndpointRow> endpoints) {}

  /**
   * One link's state as of the instant.
   *
   * @param since when it entered that state (link events) or the sample time (samples)
   * @param reason the rule that set the state, in words
   * @param from "link-events" (the observer's), "samples" (raw telemetry), or "none"
   */
  public record Link(String node, String peer, String nodePublicKey, String peerPublicKey, String state,
      Optional<Instant> since, Optional<String> endpoint, Optional<String> endpointSource, String reason, String from) {}
}
