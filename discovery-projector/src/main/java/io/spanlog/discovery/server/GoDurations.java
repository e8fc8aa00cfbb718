package io.spanlog.discovery.server;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the reference's flags spell them: {@code 1m}, {@code 30s}, {@code 1h30m}, {@code 500ms}. */
final class GoDurations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

  private GoDurations() {}

  static Duration parse(String text) {
    Matcher m = PART.matcher(text.trim());
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
      end = m.end();
    }
    if (end == 0 || end != text.trim().length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 1m, 30s, 1h30m, 500ms)");
    }
    return d;
  }
}
