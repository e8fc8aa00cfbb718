package io.spanlog.discovery;

import java.util.Objects;

/**
 * What the writer of an event is answered, decided when the event is applied: the limits that
 * depend on state (affiliates per cluster, endpoints per affiliate) are judged by the fold, so
 * every instance and every replay agrees on them.
 */
public record WriteOutcome(Code code, String message) {
  public enum Code {
    OK,
    /** gRPC RESOURCE_EXHAUSTED. */
    RESOURCE_EXHAUSTED
  }

  public static final WriteOutcome OK = new WriteOutcome(Code.OK, "");
  public static final WriteOutcome TOO_MANY_AFFILIATES =
      new WriteOutcome(Code.RESOURCE_EXHAUSTED, "too many affiliates in the cluster");
  public static final WriteOutcome TOO_MANY_ENDPOINTS =
      new WriteOutcome(Code.RESOURCE_EXHAUSTED, "too many endpoints in the affiliate");

  public WriteOutcome {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public boolean ok() {
    return code == Code.OK;
  }
}
