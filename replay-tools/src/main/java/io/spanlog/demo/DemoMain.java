package io.spanlog.demo;

import io.spanlog.agent.config.WireGuardBackendKind;
import io.spanlog.agent.netns.LabConfigs;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.console.server.ConsoleServer;
import io.spanlog.ctl.MeshTables;
import io.spanlog.secrets.ClusterSecrets;
import io.spanlog.ctl.NodeViews;
import io.spanlog.ctl.ObserverQuery;
import io.spanlog.ctl.ObserverResource;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.infra.Folders;
import io.spanlog.infra.KafkaBroker;
import io.spanlog.infra.LoopbackPorts;
import io.spanlog.kafka.TopicInstaller;
import io.spanlog.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spanlog demo}: the broker, the discovery service and N agents on this machine, shown as
 * an operator sees them (identities, peer specs, peer statuses) every 2 s until Ctrl-C.
 */
@Command(
    name = "spanlog demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Kafka, the discovery service and N node agents on this machine and shows their",
      "KubeSpan views, refreshing every 2 s until Ctrl-C. As root with wireguard-go, wg and ip",
      "(installed with apt-get if missing on Debian-like systems) the agents run in network",
      "namespaces on real WireGuard; otherwise in this process on simulated devices.",
      "The endpoint observer runs too (its own JVM): the links table shows each link's state,",
      "endpoint and RX/TX rates as the observer derives them from the agents' telemetry."})
public final class DemoMain implements Callable<Integer> {
  static final String LAB_PREFIX = "spanlog";
  static final int LAB_NET = 60;
  static final Duration REFRESH = Duration.ofSeconds(2);
  /** The agents' status timings: KubeSpan's down interval; a faster reconcile than its 30 s. */
  static final Duration PEER_DOWN = Duration.ofSeconds(275);
  /**
   * With {@code --incident}: a peer is down after 130 s without a handshake. Not much shorter on
   * real WireGuard: a session re-handshakes only every 120 s (mesh-lab's MeshEndToEndIT says why).
   */
  static final Duration INCIDENT_PEER_DOWN = Duration.ofSeconds(130);
  /** The observer's RX/TX window for the demo (its default is 1 min), and its grace. */
  static final List<String> OBSERVER_FLAGS = List.of("--metrics-window", "5s", "--metrics-grace", "2s");
  /** How long the demo waits for the observer to list every link up (and with rates, given traffic). */
  static final Duration OBSERVER_WAIT = Duration.ofSeconds(60);

  @Option(names = "--nodes", defaultValue = "3", description = "number of agents, 2..20 (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--once", description = "print one snapshot once every peer is up, then stop everything and exit")
  boolean once;

  @Option(names = "--incident", description = {
      "once the mesh is up, cut the underlay link one link uses, follow it down, to the other endpoint and up",
      "again, restore it, print that link's timeline from the log, and exit (real WireGuard only)"})
  boolean incident;

  @Option(names = "--memory", description = "simulated WireGuard devices in this process, even when real WireGuard could run")
  boolean memory;

  @Option(names = "--data", defaultValue = "./.spanlog", description = "folder for the broker's data and the demo's configs, state and logs (default ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "port of the embedded broker on 127.0.0.1; a broker already there is used (default ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--bootstrap", description = "use this Kafka cluster (bootstrap servers) instead of the embedded broker")
  String bootstrap;

  @Option(names = "--console-port", defaultValue = "8080", description = "port of the web console on 127.0.0.1; a free one is taken when it is busy (default ${DEFAULT-VALUE})")
  int consolePort;

  @Option(names = "--discovery-port", defaultValue = "3000", description = "port of the discovery service; a free one is taken when it is busy (default ${DEFAULT-VALUE})")
  int discoveryPort;

  @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for every peer to be up (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  private final PrintStream out;
  private final Session session = new Session();

  DemoMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    // Before any logger exists: the demo's output is the tables, not the services' logs.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    System.setProperty("org.slf4j.simpleLogger.log.kafka", "error");
    System.exit(run(System.out, args));
  }

  /** Runs the demo; returns the exit code. */
  static int run(PrintStream out, String... args) {
    CommandLine cli = new CommandLine(new DemoMain(out));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("spanlog demo: " + describe(e));
      return 1;
    });
    return cli.execute(args);
  }

  /** A failure in one sentence; file errors name the file and what went wrong. */
  static String describe(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException f) {
      return "cannot write " + f.getFile() + ": permission denied (choose another folder with --data)";
    }
    if (e instanceof java.nio.file.FileSystemException f) {
      return "cannot use " + f.getFile() + ": " + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  @Override
  public Integer call() throws Exception {
    if (nodes < 2 || nodes > 20) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--nodes must be 2..20, not " + nodes);
    }
    Thread hook = new Thread(() -> session.close(out), "spanlog-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Mesh mesh = startEverything();
      boolean up = awaitUp(mesh);
      boolean observed = true;
      if (up) {
        startTraffic(mesh);
        observed = awaitObserver(mesh);
      }
      if (once || incident) {
        out.println(frame(mesh, snapshot(mesh)));
        out.flush();
        if (!up) {
          out.println("spanlog demo: not every peer was up within " + timeoutSeconds + " s (agent logs: "
              + session.logs + ")");
          return 1;
        }
        if (incident) {
          boolean told = new Incident(out, (NamespaceMesh) mesh, Optional.ofNullable(session.observer), session.clusterId)
              .run(INCIDENT_PEER_DOWN, session.broker.bootstrapServers(), session.secrets,
                  session.logs.resolve("incident.html"));
          return told && observed ? 0 : 1;
        }
        return observed ? 0 : 1;
      }
      watch(mesh);
      return 0;
    } finally {
      session.close(out);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running already
      }
    }
  }

  private Mesh startEverything() throws Exception {
    Path demoFolder = data.resolve("demo");
    try {
      Folders.deleteRecursively(demoFolder);
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the file and the reason, as describe() words them
    }
    Files.createDirectories(demoFolder);
    session.logs = demoFolder;
    BackendChoice choice = chooseBackend(demoFolder);
    boolean real = choice.kind() == BackendChoice.Kind.NAMESPACES;
    if (incident && !real) {
      throw new IllegalStateException("--incident cuts a real underlay link, so it needs the agents in network namespaces on"
          + " real WireGuard: " + choice.reason());
    }

    session.broker = bootstrap != null ? KafkaBroker.external(bootstrap) : EmbeddedKafka.attachOrStart(kafkaPort, data.resolve("kafka"));
    out.println((session.broker.startedHere() ? "Kafka: started on " : "Kafka: using the broker already on ")
        + session.broker.bootstrapServers() + (session.broker.startedHere() ? " (data in " + data.resolve("kafka") + ")" : ""));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, session.broker.bootstrapServers()))) {
      new TopicInstaller(admin).installCatalogue();
      awaitPartitions(admin, List.of(TopicCatalogue.DISCOVERY_EVENTS, TopicCatalogue.DISCOVERY_SNAPSHOTS));
    }

    String host = "127.0.0.1";
    if (real) {
      session.lab = NetnsLab.create(LAB_PREFIX, nodes, LAB_NET);
      host = session.lab.serviceAddress().getHostAddress();
    }
    int port = discoveryPort;
    if (!isFree(host, port)) {
      port = 0;
    }
    session.discovery = DiscoveryServer.start(DiscoveryConfig.defaults(session.broker.bootstrapServers(), "spanlog-demo")
        .withPorts(host, port, -1));
    String url = "http://" + host + ":" + session.discovery.port() + "/";
    out.println("discovery service: " + url + (port == discoveryPort ? "" : " (port " + discoveryPort + " was busy)"));

    List<Integer> statusPorts = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      // in namespaces every agent has its own loopback; in one process they share ours
      statusPorts.add(real ? io.spanlog.agent.config.NodeConfig.DEFAULT_STATUS_API_PORT : LoopbackPorts.free());
    }
    Duration peerDown = incident ? INCIDENT_PEER_DOWN : PEER_DOWN;
    Duration connect = Duration.ofSeconds(incident ? 10 : 15);
    Duration reconcile = Duration.ofSeconds(incident ? 1 : 5);
    LabConfigs.Written configs = LabConfigs.write(demoFolder.resolve("nodes"), new LabConfigs.Settings(url,
        real ? WireGuardBackendKind.USERSPACE : WireGuardBackendKind.MEMORY, statusPorts, peerDown, connect, reconcile));
    session.clusterId = configs.clusterId();
    session.secrets = configs.secrets();
    out.println("cluster " + configs.clusterId() + ": " + nodes + " node configs in " + demoFolder.resolve("nodes")
        + " (status reconcile every " + reconcile.toSeconds() + " s; KubeSpan's is 30 s"
        + (incident ? "; a peer is down " + peerDown.toSeconds() + " s after its last handshake, KubeSpan's 275 s; "
            + connect.toSeconds() + " s to connect, KubeSpan's 15 s" : "") + ")");
    startObserver(demoFolder);
    Mesh mesh = real
        ? NamespaceMesh.start(session.lab, configs.files(), demoFolder, statusPorts.get(0))
        : MemoryMesh.start(configs.files());
    session.mesh = mesh;
    out.println("agents: " + mesh.description() + (real ? " (logs in " + demoFolder + ")" : ""));
    startConsole();
    out.flush();
    return mesh;
  }

  /** The web console on 127.0.0.1, reading only Kafka, with the cluster's secret to open its data. */
  private void startConsole() {
    ClusterSecrets secrets = ClusterSecrets.load(session.secrets);
    String kafka = session.broker.bootstrapServers();
    Optional<io.spanlog.ctl.ObserverAddress> observer = Optional.ofNullable(session.observer).map(ObserverChild::address);
    try {
      try {
        session.console = ConsoleServer.startLocal(consolePort, kafka, secrets::lookup, observer);
      } catch (Exception busy) {
        session.console = ConsoleServer.startLocal(0, kafka, secrets::lookup, observer);
      }
      out.println("console: " + session.console.url() + " (the fleet, the cluster's reachability matrix with a time"
          + " slider, link timelines; read-only, from Kafka)");
    } catch (Exception e) {
      out.println("console: not started: " + e.getMessage());
    }
  }

  /** The endpoint observer in its own JVM, when its build is there; the demo goes on without it otherwise. */
  private void startObserver(Path demoFolder) throws IOException {
    ObserverChild.ClasspathOrReason classpath = ObserverChild.classpath();
    if (classpath.classpath().isEmpty()) {
      out.println("endpoint observer: not started: " + classpath.reason() + "; no links table");
      return;
    }
    Path folder = demoFolder.resolve("observer");
    session.observer = ObserverChild.start(classpath.classpath().get(), session.broker.bootstrapServers(), session.secrets,
        folder, LoopbackPorts.free(), OBSERVER_FLAGS);
    out.println("endpoint observer: starting in its own JVM, read API on " + session.observer.address() + " (log "
        + session.observer.log() + "; RX/TX per 5 s window, the observer's default is 1 min)");
  }

  /** Pings between all nodes through WireGuard (namespaces), so the RX/TX rates are not just handshakes. */
  private void startTraffic(Mesh mesh) throws IOException {
    List<String> overlay = new ArrayList<>();
    for (Optional<NodeViews.Snapshot> view : snapshot(mesh)) {
      String address = view.map(v -> v.identity().address()).orElse("");
      overlay.add(address.contains("/") ? address.substring(0, address.indexOf('/')) : address);
    }
    session.trafficSince = Instant.now();
    out.println(mesh.startTraffic(overlay));
    out.flush();
  }

  /**
   * Waits until the observer lists every link up, with an RX/TX rate where traffic flows.
   *
   * @return false (with a sentence printed) when it does not within {@link #OBSERVER_WAIT}
   */
  private boolean awaitObserver(Mesh mesh) throws InterruptedException {
    ObserverChild observer = session.observer;
    if (observer == null) {
      return true;
    }
    Optional<Instant> rates = mesh instanceof NamespaceMesh ? Optional.of(session.trafficSince) : Optional.empty();
    int expected = mesh.nodes().size() * (mesh.nodes().size() - 1);
    try {
      observer.awaitReady(OBSERVER_WAIT);
    } catch (IOException e) {
      out.println("spanlog demo: " + e.getMessage());
      return false;
    }
    long deadline = System.nanoTime() + OBSERVER_WAIT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        last = ObserverLinks.missing(ObserverQuery.http(observer.address()).get(ObserverResource.LINKS, session.clusterId),
            expected, rates);
        if (last.isEmpty()) {
          return true;
        }
      } catch (IOException e) {
        last = e.getMessage();
      }
      Thread.sleep(500);
    }
    out.println("spanlog demo: the endpoint observer did not list every link up" + (rates.isPresent() ? " with RX/TX rates" : "")
        + " within " + OBSERVER_WAIT.toSeconds() + " s of the mesh being up (" + last + "; log: " + observer.log() + ")");
    return false;
  }

  private BackendChoice chooseBackend(Path demoFolder) {
    BackendChoice choice = BackendChoice.decide(Machine.probe(), memory);
    if (!choice.packagesToInstall().isEmpty()) {
      Path log = demoFolder.resolve("apt-get.log");
      out.println("spanlog demo: " + choice.reason() + "; installing " + String.join(" ", choice.packagesToInstall())
          + " with apt-get (log: " + log + ")");
      out.flush();
      Optional<String> failed = ToolInstaller.install(choice.packagesToInstall(), log);
      if (failed.isPresent()) {
        choice = new BackendChoice(BackendChoice.Kind.MEMORY, List.of(), failed.get());
      }
    }
    if (choice.kind() == BackendChoice.Kind.NAMESPACES) {
      Optional<String> why = NetnsLab.unavailableReason();
      if (why.isPresent()) {
        choice = new BackendChoice(BackendChoice.Kind.MEMORY, List.of(), why.get());
      }
    }
    if (choice.kind() == BackendChoice.Kind.MEMORY) {
      out.println("spanlog demo: SIMULATED WireGuard (memory backend, agents in this process): " + choice.reason() + ".");
    } else {
      out.println("spanlog demo: real WireGuard: " + nodes + " nodes in network namespaces with wireguard-go");
    }
    return choice;
  }

  private boolean awaitUp(Mesh mesh) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    String last = "";
    long lastPrinted = 0;
    while (System.nanoTime() < deadline) {
      List<Optional<NodeViews.Snapshot>> views = snapshot(mesh);
      if (MeshHealth.allUp(views)) {
        return true;
      }
      String progress = MeshHealth.progress(mesh.nodes().stream().map(Mesh.Node::name).toList(), views);
      if (!progress.equals(last) || System.nanoTime() - lastPrinted > 10_000_000_000L) {
        out.println("waiting for the mesh: " + progress);
        out.flush();
        last = progress;
        lastPrinted = System.nanoTime();
      }
      Thread.sleep(500);
    }
    return false;
  }

  private void watch(Mesh mesh) throws InterruptedException {
    boolean terminal = System.console() != null;
    while (!Thread.currentThread().isInterrupted()) {
      String frame = frame(mesh, snapshot(mesh));
      if (session.stopping()) {
        return; // Ctrl-C: the views are going away; don't print them half gone
      }
      out.print(terminal ? "\033[H\033[2J" + frame : frame + "\n");
      out.flush();
      Thread.sleep(REFRESH.toMillis());
    }
  }

  private static List<Optional<NodeViews.Snapshot>> snapshot(Mesh mesh) {
    List<Optional<NodeViews.Snapshot>> views = new ArrayList<>();
    for (Mesh.Node node : mesh.nodes()) {
      try {
        views.add(Optional.of(NodeViews.read(node.name(), node.status())));
      } catch (IOException | RuntimeException e) {
        views.add(Optional.empty());
      }
    }
    return views;
  }

  private String frame(Mesh mesh, List<Optional<NodeViews.Snapshot>> views) {
    StringBuilder frame = new StringBuilder();
    frame.append("Spanlog demo: ").append(mesh.description()).append("   ")
        .append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
    frame.append(once || incident ? "\n\n" : "   (every " + REFRESH.toSeconds() + " s; Ctrl-C stops)\n\n");
    List<NodeViews.Snapshot> answered = views.stream().flatMap(Optional::stream).toList();
    frame.append(MeshTables.render(answered));
    for (int i = 0; i < views.size(); i++) {
      if (views.get(i).isEmpty()) {
        frame.append(mesh.nodes().get(i).name()).append(": its status API does not answer\n");
      }
    }
    if (session.observer != null) {
      frame.append("\nLinks (endpoint observer at ").append(session.observer.address())
          .append(", from the agents' telemetry; as 'spanlog ctl get links --cluster <id> --observer ")
          .append(session.observer.address()).append("')\n");
      ObserverQuery.Result links = ObserverQuery.run(ObserverResource.LINKS, session.clusterId,
          ObserverQuery.http(session.observer.address()), "table");
      frame.append(links.output());
      links.failures().forEach(f -> frame.append(f).append('\n'));
    }
    return frame.toString();
  }

  /**
   * The discovery service reads its topics' partition lists once at start, and a broker may list
   * none right after creating them (first run on a fresh data folder): wait until it lists them.
   */
  private static void awaitPartitions(Admin admin, List<String> topics) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        var described = admin.describeTopics(topics).allTopicNames().get(5, java.util.concurrent.TimeUnit.SECONDS);
        if (described.values().stream().allMatch(d -> !d.partitions().isEmpty()
            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
          return;
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // not visible yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the broker does not list partitions of " + topics + " 30 s after creating them");
      }
      Thread.sleep(100);
    }
  }

  private static boolean isFree(String host, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What the demo started, stopped in reverse order exactly once (normal end or Ctrl-C). */
  private static final class Session {
    KafkaBroker broker;
    ConsoleServer console;
    ObserverChild observer;
    String clusterId;
    Instant trafficSince;
    Path secrets;
    NetnsLab lab;
    DiscoveryServer discovery;
    Mesh mesh;
    Path logs;
    private volatile boolean closed;

    boolean stopping() {
      return closed;
    }

    synchronized void close(PrintStream out) {
      if (closed) {
        return;
      }
      closed = true;
      List<String> done = new ArrayList<>();
      if (console != null) {
        console.close();
        done.add("console stopped");
      }
      if (observer != null) {
        observer.close();
        done.add("observer stopped");
      }
      if (mesh != null) {
        mesh.close();
        done.add("agents stopped");
      }
      if (lab != null) {
        lab.close();
        done.add("namespaces removed (wireguard-go ended)");
      }
      if (discovery != null) {
        discovery.close();
        done.add("discovery stopped");
      }
      if (broker != null) {
        boolean ours = broker.startedHere();
        broker.close();
        done.add(ours ? "Kafka stopped" : "Kafka left running (it was there before)");
      }
      if (!done.isEmpty()) {
        out.println("spanlog demo: " + String.join(", ", done) + ".");
        out.flush();
      }
    }
  }
}
