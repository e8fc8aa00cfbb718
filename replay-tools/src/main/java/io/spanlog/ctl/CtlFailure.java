package io.spanlog.ctl;

/**
 * A sentence for the operator and the exit code that goes with it: thrown by a command that
 * cannot go on, printed by {@link CtlMain} as {@code spanlog ctl: <sentence>} with no stack trace.
 */
public final class CtlFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public CtlFailure(int exitCode, String sentence) {
    super(sentence);
    this.exitCode = exitCode;
  }

  /** Bad usage (exit 2): the command line itself is wrong. */
  public static CtlFailure usage(String sentence) {
    return new CtlFailure(ExitCodes.USAGE, sentence);
  }

  /** Failure (exit 1): the command line is fine, the answer cannot be given. */
  public static CtlFailure failure(String sentence) {
    return new CtlFailure(ExitCodes.FAILURE, sentence);
  }

  public int exitCode() {
    return exitCode;
  }
}
