package io.spanlog.history.timeline;

/** What one line of a link's story is about. */
public enum EntryKind {
  /** An end appeared in discovery (its first affiliate update in the range). */
  AFFILIATE_JOINED,
  /** An end's own data changed (addresses, KubeSpan address or key, names). */
  AFFILIATE_CHANGED,
  /** Garbage collection removed an end: its lifetime ran out. */
  AFFILIATE_EXPIRED,
  /** An end was deleted (it left, or someone deleted it). */
  AFFILIATE_DELETED,
  /** An endpoint was added to an end's affiliate, by itself or harvested by another node. */
  ENDPOINT_ADDED,
  /** An endpoint of an end's affiliate ran out. */
  ENDPOINT_EXPIRED,
  /** The endpoint the observing node first used for the peer in the range. */
  ENDPOINT_IN_USE,
  /** The observing node moved to another endpoint candidate of the peer. */
  ENDPOINT_CYCLED,
  /** The observer saw the link up through an endpoint nobody had seen working before. */
  ENDPOINT_PROVEN,
  /** The link changed state, with the rule that set the new state. */
  STATE_CHANGED,
  /** No handshake for longer than the gap threshold. */
  HANDSHAKE_GAP,
  /** An end said it could not reach its discovery service. */
  DISCOVERY_UNREACHABLE,
  /** An end reached its discovery service again. */
  DISCOVERY_REACHABLE,
  /** The observer heard nothing from an end for longer than its threshold. */
  NODE_SILENT,
  /** An end the observer had judged silent reported again. */
  NODE_REPORTING_AGAIN,
  /** The link changed state more often than the observer's threshold. */
  FLAPPING,
  FLAPPING_CLEARED,
  /** Up this way, not seen up the other way. */
  ASYMMETRIC,
  ASYMMETRY_CLEARED
}
