package io.spanlog.agent;

/** An agent part that cannot start or run, said in one sentence (no secrets). */
public final class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
