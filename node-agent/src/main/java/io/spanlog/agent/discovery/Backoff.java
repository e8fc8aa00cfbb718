package io.spanlog.agent.discovery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The reconnect backoff of Talos's discovery client: starts at 0.5 s, grows ×1.5 per attempt,
 * ±50 % jitter, capped at 60 s, never gives up; reset after a successful refresh.
 */
public final class Backoff {
  private static final double INITIAL_MS = 500;
  private static final double MULTIPLIER = 1.5;
  private static final double JITTER = 0.5;
  private static final double MAX_MS = 60_000;

  private final RandomGenerator random;
  private double current = INITIAL_MS;

  public Backoff(RandomGenerator random) {
    this.random = random;
  }

  /** The wait before the next attempt. */
  public Duration next() {
    double base = current;
    current = Math.min(MAX_MS, current * MULTIPLIER);
    double jittered = base * (1 - JITTER + 2 * JITTER * random.nextDouble());
    return Duration.ofMillis((long) Math.min(MAX_MS, jittered));
  }

  public void reset() {
    current = INITIAL_MS;
  }
}
