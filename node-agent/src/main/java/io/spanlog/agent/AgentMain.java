package io.spanlog.agent;

import io.spanlog.agent.config.ConfigException;
import io.spanlog.agent.config.ConfigWatcher;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.discovery.DiscoveryClient;
import io.spanlog.agent.identity.IdentityStore;
import io.spanlog.identity.NodeIds;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./spanlog agent --config node.yaml} runs one node agent until SIGTERM or Ctrl-C (then it
 * stops cleanly and closes its device); the config file is watched and SIGHUP reloads it.
 * {@code ./spanlog agent leave --config node.yaml} makes the node leave the cluster (through the
 * running agent if there is one).
 *
 * <p>Exit codes: 0 done, 1 the agent could not start or run (or the leave was refused), 2 bad
 * config or arguments.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, subcommands = AgentMain.Leave.class,
    description = "Run a Spanlog node agent (KubeSpan-compatible WireGuard mesh member).")
public final class AgentMain implements Callable<Integer> {
  static final int FAILED = 1;
  static final int BAD_CONFIG = 2;

  @Option(names = "--config", paramLabel = "node.yaml", description = "The node config file.")
  Path configFile;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** picocli answers bad arguments with exit code 2 (its USAGE code), the same as a bad config. */
  static int run(String... args) {
    return new CommandLine(new AgentMain()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (configFile == null) {
      System.err.println("spanlog agent: --config <node.yaml> is required (./spanlog gen config makes one)");
      return BAD_CONFIG;
    }
    NodeConfig config;
    try {
      config = NodeConfigParser.load(configFile);
    } catch (ConfigException e) {
      System.err.println("spanlog agent: " + configFile + ": " + e.getMessage());
      return BAD_CONFIG;
    }
    Vertx vertx = Vertx.vertx();
    NodeAgent agent = NodeAgent.create(config, vertx, DeviceFactory.forBackend(), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      agent.start();
    } catch (AgentException e) {
      System.err.println("spanlog agent: " + e.getMessage());
      vertx.close().await(10, TimeUnit.SECONDS);
      return FAILED;
    }
    ConfigWatcher watcher = ConfigWatcher.start(configFile, agent::reconfigure).onSighup();
    java.util.concurrent.atomic.AtomicBoolean shutDown = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable shutdown = () -> {
      if (!shutDown.compareAndSet(false, true)) {
        return;
      }
      watcher.close();
      agent.stop();
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // exiting anyway
      }
      stopped.countDown();
    };
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "spanlog-agent-shutdown"));
    agent.whenLeft(shutdown); // after POST /v1/leave (agent leave): the process ends with 0
    stopped.await();
    return 0;
  }

  /**
   * {@code agent leave}: the node leaves its cluster (Talos: reset). When the agent for this config
   * runs (its status API answers for the same node id), it is asked to leave: it deletes its
   * affiliate, removes its peers and exits. Otherwise the affiliate is deleted here.
   */
  @Command(name = "leave", mixinStandardHelpOptions = true,
      description = "The node leaves the cluster: a running agent for this config is asked to delete its affiliate, "
          + "remove its peers and exit; without one, the affiliate is deleted directly.")
  static final class Leave implements Callable<Integer> {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(45);

    @Option(names = "--config", required = true, paramLabel = "node.yaml", description = "The node config file.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
      NodeConfig config;
      try {
        config = NodeConfigParser.load(configFile);
      } catch (ConfigException e) {
        System.err.println("spanlog agent leave: " + configFile + ": " + e.getMessage());
        return BAD_CONFIG;
      }
      Path idFile = config.stateFolder().resolve(IdentityStore.NODE_ID_FILE);
      String nodeId;
      try {
        nodeId = Files.readString(idFile, StandardCharsets.UTF_8).trim();
      } catch (NoSuchFileException e) {
        System.err.println("spanlog agent leave: this node never joined: no node id in " + idFile);
        return FAILED;
      } catch (IOException e) {
        System.err.println("spanlog agent leave: cannot read " + idFile + ": " + e.getMessage());
        return FAILED;
      }
      if (!NodeIds.isValid(nodeId)) {
        System.err.println("spanlog agent leave: " + idFile + " does not hold a node id");
        return FAILED;
      }
      if (config.statusApiPort() == 0) {
        System.err.println("spanlog agent leave: statusApi.port is 0, so a running agent cannot be asked to leave; "
            + "deleting the affiliate directly (stop the agent first, or it publishes the node again)");
        return deleteDirectly(config, nodeId, "");
      }
      var local = new io.spanlog.agent.api.LocalAgent(config.statusApiPort());
      if (!local.runs(nodeId)) {
        return deleteDirectly(config, nodeId, " (no agent for it is running)");
      }
      io.spanlog.agent.api.LocalAgent.Answer answer;
      try {
        answer = local.askToLeave(nodeId, config.clusterId(), config.clusterSecret(), ASK_TIMEOUT);
      } catch (IOException e) {
        System.err.println("spanlog agent leave: the running agent on " + local + " did not answer the leave request: "
            + e.getMessage());
        return FAILED;
      }
      if (answer.status() != 200) {
        System.err.println("spanlog agent leave: the running agent on " + local + " refused to leave (HTTP "
            + answer.status() + "): " + answer.error());
        return FAILED;
      }
      boolean exited = local.awaitGone(Duration.ofSeconds(20));
      System.out.println("node " + nodeId + " left the cluster: the running agent deleted its affiliate at "
          + config.discovery() + ", removed its " + answer.left().peersRemoved() + " peers and "
          + (exited ? "exited" : "is exiting"));
      return 0;
    }

    private static int deleteDirectly(NodeConfig config, String nodeId, String why) {
      Vertx vertx = Vertx.vertx();
      try {
        var settings = DiscoveryClient.Settings.ofNode(config.discoveryEndpoints(), config.clusterId(), nodeId,
            config.clusterSecret());
        new DiscoveryClient(vertx, settings, view -> { }).leave().await(20, TimeUnit.SECONDS);
        System.out.println("node " + nodeId + " left cluster discovery at " + config.discovery() + why);
        return 0;
      } catch (Exception e) {
        System.err.println("spanlog agent leave: the discovery service at " + config.discovery()
            + " did not accept the deletion: " + e.getMessage());
        return FAILED;
      } finally {
        try {
          vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // exiting anyway
        }
      }
    }
  }
}
