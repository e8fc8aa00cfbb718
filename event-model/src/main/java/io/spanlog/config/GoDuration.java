package io.spanlog.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of Spanlog's flags and config files: Go's, as the reference discovery
 * service's flags spell durations. A duration is one or more whole numbers each followed by its
 * unit, largest first or not: {@code 500ms}, {@code 30s}, {@code 1m}, {@code 1h30m}. Units:
 * {@code h}, {@code m}, {@code s}, {@code ms}.
 *
 * <p>Node config files accepted two more forms before this grammar was shared, and still do
 * ({@link #parseOrSeconds}): a bare whole number of seconds ({@code 275}, which YAML also hands
 * over as an integer) and a space between the number and its unit ({@code 275 s}).
 */
public final class GoDuration {
  /** The examples every error message offers. */
  public static final String EXAMPLES = "500ms, 30s, 1m, 1h30m";

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");
  private static final Pattern SPACED_PART = Pattern.compile("(\\d+)\\s*(ms|h|m|s)");
  private static final Pattern WHOLE_SECONDS = Pattern.compile("\\d+");

  private GoDuration() {}

  /**
   * Parses a Go-style duration.
   *
   * @throws IllegalArgumentException saying the text is not a duration, with examples
   */
  public static Duration parse(String text) {
    return parts(text, PART);
  }

  /**
   * As {@link #parse}, and also a bare whole number of seconds ({@code 275}) and a space between a
   * number and its unit ({@code 275 s}): what node config files accepted before.
   */
  public static Duration parseOrSeconds(String text) {
    String s = text == null ? "" : text.strip();
    if (WHOLE_SECONDS.matcher(s).matches()) {
      return Duration.ofSeconds(number(s, text));
    }
    return parts(text, SPACED_PART);
  }

  private static Duration parts(String text, Pattern part) {
    String s = text == null ? "" : text.strip();
    Matcher m = part.matcher(s);
    Duration d = Duration.ZERO;
    int end = 0;
    while (end < s.length() && m.find(end) && m.start() == end) {
      long n = number(m.group(1), text);
      try {
        d = d.plus(switch (m.group(2)) {
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMillis(n);
        });
      } catch (ArithmeticException e) {
        throw tooLong(text);
      }
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (examples: " + EXAMPLES + ")");
    }
    return d;
  }

  private static long number(String digits, String text) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw tooLong(text);
    }
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException("'" + text + "' is too long a duration");
  }
}
