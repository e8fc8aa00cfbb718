package io.spanlog.agent.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The nonces a {@link LeaveProof} must answer: 32 random bytes each, good once and for
 * {@link #LIFETIME}. At most {@link #OUTSTANDING} are kept; asking for more forgets the oldest, so
 * a local process asking in a loop costs a few kilobytes, never more. Thread-safe.
 */
final class LeaveChallenges {
  static final Duration LIFETIME = Duration.ofSeconds(30);
  static final int OUTSTANDING = 16;

  /** What {@link #take} found for a nonce. */
  enum Check { FRESH, UNKNOWN, EXPIRED }

  private final Clock clock;
  private final SecureRandom random;
  /** Nonce to its expiry, oldest first. */
  private final LinkedHashMap<String, Instant> issued = new LinkedHashMap<>();

  LeaveChallenges(Clock clock, SecureRandom random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A new nonce (base64) and when it expires. */
  synchronized Map.Entry<String, Instant> issue() {
    Instant now = clock.instant();
    issued.values().removeIf(expiry -> !expiry.isAfter(now));
    while (issued.size() >= OUTSTANDING) {
      Iterator<String> oldest = issued.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String nonce = Base64.getEncoder().encodeToString(raw);
    Instant expiry = now.plus(LIFETIME);
    issued.put(nonce, expiry);
    return Map.entry(nonce, expiry);
  }

  /** Uses the nonce up, whatever the answer: a nonce is presented once, right or wrong. */
  synchronized Check take(String nonce) {
    Instant expiry = nonce == null ? null : issued.remove(nonce);
    if (expiry == null) {
      return Check.UNKNOWN;
    }
    return expiry.isAfter(clock.instant()) ? Check.FRESH : Check.EXPIRED;
  }
}
