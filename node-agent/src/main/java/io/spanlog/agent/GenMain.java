package io.spanlog.agent;

import io.spanlog.agent.config.ConfigException;
import io.spanlog.agent.config.ConfigGenerator;
import io.spanlog.agent.config.ConfigWriter;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.WireGuardBackendKind;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./spanlog gen config --nodes N --discovery <url> --out <dir>}: a new cluster (id and
 * secret, 32 random bytes each) and one config file per node, mode 0600.
 */
@Command(name = "gen", mixinStandardHelpOptions = true, subcommands = GenMain.Config.class,
    description = "Generate Spanlog configuration.")
public final class GenMain implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new GenMain()).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  @Command(name = "config", mixinStandardHelpOptions = true,
      description = "A new cluster id and secret and one node config per node (as talosctl gen config --with-kubespan).")
  static final class Config implements Callable<Integer> {
    @Option(names = "--nodes", required = true, description = "How many node configs (1..1024).")
    int nodes;

    @Option(names = "--discovery", required = true, paramLabel = "<url>",
        description = "The discovery service, e.g. http://10.0.0.1:3000/ or https://discovery.talos.dev/.")
    String discovery;

    @Option(names = "--out", required = true, paramLabel = "<dir>", description = "Folder for node-<i>.yaml.")
    Path out;

    @Option(names = "--backend", defaultValue = "userspace",
        description = "WireGuard backend: userspace, kernel or memory (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--state-base", defaultValue = NodeConfig.DEFAULT_STATE_FOLDER,
        description = "Each node's state folder is <state-base>/node-<i> (default: ${DEFAULT-VALUE}).")
    String stateBase;

    @Option(names = "--discovery-ca", paramLabel = "<file>",
        description = "PEM CA certificate of an https:// discovery service with a private CA; written as "
            + "discovery.caFile (absolute path: put the file there on every node).")
    Path discoveryCa;

    @Option(names = "--secrets", paramLabel = "<dir>",
        description = "Folder for the cluster's secrets file (clusterId and secret, mode 0600), for services given "
            + "--secrets <dir> (the observer, the history tools) to read the cluster's sealed telemetry "
            + "(default: <out>/secrets).")
    Path secrets;

    @Option(names = "--same-host",
        description = "All nodes on one machine: distinct interface names and status API ports.")
    boolean sameHost;

    @Override
    public Integer call() {
      WireGuardBackendKind kind = null;
      for (WireGuardBackendKind k : WireGuardBackendKind.values()) {
        if (k.configName().equals(backend)) {
          kind = k;
        }
      }
      if (kind == null) {
        System.err.println("spanlog gen config: --backend must be userspace, kernel or memory, not '" + backend + "'");
        return AgentMain.BAD_CONFIG;
      }
      try {
        var cluster = ConfigGenerator.generate(nodes,
            new ConfigGenerator.Options(discovery, kind, stateBase, sameHost, Optional.ofNullable(discoveryCa)), new SecureRandom());
        Path secretsDir = secrets != null ? secrets : out.resolve("secrets");
        ConfigWriter.Written written = ConfigWriter.write(out, cluster, secretsDir);
        List<Path> files = written.nodeFiles();
        System.out.println("cluster " + cluster.clusterId() + ": wrote " + files.size() + " node configs (mode 0600) to " + out);
        files.forEach(f -> System.out.println("  " + f));
        System.out.println("and the cluster's secrets file (mode 0600), for --secrets " + secretsDir + ":");
        System.out.println("  " + written.secretFile());
        return 0;
      } catch (ConfigException e) {
        System.err.println("spanlog gen config: " + e.getMessage());
        return AgentMain.BAD_CONFIG;
      } catch (FileAlreadyExistsException e) {
        System.err.println("spanlog gen config: " + e.getFile() + " exists; " + (e.getReason() == null ? "refusing to overwrite it" : e.getReason()));
        return AgentMain.FAILED;
      } catch (IOException e) {
        System.err.println("spanlog gen config: cannot write to " + out + ": " + e.getMessage());
        return AgentMain.FAILED;
      }
    }
  }
}
