package io.spanlog.ctl;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.history.SecretLookup;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.read.ReadStats;
import io.spanlog.history.state.DiscoveryReplay;
import io.spanlog.history.state.MeshReplay;
import io.spanlog.history.state.MeshState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ctl history state}: peer specs, link states and the reachability matrix at an instant. */
@Command(name = "state", mixinStandardHelpOptions = true,
    description = {
      "A cluster's mesh at an instant, from the log: every node's peer specs (the agents' own computation),",
      "every link's state (the endpoint observer's link events; where they are missing, the latest raw",
      "telemetry sample, opened with the secret, and it says so) and the reachability matrix.",
      "TIME: RFC 3339 (2026-11-27T03:12:00Z), 'now', or relative to now: -30s, -15m, -2h, -1d."},
    footer = {
      "",
      "Exit codes: 0 ok, 1 failure (Kafka unreachable, unknown cluster, time before the log, no or wrong secret),",
      "2 bad usage (unknown flag, missing --secrets, bad TIME, bad format)."})
public final class HistoryState implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  HistoryOptions log;

  @Option(names = "--cluster", required = true, paramLabel = "<id>", description = "the cluster")
  String cluster;

  @Option(names = "--at", defaultValue = "now", paramLabel = "TIME", description = "the instant (default: now)")
  String at;

  @Option(names = "--secrets", required = true, paramLabel = "DIR",
      description = "secrets directory (one file per cluster, as 'gen config' writes): the data is opened with it")
  Path secrets;

  @Override
  public Integer call() {
    String format = log.output();
    Instant instant = log.time("--at", at);
    ClusterSecret secret = SecretLookup.require(secrets, cluster, "history state");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (LogAccess access = log.access();
        LogReader reader = new LogReader(access, Progress.onTerminal(System.err))) {
      DiscoveryReplay discovery = new DiscoveryReplay(reader, log.eventsTopic(), log.checkpointsTopic());
      MeshReplay.Answer answer = new MeshReplay(reader, discovery, log.linkEventsTopic(), log.telemetryTopic())
          .at(cluster, instant, secret);
      MeshState state = answer.state();
      out.print(HistoryOutput.render(format, state, () -> table(state)));
      out.flush();
      ReadStats all = new ReadStats();
      all.add(answer.discovery().events());
      all.add(answer.linkEvents());
      all.add(answer.samples());
      HistoryCommand.closingLines(err, answer.discovery(), all);
      return ExitCodes.OK;
    }
  }

  static String table(MeshState s) {
    StringBuilder b = new StringBuilder();
    b.append("Mesh of cluster ").append(s.cluster()).append(" at ").append(s.at()).append("\n\nPEER SPECS\n");
    Table specs = Table.of("NODE", "PEER", "PUBLIC KEY", "ADDRESS", "ALLOWED IPS", "ENDPOINTS");
    for (MeshState.Node n : s.nodes()) {
      for (MeshState.Peer p : n.peers()) {
        specs.row(n.label(), p.label(), p.publicKey(), p.address(), String.join(",", p.allowedIps()),
            p.endpoints().stream().map(e -> e.endpoint() + " (" + e.source() + ")").collect(Collectors.joining(", ")));
      }
    }
    b.append(specs.size() == 0 ? "(no peer specs: fewer than two nodes with KubeSpan)\n" : specs.render());
    b.append("\nLINKS\n");
    Table links = Table.of("NODE", "PEER", "STATE", "SINCE", "ENDPOINT", "SOURCE", "RULE", "FROM");
    for (MeshState.Link l : s.links()) {
      links.row(l.node(), l.peer(), l.state(), l.since().map(Instant::toString).orElse("-"), l.endpoint().orElse("-"),
          l.endpointSource().orElse("-"), l.reason(), l.from());
    }
    b.append(links.size() == 0 ? "(no links)\n" : links.render());
    b.append("\nREACHABILITY (rows: node, columns: peer)\n");
    List<String> labels = new ArrayList<>(s.matrix().keySet());
    List<String> header = new ArrayList<>();
    header.add("");
    header.addAll(labels);
    Table m = Table.of(header.toArray(String[]::new));
    for (Map.Entry<String, Map<String, String>> row : s.matrix().entrySet()) {
      List<String> cells = new ArrayList<>();
      cells.add(row.getKey());
      for (String col : labels) {
        cells.add(col.equals(row.getKey()) ? "·" : row.getValue().getOrDefault(col, "-"));
      }
      m.row(cells.toArray(String[]::new));
    }
    b.append(m.render());
    s.notes().forEach(n -> b.append("\nnote: ").append(n));
    if (!s.notes().isEmpty()) {
      b.append("\n");
    }
    return b.toString();
  }
}
