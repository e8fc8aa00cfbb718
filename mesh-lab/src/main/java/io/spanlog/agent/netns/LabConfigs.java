package io.spanlog.agent.netns;

import io.spanlog.agent.config.ConfigGenerator;
import io.spanlog.agent.config.WireGuardBackendKind;
import io.spanlog.agent.identity.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The node configs of a lab, demo or test cluster: what {@code spanlog gen config} makes, plus what
 * several nodes on one machine need: a node name each (they share the host name), a status API
 * port each when they share a loopback, and optionally shortened status timings.
 */
public final class LabConfigs {

  /**
   * @param discoveryUrl e.g. {@code http://10.60.0.1:3000/}
   * @param backend userspace (namespaces) or memory
   * @param statusPorts the status API port of node i at index i-1
   * @param timings {@code peerDownInterval}, {@code endpointConnectionTimeout}, {@code reconcileInterval}
   */
  public record Settings(String discoveryUrl, WireGuardBackendKind backend, List<Integer> statusPorts,
      Duration peerDown, Duration connectTimeout, Duration reconcile) {
    public Settings {
      statusPorts = List.copyOf(statusPorts);
    }
  }

  /**
   * A written cluster: its id, one config file per node, and a secrets directory holding the
   * cluster's file, for services given {@code --secrets DIR} (the observer). All mode 0600/0700:
   * they hold the secret.
   */
  public record Written(String clusterId, List<Path> files, Path secrets) {
    public Written {
      files = List.copyOf(files);
    }
  }

  private LabConfigs() {}

  /**
   * Writes {@code node-<i>.yaml} into {@code folder}, with state folders {@code folder/node-<i>},
   * and the cluster's secrets file into {@code folder/secrets}.
   */
  public static Written write(Path folder, Settings settings) throws IOException {
    int nodes = settings.statusPorts().size();
    SecretFiles.createPrivateDirectories(folder);
    var cluster = ConfigGenerator.generate(nodes,
        new ConfigGenerator.Options(settings.discoveryUrl(), settings.backend(), folder.toAbsolutePath().toString(), false),
        new SecureRandom());
    List<Path> files = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      String yaml = adjust(cluster.files().get(i - 1).yaml(), i, settings);
      Path file = folder.resolve("node-" + i + ".yaml");
      SecretFiles.write(file, yaml);
      files.add(file);
    }
    Path secrets = folder.resolve("secrets");
    SecretFiles.createPrivateDirectories(secrets);
    SecretFiles.write(secrets.resolve(cluster.secretFile().fileName()), cluster.secretFile().yaml());
    return new Written(cluster.clusterId(), files, secrets);
  }

  @SuppressWarnings("unchecked")
  static String adjust(String generated, int index, Settings settings) {
    Map<String, Object> root = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(generated);
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("hostname", "node-" + index);
    node.put("nodename", "node-" + index);
    root.put("node", node);
    Map<String, Object> kubespan = (Map<String, Object>) root.get("kubespan");
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("peerDownInterval", settings.peerDown().toMillis() + "ms");
    timings.put("endpointConnectionTimeout", settings.connectTimeout().toMillis() + "ms");
    timings.put("reconcileInterval", settings.reconcile().toMillis() + "ms");
    kubespan.put("timings", timings);
    root.put("statusApi", Map.of("port", settings.statusPorts().get(index - 1)));
    DumperOptions dump = new DumperOptions();
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return "# Spanlog lab node " + index + ". Holds the cluster secret: keep it private (mode 0600).\n"
        + new Yaml(dump).dump(root);
  }
}
