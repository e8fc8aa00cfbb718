package io.spanlog.discovery.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per client address (spec section 9). A call without a token reserves the
 * next one and waits for it, unless the wait would outlast its deadline: then it takes nothing
 * and fails.
 */
public final class RateLimiter {
  /** The caller may not proceed: the wait would pass its deadline. */
  static final long REFUSED = -1;

  private final double perNano;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate limit must be > 0 and burst >= 1");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  private static final class Bucket {
    double tokens;
    long at;
  }

  /**
   * Takes a token for {@code key}.
   *
   * @param maxWaitNanos how long the caller can wait; {@link Long#MAX_VALUE} without a deadline
   * @return nanoseconds to wait before proceeding (0: now), or {@link #REFUSED}
   */
  synchronized long reserve(String key, long maxWaitNanos) {
    long now = nanoClock.getAsLong();
    Bucket b = buckets.computeIfAbsent(key, k -> {
      Bucket fresh = new Bucket();
      fresh.tokens = burst;
      fresh.at = now;
      return fresh;
    });
    refill(b, now);
    b.tokens -= 1;
    if (b.tokens >= 0) {
      return 0;
    }
    long wait = (long) Math.ceil(-b.tokens / perNano);
    if (wait > maxWaitNanos) {
      b.tokens += 1;
      return REFUSED;
    }
    return wait;
  }

  /** Forgets buckets that are full again, so idle clients cost nothing. */
  public synchronized void sweep() {
    long now = nanoClock.getAsLong();
    buckets.values().removeIf(b -> {
      refill(b, now);
      return b.tokens >= burst;
    });
  }

  synchronized int size() {
    return buckets.size();
  }

  private void refill(Bucket b, long now) {
    if (now > b.at) {
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
      b.at = now;
    }
  }
}
