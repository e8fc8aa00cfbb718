package io.spanlog.ctl;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.history.export.EventExport;
import io.spanlog.history.export.RowWriter;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.SecretLookup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spanlog ctl history export}: a cluster's events between two instants, for pandas or DuckDB. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {
      "Writes the events of one cluster between two instants for offline analysis (pandas, DuckDB):",
      "one row per event, and one row per peer sample of a handshake sample batch. Every row has the",
      "same columns (topic, partition, offset, at, cluster, type, ..., sealed, payload); CSV has a header line.",
      "Sealed sample batches are opened with the cluster's secret from --secrets DIR; without it a batch",
      "is one row with its clear header only (node key, sealed size), and the summary on stderr says how many.",
      "Rows come in log order per topic: sort by 'at' for one timeline. -o does not apply: use --format."},
    footer = {
      "",
      "Exit codes: 0 exported, 1 failure (Kafka unreachable, a topic missing, no event of the cluster",
      "in the range, --secrets without this cluster's secret), 2 bad usage (format, TIME, reversed range)."})
public final class ExportCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  HistoryOptions log;

  @Option(names = "--cluster", required = true, paramLabel = "<id>", description = "the cluster")
  String cluster;

  @Option(names = "--from", required = true, paramLabel = "<TIME>", description = "start, inclusive")
  String from;

  @Option(names = "--to", defaultValue = "now", paramLabel = "<TIME>", description = "end, inclusive (default now)")
  String to;

  @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|csv",
      description = "jsonl (one JSON object per line; payload nested; default) or csv (header line; payload as JSON text)")
  String format;

  @Option(names = "--topics", split = ",", paramLabel = "<topic>",
      description = "topics to read (default: the discovery events, telemetry and link events topics)")
  List<String> topics;

  @Option(names = "--secrets", paramLabel = "<dir>",
      description = "cluster secrets (one file per cluster, as 'gen config' writes them) to open sealed sample batches")
  Path secretsDir;

  @Option(names = "--out", paramLabel = "<file>", description = "write the rows here instead of standard output")
  Path outFile;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    RowWriter.Format fmt = RowWriter.Format.parse(format)
        .orElseThrow(() -> CtlFailure.usage("--format must be jsonl or csv, not '" + format + "'"));
    if (spec.commandLine().getParseResult().hasMatchedOption("-o")) {
      throw CtlFailure.usage("export writes rows, not a table: give --format jsonl|csv instead of -o");
    }
    Instant start = log.time("--from", from);
    Instant end = log.time("--to", to);
    if (end.isBefore(start)) {
      throw CtlFailure.usage("the time range is reversed: --from " + start + " is after --to " + end);
    }
    Optional<ClusterSecret> secret = SecretLookup.find(secretsDir, cluster); // one sentence if it has none for the cluster
    Function<String, Optional<ClusterSecret>> secrets = c -> c.equals(cluster) ? secret : Optional.empty();
    List<String> read = topics != null ? topics : List.of(log.eventsTopic(), log.telemetryTopic(), log.linkEventsTopic());
    EventExport.Summary summary;
    // standard output is the CLI's writer (left open); a file is closed when done
    try (LogAccess access = log.access();
        LogReader reader = new LogReader(access, Progress.onTerminal(new PrintStream(System.err, true)));
        Writer file = outFile == null ? null : Files.newBufferedWriter(outFile, StandardCharsets.UTF_8);
        RowWriter rows = RowWriter.of(fmt, file == null ? spec.commandLine().getOut() : file)) {
      summary = EventExport.run(reader, read, cluster, start, end, secrets, rows);
    } catch (IOException | IllegalStateException e) {
      throw CtlFailure.failure(e.getMessage());
    }
    spec.commandLine().getOut().flush();
    if (summary.events() == 0) {
      throw CtlFailure.failure("no event of cluster '" + cluster + "' between " + start + " and " + end + " in "
          + String.join(", ", read) + (summary.read().skippedTotal() > 0 ? " (" + summary.read().skippedSentence() + ")" : "")
          + "; is the cluster id right?");
    }
    err.println("exported " + summary.events() + " event(s) as " + summary.rows() + " row(s) (" + fmt.wireName()
        + ") of cluster " + cluster + " from " + start + " to " + end + (outFile == null ? "" : " to " + outFile));
    if (summary.sealedWithoutSecret() > 0) {
      err.println("note: " + summary.sealedWithoutSecret() + " sealed sample batch(es) exported as their clear header only"
          + " (node key, sealed size): no secret of this cluster" + (secretsDir == null ? "; give --secrets DIR" : " in " + secretsDir));
    }
    if (summary.sealedRefused() > 0) {
      err.println("note: " + summary.sealedRefused() + " sealed sample batch(es) did not open with the secret given"
          + " (wrong secret?): exported as their clear header only");
    }
    if (summary.read().skippedTotal() > 0) {
      err.println("note: " + summary.read().skippedSentence());
    }
    err.flush();
    return ExitCodes.OK;
  }
}
