package io.spanlog.agent.os;

import java.util.List;

/**
 * What a finished host command left behind.
 *
 * <p>Its output can hold secrets ({@code wg show <iface> dump} prints the private key and every
 * preshared key), so {@link #toString()} never shows it, only how long it is: a result that ends up
 * in a log line, an exception or a test failure leaks nothing. Callers that need the text read
 * {@link #stdout()} or {@link #stderr()} and decide what of it may be shown.
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  public CommandResult {
    command = List.copyOf(command);
  }

  public boolean succeeded() {
    return exitCode == 0;
  }

  @Override
  public String toString() {
    return "CommandResult[command=" + String.join(" ", command) + ", exitCode=" + exitCode + ", stdout=("
        + stdout.length() + " chars, not shown), stderr=(" + stderr.length() + " chars, not shown)]";
  }
}
