package io.spanlog.discovery.projection;

/**
 * The projection stopped following the events log for good (its loop gave up after its
 * restarts): what it holds is frozen at some offset, so nothing may be answered from it. The
 * message is a sentence for clients; the cause stays in this instance's log.
 */
public final class ProjectionHalted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProjectionHalted(String message) {
    super(message, null, false, false);
  }
}
