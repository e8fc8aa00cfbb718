package io.spanlog.ctl;

import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.verify.DiscoveryService;
import io.spanlog.history.verify.DiscoveryVerify;
import io.spanlog.history.verify.ProjectionDiff.Difference;
import io.spanlog.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spanlog ctl history verify}: the log's discovery projection against a running service. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
      "Rebuilds the discovery projection from the events topic (the service's own fold) and compares it",
      "with a running discovery service's List, and with the service's latest snapshot of each partition.",
      "Prints each difference (cluster, affiliate, field, log vs service); exit 3 if any, 0 if none.",
      "Entries that change while verify runs (refreshes, expiries) are no difference: a cluster agrees when",
      "its List equals the log's state of it at some point between the log's end before and after the List;",
      "one that disagrees is asked again, up to 4 times 1 s apart, and only a lasting difference is reported.",
      "Affiliate data and endpoints are sealed: a value shows as its size and the start of its SHA-256."},
    footer = {
      "",
      "Exit codes: 0 no difference, 1 failure (Kafka or the service unreachable, unknown cluster),",
      "2 bad usage (flags, --discovery URL), 3 differences found."})
public final class VerifyCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  HistoryOptions log;

  @Option(names = "--cluster", paramLabel = "<id>", description = "the cluster to verify")
  String cluster;

  @Option(names = "--all", description = "every cluster with an event in the log")
  boolean all;

  @Option(names = "--discovery", required = true, paramLabel = "<url>",
      description = "the running discovery service, e.g. http://127.0.0.1:3000/ (https:// for TLS)")
  String discovery;

  @Option(names = "--events-topic", paramLabel = "<topic>",
      description = "the discovery events topic, or a copy of it (default " + TopicCatalogue.DISCOVERY_EVENTS + ")")
  String eventsTopic;

  @Option(names = "--snapshots-topic", paramLabel = "<topic>", defaultValue = TopicCatalogue.DISCOVERY_SNAPSHOTS,
      description = "the service's snapshot topic (default ${DEFAULT-VALUE})")
  String snapshotsTopic;

  @Override
  public Integer call() throws InterruptedException {
    if ((cluster == null) == !all) {
      throw CtlFailure.usage("history verify needs --cluster <id> or --all (one of them)");
    }
    String format = log.output();
    DiscoveryService.Address address;
    try {
      address = DiscoveryService.Address.parse(discovery);
    } catch (IllegalArgumentException e) {
      throw CtlFailure.usage(e.getMessage());
    }
    DiscoveryVerify.Report report;
    try (LogAccess access = log.access();
        LogReader reader = new LogReader(access, Progress.onTerminal(new PrintStream(System.err, true)));
        DiscoveryService service = new DiscoveryService(address)) {
      report = DiscoveryVerify.run(access, reader, eventsTopic != null ? eventsTopic : log.eventsTopic(), snapshotsTopic, Optional.ofNullable(cluster), service);
    } catch (DiscoveryVerify.UnknownCluster | IOException | IllegalStateException e) {
      throw CtlFailure.failure(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(HistoryOutput.render(format, report, () -> render(report, address)));
    out.flush();
    return report.differs() ? ExitCodes.DIFFERENCES : ExitCodes.OK;
  }

  /** The report as an operator reads it: the differences as tables, then the notes and one line of totals. */
  static String render(DiscoveryVerify.Report report, Object service) {
    StringBuilder out = new StringBuilder();
    if (!report.againstService().isEmpty()) {
      out.append("log vs the service's List (").append(service).append(")\n")
          .append(table(report.againstService(), "SERVICE")).append('\n');
    }
    if (!report.againstSnapshot().isEmpty()) {
      out.append("log vs the service's latest snapshot\n").append(table(report.againstSnapshot(), "SNAPSHOT"))
          .append('\n');
    }
    report.notes().forEach(n -> out.append("note: ").append(n).append('\n'));
    int n = report.againstService().size() + report.againstSnapshot().size();
    out.append(report.clusters().size()).append(" cluster(s) verified, ").append(report.eventsFolded())
        .append(" event(s) folded: ").append(n == 0 ? "no difference" : n + " difference(s)").append('\n');
    return out.toString();
  }

  private static String table(List<Difference> differences, String other) {
    Table t = Table.of("CLUSTER", "AFFILIATE", "FIELD", "LOG", other);
    differences.forEach(d -> t.row(d.cluster(), d.affiliate(), d.field(), d.log(), d.other()));
    return t.render();
  }
}
