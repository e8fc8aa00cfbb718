package io.spanlog.history.read;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a long read shows while it runs: events/s and the position in time, redrawn in place on
 * a terminal's stderr at most 4 times a second; nothing at all when the output is piped.
 */
public interface Progress {
  /** Shows nothing (piped output, tests). */
  Progress QUIET = new Progress() {
    @Override
    public void advanced(long events, Instant at) {}

    @Override
    public void done() {}
  };

  /** {@code events} handed on so far; {@code at} the timestamp of the latest record read. */
  void advanced(long events, Instant at);

  /** Clears the line. */
  void done();

  /** A progress line on {@code err} when this process has a terminal, else {@link #QUIET}. */
  static Progress onTerminal(PrintStream err) {
    return System.console() == null ? QUIET : new Line(err);
  }

  /** The line redrawn in place with a carriage return. */
  final class Line implements Progress {
    private final PrintStream err;
    private final long started = System.nanoTime();
    private long last;
    private boolean drawn;

    public Line(PrintStream err) {
      this.err = err;
    }

    @Override
    public void advanced(long events, Instant at) {
      long now = System.nanoTime();
      if (now - last < 250_000_000L) {
        return;
      }
      last = now;
      double seconds = Math.max(1e-3, (now - started) / 1e9);
      err.printf("\r\033[K  %,d events  %,.0f events/s  at %s", events, events / seconds,
          at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS));
      err.flush();
      drawn = true;
    }

    @Override
    public void done() {
      if (drawn) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }
}
