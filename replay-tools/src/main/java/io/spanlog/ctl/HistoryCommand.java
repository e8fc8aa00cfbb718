package io.spanlog.ctl;

import io.spanlog.history.read.ReadStats;
import io.spanlog.history.state.DiscoveryReplay;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spanlog ctl history}: the mesh's past, read from the Kafka log with no service running.
 * Each sub-command is a class of its own; they share {@link HistoryOptions} (where the log is,
 * {@code -o}) and the exit codes of {@link ExitCodes}.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = {
      "The mesh's history, read from the Kafka log (no running service needed).",
      "TIME: RFC 3339 (2026-11-27T03:12:00Z), 'now', or relative to now: -30s, -15m, -2h, -1d."},
    footer = {
      "",
      "Exit codes: 0 ok, 1 failure (Kafka unreachable, unknown cluster, missing or wrong secret, ...),",
      "2 bad usage (unknown flag, bad TIME, bad format), 3 differences found (verify)."},
    subcommands = {HistoryAffiliates.class, HistoryState.class, VerifyCommand.class, ExportCommand.class,
        HistoryTimeline.class})
public final class HistoryCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "say which history, e.g. 'spanlog ctl history affiliates --cluster <id> --at -15m'");
  }

  /**
   * The lines a history command ends with on stderr: where the state was rebuilt from, and the
   * records skipped (truncated, poison) if any.
   */
  static void closingLines(PrintWriter err, DiscoveryReplay.Result replay, ReadStats stats) {
    String from = replay.checkpoint()
        .map(c -> "the checkpoint of " + c.takenAt() + " (events offset " + c.snapshot().nextOffset() + ")")
        .orElse("the start of the log");
    err.println("spanlog ctl: state of " + replay.cluster() + " at " + replay.at() + " rebuilt from " + from
        + " and " + replay.events().events() + " events after it (" + replay.partition() + " up to offset "
        + replay.endOffset() + ")");
    if (stats.skippedTotal() > 0) {
      err.println("spanlog ctl: " + stats.skippedSentence());
    }
    err.flush();
  }
}
