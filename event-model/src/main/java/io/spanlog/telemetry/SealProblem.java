package io.spanlog.telemetry;

/** Why a sealed telemetry batch was refused: by the discovery service (framing) or a reader. */
public enum SealProblem {
  /** Shorter than its header, nonce and tag: cut off on the way, or not a sealed batch. */
  TRUNCATED,
  /** Larger than {@link TelemetrySeal#MAX_SEALED_BYTES}. */
  OVERSIZE,
  /** A sealing format this build does not know. */
  UNKNOWN_VERSION,
  /** The payload schema inside is not one this build reads. */
  UNKNOWN_SCHEMA,
  /** The clear node key is not a WireGuard public key. */
  BAD_NODE_KEY,
  /** Sealed under another cluster secret than the one registered for its cluster id. */
  NOT_SEALED_FOR_CLUSTER,
  /**
   * The key is right but the tag does not match: altered bytes, or a batch moved to another
   * cluster id or node key (both are bound in as associated data).
   */
  TAMPERED,
  /** Opens, but what is inside is not a valid handshake-sample batch. */
  MALFORMED_BATCH,
  /** Opens, but the batch inside names another node key than its clear header. */
  NODE_KEY_MISMATCH
}
