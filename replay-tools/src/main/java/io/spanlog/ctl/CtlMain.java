package io.spanlog.ctl;

import io.spanlog.text.PrintableText;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spanlog ctl}: the operator CLI. {@code get <resource>} reads one KubeSpan view from the
 * status API of one or more agents, or one cluster view from the endpoint observer's read API,
 * and prints it as one talosctl-style table.
 */
@Command(name = "spanlog ctl", mixinStandardHelpOptions = true,
    description = {"Inspects running node agents (their local status API) and the endpoint observer (its read API),",
        "and the mesh's history in the Kafka log (ctl history)."},
    subcommands = {CtlMain.Get.class, HistoryCommand.class})
public final class CtlMain implements Runnable {
  static final int UNKNOWN_RESOURCE = 2;
  static final Duration REFRESH = Duration.ofSeconds(2);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** Runs the CLI; returns the exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cli = new CommandLine(new CtlMain());
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("spanlog ctl: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return e instanceof CtlFailure f ? f.exitCode() : ExitCodes.FAILURE;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say what to do, e.g. 'spanlog ctl get peerstatuses'");
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = {
        "Prints one view of every agent given, as one table with a NODE column,",
        "or one view of a cluster from the endpoint observer.",
        "Agent resources (talosctl's names work too, e.g. kubespanpeerstatuses, peerstatus, ps):",
        "  identities, peerspecs, peerstatuses, endpoints",
        "Observer resources (need --cluster):",
        "  links    every link node -> peer: state, since, endpoint (source), RX/s, TX/s, flaps",
        "  matrix   the reachability matrix (rows: observing node, columns: peer)",
        "  drift    peer-spec drift: nodes whose device lacks an expected peer, keeps one that",
        "           should be gone, or uses an endpoint that is not a candidate (needs the",
        "           cluster's secret on the observer)"})
  static final class Get implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<resource>", description = "identities | peerspecs | peerstatuses | endpoints | links | matrix | drift")
    String resource;

    @Option(names = "--agent", paramLabel = "host:port",
        description = "an agent's status API; repeat for several nodes (default 127.0.0.1:51890)")
    List<String> agents = List.of();

    @Option(names = "--cluster", paramLabel = "<id>", description = "the cluster (observer resources)")
    String cluster;

    @Option(names = "--observer", paramLabel = "host:port",
        description = "the endpoint observer's read API, any instance (default 127.0.0.1:7171)")
    String observer;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "table|json|yaml",
        description = {"table (default; agent views with talosctl's VERSION: how many times that resource changed on that node),",
            "json (the raw views, one object per agent; the observer's answer) or",
            "yaml (agent views: one document per resource as talosctl -o yaml; the observer's answer)"})
    String output;

    @Option(names = {"-w", "--watch"}, description = "refresh every 2 s until Ctrl-C")
    boolean watch;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<ObserverResource> fromObserver = ObserverResource.parse(resource);
      if (fromObserver.isPresent()) {
        return fromObserver(fromObserver.get(), out, err);
      }
      Resource what = Resource.parse(resource).orElse(null);
      if (what == null) {
        err.println("spanlog ctl: unknown resource '" + resource + "'; valid: " + Resource.valid()
            + ", " + ObserverResource.valid());
        return UNKNOWN_RESOURCE;
      }
      if (cluster != null || observer != null) {
        err.println("spanlog ctl: --cluster and --observer are for " + ObserverResource.valid()
            + "; " + what.displayName() + " is read from agents (--agent)");
        return UNKNOWN_RESOURCE;
      }
      ViewQuery.Output format = ViewQuery.Output.parse(output).orElse(null);
      if (format == null) {
        err.println("spanlog ctl: -o must be table, json or yaml, not '" + output + "'");
        return UNKNOWN_RESOURCE;
      }
      List<ViewQuery.Agent> targets;
      try {
        targets = (agents.isEmpty() ? List.of(AgentAddress.DEFAULT)
            : agents.stream().map(AgentAddress::parse).toList()).stream()
            .map(a -> new ViewQuery.Agent(a, new HttpStatusSource(a.host(), a.port()))).toList();
      } catch (IllegalArgumentException e) {
        err.println("spanlog ctl: " + e.getMessage());
        return UNKNOWN_RESOURCE;
      }
      boolean terminal = System.console() != null;
      while (true) {
        ViewQuery.Result result = ViewQuery.run(what, targets, format);
        if (watch) {
          // a terminal gets a fresh screen each time; a pipe gets timestamped frames
          out.print(terminal ? "\033[H\033[2J" : "");
          out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + what.displayName()
              + " (every " + REFRESH.toSeconds() + " s, Ctrl-C to stop)");
        }
        out.print(result.output());
        out.flush();
        result.failures().forEach(f -> err.println("spanlog ctl: " + PrintableText.of(f))); // may quote an agent
        err.flush();
        if (!watch) {
          return result.failures().isEmpty() ? 0 : 1;
        }
        Thread.sleep(REFRESH.toMillis());
      }
    }

    private int fromObserver(ObserverResource what, PrintWriter out, PrintWriter err)
        throws InterruptedException {
      if (cluster == null || cluster.isBlank()) {
        err.println("spanlog ctl: " + what.displayName() + " is a view of one cluster: give --cluster <id>");
        return UNKNOWN_RESOURCE;
      }
      if (!List.of("table", "json", "yaml").contains(output)) {
        err.println("spanlog ctl: -o must be table, json or yaml, not '" + output + "'");
        return UNKNOWN_RESOURCE;
      }
      if (!agents.isEmpty()) {
        err.println("spanlog ctl: --agent is for agent views; " + what.displayName()
            + " comes from the observer (--observer host:port)");
        return UNKNOWN_RESOURCE;
      }
      ObserverAddress address;
      try {
        address = observer == null ? ObserverAddress.DEFAULT : ObserverAddress.parse(observer);
      } catch (IllegalArgumentException e) {
        err.println("spanlog ctl: " + e.getMessage());
        return UNKNOWN_RESOURCE;
      }
      boolean terminal = System.console() != null;
      while (true) {
        ObserverQuery.Result result = ObserverQuery.run(what, cluster, ObserverQuery.http(address), output);
        if (watch) {
          out.print(terminal ? "\033[H\033[2J" : "");
          out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + what.displayName()
              + " of " + cluster + " (every " + REFRESH.toSeconds() + " s, Ctrl-C to stop)");
        }
        out.print(result.output());
        out.flush();
        result.failures().forEach(f -> err.println("spanlog ctl: " + f));
        err.flush();
        if (!watch) {
          return result.failures().isEmpty() ? 0 : 1;
        }
        Thread.sleep(REFRESH.toMillis());
      }
    }
  }
}
