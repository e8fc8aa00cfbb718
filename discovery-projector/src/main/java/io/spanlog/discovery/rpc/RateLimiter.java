package io.spanlog.discovery.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per client address (spec section 9). A call without a token reserves the
 * next one and waits for it, unless the wait would outlast its deadline: then it takes nothing
 * and fails.
 *
 * <p>A bucket goes at most one burst into debt: a call that would take it further is refused
 * whatever its deadline. Without that bound a client sending calls without a deadline could queue
 * any number of them, each waiting with its decoded message in memory; with it, one address has
 * at most one burst of calls waiting, none longer than {@code burst / perSecond} (4 s with the
 * defaults).
 */
public final class RateLimiter {
  /** The caller may not proceed: the wait would pass its deadline. */
  static final long REFUSED = -1;
  /** The caller may not proceed: its address is already a whole burst in debt. */
  static final long REFUSED_IN_DEBT = -2;

  private final double perSecond;
  private final double perNano;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate limit must be > 0 and burst >= 1");
    }
    this.perSecond = perSecond;
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
   * @return nanoseconds to wait before proceeding (0: now), {@link #REFUSED} or {@link #REFUSED_IN_DEBT}
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
    if (b.tokens < -burst) {
      b.tokens += 1;
      return REFUSED_IN_DEBT;
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

  /** The limit in words, e.g. "15 per second, burst 60". */
  String describe() {
    String rate = perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    return rate + " per second, burst " + burst;
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
