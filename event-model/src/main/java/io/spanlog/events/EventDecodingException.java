package io.spanlog.events;

/** A stored record that is not a valid event of a known type and schema. */
public final class EventDecodingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the record: the dead-letter topic files it under this name. */
  public enum Problem {
    MALFORMED_JSON,
    MISSING_FIELD,
    INVALID_FIELD,
    UNKNOWN_TYPE,
    UNKNOWN_SCHEMA
  }

  private final Problem problem;

  public EventDecodingException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public EventDecodingException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
