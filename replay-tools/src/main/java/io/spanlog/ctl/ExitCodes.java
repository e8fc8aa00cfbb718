package io.spanlog.ctl;

/**
 * The exit codes of {@code spanlog ctl}, which scripts rely on. Each command documents the ones
 * it uses in its {@code --help}.
 */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** It could not: Kafka or a service did not answer, an unknown cluster, a missing secret, ... */
  public static final int FAILURE = 1;
  /** The command line is wrong: an unknown flag, a bad TIME, a malformed address or format. */
  public static final int USAGE = 2;
  /** {@code history verify}: it ran, and found differences. */
  public static final int DIFFERENCES = 3;

  /** The lines every history command's --help ends with. */
  public static final String[] FOOTER = {
    "",
    "Exit codes: 0 ok, 1 failure (Kafka unreachable, unknown cluster, missing or wrong secret, ...),",
    "2 bad usage (unknown flag, bad TIME, bad format), 3 differences found (verify)."
  };

  private ExitCodes() {}
}
