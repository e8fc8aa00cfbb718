package io.spanlog.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One way a node's device differs from the peer specs its cluster's discovery state gives it
 * (the same {@code PeerSpecs.compute} the agent runs), as its telemetry shows.
 *
 * @param kind what differs
 * @param peerPublicKey the peer concerned
 * @param peerLabel the peer's node name (from discovery, or from the node's sample when the peer
 *     is no longer in discovery)
 * @param endpoint for {@link Kind#ENDPOINT_NOT_A_CANDIDATE}: the endpoint the node uses
 * @param since the sample time the difference was first seen in
 */
public record PeerSpecDiscrepancy(
    Kind kind, String peerPublicKey, String peerLabel, Optional<String> endpoint, Instant since) {

  /** What differs. */
  public enum Kind {
    /** The node reports no sample of a peer its specs include (it missed a join). */
    MISSING_PEER,
    /** The node still has a peer its specs no longer include (it missed a leave). */
    UNEXPECTED_PEER,
    /** The node uses an endpoint for the peer that is none of the peer's candidates. */
    ENDPOINT_NOT_A_CANDIDATE;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Kind fromWireName(String name) {
      for (Kind k : values()) {
        if (k.wireName().equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown discrepancy '" + name
          + "' (expected missing-peer, unexpected-peer or endpoint-not-a-candidate)");
    }
  }

  public PeerSpecDiscrepancy {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(since, "since");
  }

  /** The same discrepancy seen at another time (kind, peer and endpoint). */
  public boolean sameAs(PeerSpecDiscrepancy other) {
    return kind == other.kind && peerPublicKey.equals(other.peerPublicKey)
        && endpoint.equals(other.endpoint);
  }
}
