package io.spanlog.discovery.server;

/**
 * What the instance says on {@code /healthz}: <em>live</em> while its projection follows the
 * events log (catching up included), <em>ready</em> while that projection is caught up and current
 * and the instance is not shutting down. Not live means a supervisor should restart it (the
 * process also exits by itself once its projection gave up); not ready means send no clients.
 *
 * @param detail one sentence for an operator
 */
record Health(boolean live, boolean ready, String detail) {

  /**
   * @param caughtUp the projection folded the log as it was at start-up
   * @param folding the projection runs (false while it waits to restart after a failure)
   * @param gaveUp the projection stopped for good
   * @param stopping the instance is shutting down
   * @param lag records not yet folded
   */
  static Health of(boolean caughtUp, boolean folding, boolean gaveUp, boolean stopping, long lag) {
    if (gaveUp) {
      return new Health(false, false, "the projection of the event log stopped and did not recover; the process is exiting");
    }
    if (!folding) {
      return new Health(false, false, "the projection of the event log stopped; restarting it from the offsets folded so far");
    }
    if (stopping) {
      return new Health(true, false, "shutting down");
    }
    if (!caughtUp) {
      return new Health(true, false, "catching up with the event log: " + lag + " records behind");
    }
    return new Health(true, true, "serving; the projection is " + lag + " records behind the event log");
  }

  /** {@code {"live":…,"ready":…,"detail":"…"}}. */
  String json() {
    return "{\"live\":" + live + ",\"ready\":" + ready + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
  }
}
