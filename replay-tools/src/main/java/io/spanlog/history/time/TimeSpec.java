package io.spanlog.history.time;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TIME of {@code ctl history}: an RFC 3339 instant ({@code 2026-11-27T03:12:00Z},
 * {@code 2026-11-27T04:12:00+01:00}, fractions allowed, a space for the {@code T}), {@code now},
 * or an instant relative to now: {@code -30s}, {@code -15m}, {@code -2h}, {@code -1d}.
 *
 * <p>Pure: "now" is the given clock's, so one command reads every TIME against the same clock.
 */
public final class TimeSpec {
  /** What the flags' help says TIME is. */
  public static final String FORMS = "RFC 3339 (2026-11-27T03:12:00Z), 'now', or relative to now: -30s, -15m, -2h, -1d";

  private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})([smhd])");

  private TimeSpec() {}

  /**
   * @throws IllegalArgumentException with one sentence naming the text and the accepted forms
   */
  public static Instant parse(String text, Clock clock) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a TIME is empty; give " + FORMS);
    }
    String t = text.strip();
    if (t.equalsIgnoreCase("now")) {
      return clock.instant();
    }
    Matcher relative = RELATIVE.matcher(t);
    if (relative.matches()) {
      long n = Long.parseLong(relative.group(1));
      Duration back = switch (relative.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return clock.instant().minus(back);
    }
    if (t.startsWith("-") || t.startsWith("+")) {
      throw new IllegalArgumentException("'" + printable(t) + "' is not a TIME: a relative time is a minus sign,"
          + " a whole number and one unit of s, m, h or d (e.g. -15m); give " + FORMS);
    }
    try {
      // RFC 3339 allows a space (or lower-case t/z) where ISO 8601 has T/Z
      String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + "T" + t.substring(11) : t;
      return OffsetDateTime.parse(iso.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      String hint = t.matches("\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")
          ? " (it needs a time zone: Z or an offset such as +01:00)" : "";
      throw new IllegalArgumentException("'" + printable(t) + "' is not a TIME" + hint + "; give " + FORMS);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + printable(t) + "' is out of range; give " + FORMS);
    }
  }

  /** The text as an operator may see it: at most 40 characters, no control characters. */
  private static String printable(String t) {
    String s = t.replaceAll("\\p{Cntrl}", "?");
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
