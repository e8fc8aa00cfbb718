package io.spanlog.discovery.projection;

/**
 * How many Watch streams one instance holds open per client address and per cluster. A Watch
 * beyond either is refused when it is opened, before any snapshot is built for it.
 *
 * @param perAddress streams from one client address (as the rate limiter keys it)
 * @param perCluster streams on one cluster, whoever opened them
 */
public record WatchCaps(int perAddress, int perCluster) {
  /** No cap: tests and benchmarks that build a projection by hand. */
  public static final WatchCaps NONE = new WatchCaps(Integer.MAX_VALUE, Integer.MAX_VALUE);

  public WatchCaps {
    if (perAddress < 1 || perCluster < 1) {
      throw new IllegalArgumentException("Watch caps must be at least 1");
    }
  }

  /** Why a Watch was refused; the message is what the client reads with RESOURCE_EXHAUSTED. */
  public enum Refusal {
    ADDRESS("address", "too many Watch streams from this client address"),
    CLUSTER("cluster", "too many Watch streams on this cluster");

    private final String reason;
    private final String message;

    Refusal(String reason, String message) {
      this.reason = reason;
      this.message = message;
    }

    /** A metric label. */
    public String reason() {
      return reason;
    }

    public String message() {
      return message;
    }
  }
}
