package io.spanlog.ctl;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.history.SecretLookup;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.state.AffiliateRow;
import io.spanlog.history.state.DiscoveryReplay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ctl history affiliates}: a cluster's discovery state at an instant, rebuilt from the log. */
@Command(name = "affiliates", mixinStandardHelpOptions = true,
    description = {
      "The discovery state of a cluster at an instant, rebuilt from the log with the discovery service's own fold",
      "(from the newest checkpoint before it). With the cluster's secret (--secrets) the data is decrypted:",
      "hostname, node name, KubeSpan address, public key, endpoints with provenance; without it: ids, sizes,",
      "expiry and last change.",
      "TIME: RFC 3339 (2026-11-27T03:12:00Z), 'now', or relative to now: -30s, -15m, -2h, -1d."},
    footer = {
      "",
      "Exit codes: 0 ok, 1 failure (Kafka unreachable, unknown cluster, time before the log, missing or wrong secret),",
      "2 bad usage (unknown flag, bad TIME, bad format)."})
public final class HistoryAffiliates implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  HistoryOptions log;

  @Option(names = "--cluster", required = true, paramLabel = "<id>", description = "the cluster")
  String cluster;

  @Option(names = "--at", defaultValue = "now", paramLabel = "TIME", description = "the instant (default: now)")
  String at;

  @Option(names = "--secrets", paramLabel = "DIR",
      description = "secrets directory (one file per cluster, as 'gen config' writes) to decrypt the data")
  Path secrets;

  @Override
  public Integer call() {
    String format = log.output();
    Instant instant = log.time("--at", at);
    Optional<ClusterSecret> secret = SecretLookup.find(secrets, cluster);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (LogAccess access = log.access();
        LogReader reader = new LogReader(access, Progress.onTerminal(System.err))) {
      DiscoveryReplay.Result replay = new DiscoveryReplay(reader, log.eventsTopic(), log.checkpointsTopic()).at(cluster, instant);
      List<AffiliateRow> rows = io.spanlog.history.state.AffiliateDecoding.rows(replay, secret.map(AffiliateCrypto::new));
      Map<String, Object> model = Map.of("cluster", cluster, "at", instant.toString(), "affiliates", rows);
      if (rows.isEmpty() && format.equals("table")) {
        err.println("spanlog ctl: cluster " + cluster + " had no affiliates at " + instant);
      } else {
        out.print(HistoryOutput.render(format, model, () -> table(rows, secret.isPresent())));
      }
      HistoryCommand.closingLines(err, replay, replay.events());
      out.flush();
      return ExitCodes.OK;
    }
  }

  static String table(List<AffiliateRow> rows, boolean decrypted) {
    Table t = decrypted
        ? Table.of("ID", "HOSTNAME", "NODENAME", "KUBESPAN ADDRESS", "PUBLIC KEY", "ENDPOINTS", "EXPIRES", "LAST CHANGE")
        : Table.of("ID", "DATA BYTES", "ENDPOINTS", "EXPIRES", "LAST CHANGE");
    for (AffiliateRow r : rows) {
      String last = r.lastChange().map(Instant::toString).orElse("(before the checkpoint)");
      if (!decrypted) {
        t.row(r.id(), String.valueOf(r.dataBytes()), String.valueOf(r.endpointCount()), r.expiry().toString(), last);
      } else if (r.decoded().isPresent()) {
        AffiliateRow.Decoded d = r.decoded().get();
        t.row(r.id(), d.hostname(), d.nodename(), d.kubeSpanAddress().orElse("-"), d.publicKey().orElse("-"),
            d.endpoints().stream().map(e -> e.endpoint() + " (" + e.source() + ")").collect(Collectors.joining(", ")),
            r.expiry().toString(), last);
      } else {
        t.row(r.id(), "(" + r.problem().orElse("no data") + ")", "", "", "", String.valueOf(r.endpointCount()),
            r.expiry().toString(), last);
      }
    }
    return t.render();
  }
}
