package io.spanlog.history.timeline.render;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Maps instants of a range to x positions, and picks round tick instants for the axis. */
final class TimeAxis {
  private static final long[] STEPS_S = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
      10800, 21600, 43200, 86400, 172800, 604800};
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_CLOCK =
      DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

  final Instant from;
  final Instant to;
  final double x0;
  final double width;

  TimeAxis(Instant from, Instant to, double x0, double width) {
    this.from = from;
    this.to = to.isAfter(from) ? to : from.plusSeconds(1);
    this.x0 = x0;
    this.width = width;
  }

  double x(Instant t) {
    double span = Duration.between(from, to).toMillis();
    double at = Duration.between(from, t).toMillis();
    return x0 + Math.max(0, Math.min(1, at / span)) * width;
  }

  List<Instant> ticks() {
    long span = Math.max(1, Duration.between(from, to).toSeconds());
    long step = STEPS_S[STEPS_S.length - 1];
    for (long s : STEPS_S) {
      if (span / s <= 8) {
        step = s;
        break;
      }
    }
    List<Instant> out = new ArrayList<>();
    long first = Math.floorDiv(from.getEpochSecond() + step - 1, step) * step;
    for (long t = first; t <= to.getEpochSecond(); t += step) {
      out.add(Instant.ofEpochSecond(t));
    }
    return out;
  }

  String label(Instant t) {
    return Duration.between(from, to).toHours() >= 24 ? DAY_CLOCK.format(t) : CLOCK.format(t);
  }
}
