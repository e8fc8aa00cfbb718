package io.spanlog.history.timeline;

import java.time.Duration;
import java.util.Locale;

/** How durations and rates read in the story. */
public final class Wording {
  private Wording() {}

  /** {@code 45s}, {@code 4m35s}, {@code 2h03m}, {@code 3d04h}. */
  public static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
    }
    if (s < 86400) {
      return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
    return (s / 86400) + "d" + String.format(Locale.ROOT, "%02d", (s % 86400) / 3600) + "h";
  }

  /** Bytes per second in binary units: {@code 0 B/s}, {@code 812 B/s}, {@code 1.5 KiB/s}. */
  public static String rate(double bytesPerSecond) {
    String[] units = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
    double v = bytesPerSecond;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? Math.round(v) + " " + units[0] : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
