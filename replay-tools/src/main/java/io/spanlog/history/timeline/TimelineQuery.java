package io.spanlog.history.timeline;

import io.spanlog.affiliate.ClusterSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LinkTimelineFold} is asked: one link of one cluster over a time range.
 *
 * @param clusterId the cluster
 * @param node the observing node: its node name, host name, public key or affiliate id
 * @param peer the peer, named the same ways
 * @param from start of the range, inclusive
 * @param to end of the range, inclusive
 * @param secret the cluster's secret: without it, affiliate data and sealed samples stay opaque
 *     and only the observer's events (which name nodes in clear) tell the story
 * @param handshakeGap a stretch without handshake longer than this is told as a gap
 * @param silenceGap a stretch without a batch of a node longer than this is shown as silent
 */
public record TimelineQuery(
    String clusterId,
    String node,
    String peer,
    Instant from,
    Instant to,
    Optional<ClusterSecret> secret,
    Duration handshakeGap,
    Duration silenceGap) {
  /** WireGuard re-keys every 120 s while a session is used; 180 s is its reject-after time. */
  public static final Duration DEFAULT_HANDSHAKE_GAP = Duration.ofSeconds(180);
  /** Agents send a batch every reconcile (30 s by default): three missed batches are silence. */
  public static final Duration DEFAULT_SILENCE_GAP = Duration.ofSeconds(90);

  public TimelineQuery {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(handshakeGap, "handshakeGap");
    Objects.requireNonNull(silenceGap, "silenceGap");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the range ends (" + to + ") before it starts (" + from + ")");
    }
  }

  public TimelineQuery(String clusterId, String node, String peer, Instant from, Instant to,
      Optional<ClusterSecret> secret) {
    this(clusterId, node, peer, from, to, secret, DEFAULT_HANDSHAKE_GAP, DEFAULT_SILENCE_GAP);
  }

  /**
   * Parses {@code NODE:PEER}. Public keys are base64 (no colon), node names have none either.
   *
   * @throws IllegalArgumentException with a sentence when it is not two non-empty names
   */
  public static String[] parseLink(String link) {
    int colon = link == null ? -1 : link.indexOf(':');
    if (colon <= 0 || colon == link.length() - 1 || link.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("--link must be NODE:PEER (node names or public keys), not '" + link + "'");
    }
    return new String[] {link.substring(0, colon).strip(), link.substring(colon + 1).strip()};
  }
}
