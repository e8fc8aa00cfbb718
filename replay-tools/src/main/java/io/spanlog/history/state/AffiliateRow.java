package io.spanlog.history.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One affiliate of a cluster at an instant, as {@code ctl history affiliates} prints it: always
 * what the log holds in clear (id, sizes, expiry, last change), and with the cluster's secret what
 * the node said about itself.
 *
 * @param dataBytes size of the encrypted affiliate data
 * @param expiry when it expires unless refreshed (the fold's TTL arithmetic)
 * @param lastChange the time of the last event that changed it, if it changed after the
 *     checkpoint the replay started from
 * @param decoded the decrypted data, with a secret that opens it
 * @param problem why the data did not open with the secret given
 */
public record AffiliateRow(
    String id,
    int dataBytes,
    int endpointCount,
    Instant expiry,
    Optional<Instant> lastChange,
    Optional<Decoded> decoded,
    Optional<String> problem) {

  /** What the node published, decrypted. */
  public record Decoded(String hostname, String nodename, Optional<String> kubeSpanAddress,
      Optional<String> publicKey, List<String> addresses, List<EndpointRow> endpoints) {}

  /** One endpoint candidate with where it came from (see {@link io.spanlog.peers.PeerSpecs}). */
  public record EndpointRow(String endpoint, String source) {}
}
