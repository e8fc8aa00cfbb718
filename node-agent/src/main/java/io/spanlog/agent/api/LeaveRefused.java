package io.spanlog.agent.api;

/**
 * The agent did not leave: the discovery service did not accept the deletion of its affiliate (it
 * keeps running, HTTP 502), or it does not run any more (left, stopped or stopping, HTTP 409).
 * The message is a sentence for the operator, without secrets.
 */
public final class LeaveRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean stillRunning;

  public LeaveRefused(boolean stillRunning, String message) {
    super(message);
    this.stillRunning = stillRunning;
  }

  public boolean stillRunning() {
    return stillRunning;
  }
}
