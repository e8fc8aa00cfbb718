package io.spanlog.console;

import io.spanlog.console.server.BasicAuth;
import io.spanlog.console.server.ConsoleServer;
import io.spanlog.ctl.CtlFailure;
import io.spanlog.ctl.ExitCodes;
import io.spanlog.ctl.HistoryOptions;
import io.spanlog.ctl.ObserverAddress;
import io.spanlog.history.read.LogAccess;
import io.spanlog.secrets.ClusterSecrets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./spanlog console}: the web console, reading only Kafka. */
@Command(name = "console", mixinStandardHelpOptions = true,
    description = {
      "A web console for the fleet, read from Kafka only (it never writes a topic):",
      "  /              every cluster: nodes, links up/down/unknown, flapping and",
      "                 asymmetric links, nodes without discovery; worst first,",
      "                 updated live from the link events",
      "  /cluster/ID?at=TIME",
      "                 the reachability matrix (hover: state, endpoint, provenance,",
      "                 RX/TX) and affiliates at any instant of the retained history",
      "                 (a time slider), deep-linkable; now from the observer with",
      "                 --observer",
      "The page, its scripts and styles come from the jar: no network access is needed to use it."},
    footer = {
      "",
      "A non-loopback --addr needs --basic-auth-file (lines user:password, mode 0600): with --secrets the",
      "console shows decrypted data.",
      "Exit codes: 0 stopped, 1 failure (Kafka unreachable, port taken), 2 bad usage."})
public final class ConsoleMain implements Callable<Integer> {
  @Mixin
  HistoryOptions log;

  @Option(names = "--addr", defaultValue = "127.0.0.1:8080", paramLabel = "<host:port>",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String addr;

  @Option(names = "--secrets", paramLabel = "DIR",
      description = "secrets directory (one file per cluster, as 'gen config' writes): affiliates are decrypted"
          + " and the matrix has every link the peer specs imply")
  Path secrets;

  @Option(names = "--observer", paramLabel = "<host:port>",
      description = "the endpoint observer's read API (its default: 127.0.0.1:7171): a cluster's page shows the"
          + " observer's live links, RX/TX rates and matrix for now; without it, the console works from the topics"
          + " alone. An observer that cannot be reached is a notice on the page, not a failure")
  String observer;

  @Option(names = "--basic-auth-file", paramLabel = "<file>",
      description = "require HTTP basic auth: lines user:password, mode 0600 (required for a non-loopback --addr)")
  Path basicAuthFile;

  /** Set by tests: called with the running server instead of waiting forever. */
  java.util.function.Consumer<ConsoleServer> started;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return commandLine(new ConsoleMain()).execute(args);
  }

  /** The command line, with failures as one sentence and their exit code (never a stack trace). */
  static CommandLine commandLine(ConsoleMain main) {
    CommandLine cli = new CommandLine(main);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("console: " + e.getMessage());
      return e instanceof CtlFailure f ? f.exitCode() : ExitCodes.FAILURE;
    });
    return cli;
  }

  /** host and port of --addr. @throws CtlFailure (usage) */
  static String[] hostPort(String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon < 1 || colon == addr.length() - 1) {
      throw CtlFailure.usage("--addr must be host:port, not '" + addr + "'");
    }
    String host = addr.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = addr.substring(colon + 1);
    try {
      int p = Integer.parseInt(port);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw CtlFailure.usage("--addr must be host:port with a port 0-65535, not '" + addr + "'");
    }
    return new String[] {host, port};
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw CtlFailure.usage("--addr: unknown host '" + host + "'");
    }
  }

  @Override
  public Integer call() throws Exception {
    String[] hp = hostPort(addr);
    Optional<BasicAuth> auth;
    try {
      auth = Optional.ofNullable(basicAuthFile).map(BasicAuth::load);
    } catch (IllegalArgumentException e) {
      throw CtlFailure.usage(e.getMessage());
    }
    if (auth.isEmpty() && !loopback(hp[0])) {
      throw CtlFailure.usage("--addr " + addr + " is not a loopback address: give --basic-auth-file too, so the"
          + " console (which may show decrypted data) is not open to the network");
    }
    ClusterSecrets loaded = null;
    if (secrets != null) {
      try {
        loaded = ClusterSecrets.load(secrets);
      } catch (IllegalArgumentException e) {
        throw CtlFailure.usage("--secrets: " + e.getMessage());
      }
    }
    ClusterSecrets keys = loaded;
    Optional<ObserverAddress> observerAddress;
    try {
      observerAddress = Optional.ofNullable(observer).map(ObserverAddress::parse);
    } catch (IllegalArgumentException e) {
      throw CtlFailure.usage(e.getMessage());
    }
    try (LogAccess access = log.access();
        ConsoleServer server = ConsoleServer.start(new ConsoleServer.Config(hp[0], Integer.parseInt(hp[1]), access,
            log.eventsTopic(), log.checkpointsTopic(), log.linkEventsTopic(), log.telemetryTopic(), log.linkMetricsTopic(),
            cluster -> keys == null ? Optional.empty() : keys.lookup(cluster), auth, Clock.systemUTC(), observerAddress))) {
      System.out.println("Spanlog console on " + server.url() + " (reading Kafka at " + access.bootstrap()
          + observerAddress.map(a -> ", the endpoint observer at " + a).orElse("") + ")");
      System.out.flush();
      if (started != null) {
        started.accept(server);
        return ExitCodes.OK;
      }
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
      return ExitCodes.OK;
    }
  }
}
