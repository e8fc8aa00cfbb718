package io.spanlog.agent.config;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code spanlog gen config --nodes N}: a new cluster id and secret (32 random bytes each,
 * standard base64, as {@code talosctl gen config} makes them) and one config per node.
 */
public final class ConfigGenerator {

  /**
   * @param discoveryEndpoint the discovery URL every node uses
   * @param backend the WireGuard backend
   * @param stateFolderBase each node's state folder is {@code <base>/node-<i>}
   * @param sameHost all nodes on one machine: distinct interface names ({@code kubespan1}…) and
   *     status API ports, which separate machines do not need
   * @param discoveryCaFile a private CA for an https:// discovery service, written as
   *     {@code discovery.caFile} (absolute: every node reads it at that path)
   */
  public record Options(String discoveryEndpoint, WireGuardBackendKind backend, String stateFolderBase,
      boolean sameHost, Optional<Path> discoveryCaFile) {
    public Options {
      Objects.requireNonNull(discoveryEndpoint, "discoveryEndpoint");
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(stateFolderBase, "stateFolderBase");
      Objects.requireNonNull(discoveryCaFile, "discoveryCaFile");
    }

    /** The public trust store for https:// discovery. */
    public Options(String discoveryEndpoint, WireGuardBackendKind backend, String stateFolderBase, boolean sameHost) {
      this(discoveryEndpoint, backend, stateFolderBase, sameHost, Optional.empty());
    }
  }

  /** One generated file: its suggested name and YAML text (which holds the secret). */
  public record NodeFile(String fileName, String yaml) {
    @Override
    public String toString() {
      return "NodeFile[" + fileName + "]";
    }
  }

  /**
   * A generated cluster. The id is not secret; the secret is only inside the files.
   *
   * @param secretFile the cluster's file for a secrets directory ({@code --secrets DIR} of the
   *     observer and the history tools), which names the cluster inside
   */
  public record GeneratedCluster(String clusterId, List<NodeFile> files, NodeFile secretFile) {
    public GeneratedCluster {
      files = List.copyOf(files);
      Objects.requireNonNull(secretFile, "secretFile");
    }
  }

  private ConfigGenerator() {}

  public static GeneratedCluster generate(int nodes, Options options, SecureRandom random) {
    if (nodes < 1 || nodes > 1024) {
      throw new ConfigException("--nodes", "must be 1..1024 (discovery holds at most 1024 affiliates), got " + nodes);
    }
    DiscoveryTarget target;
    try {
      target = DiscoveryTarget.parse(options.discoveryEndpoint());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("discovery.endpoint", e.getMessage());
    }
    if (options.discoveryCaFile().isPresent()) {
      // the same checks as NodeConfigParser, so no node config is written that the agent refuses
      if (!target.tls()) {
        throw new ConfigException("--discovery-ca", "applies to https:// endpoints only, not " + target);
      }
      try {
        CaFile.check(options.discoveryCaFile().get());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--discovery-ca", e.getMessage());
      }
    }
    String clusterId = randomBase64(random);
    String secret = randomBase64(random);
    List<NodeFile> files = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      files.add(new NodeFile("node-" + i + ".yaml", render(i, clusterId, secret, options)));
    }
    var entry = new ClusterSecretFile.Entry(clusterId, ClusterSecret.fromBase64(secret));
    return new GeneratedCluster(clusterId, files, new NodeFile(secretFileName(clusterId), ClusterSecretFile.render(entry)));
  }

  /**
   * A file name for a cluster's secrets file: the id with everything but letters, digits, '.',
   * '_' and '-' replaced (ids may hold '/'); readers go by the id inside, not by the name.
   */
  static String secretFileName(String clusterId) {
    String safe = clusterId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 64) {
      safe = safe.substring(0, 64);
    }
    return "cluster-" + safe + ".yaml";
  }

  static String render(int index, String clusterId, String secret, Options options) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("cluster", map("id", clusterId, "secret", secret));
    Map<String, Object> discovery = map("endpoint", options.discoveryEndpoint());
    options.discoveryCaFile().ifPresent(ca -> discovery.put("caFile", ca.toAbsolutePath().normalize().toString()));
    root.put("discovery", discovery);
    Map<String, Object> kubespan = new LinkedHashMap<>();
    kubespan.put("interface", options.sameHost() ? NodeConfig.DEFAULT_INTERFACE + index : NodeConfig.DEFAULT_INTERFACE);
    kubespan.put("listenPort", NodeConfig.DEFAULT_PORT);
    kubespan.put("mtu", NodeConfig.DEFAULT_MTU);
    kubespan.put("harvestExtraEndpoints", true);
    kubespan.put("backend", options.backend().configName());
    root.put("kubespan", kubespan);
    root.put("stateFolder", options.stateFolderBase() + "/node-" + index);
    root.put("statusApi", map("port", NodeConfig.DEFAULT_STATUS_API_PORT + (options.sameHost() ? index : 0)));
    var dump = new DumperOptions();
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return "# Spanlog node " + index + ". Holds the cluster secret: keep it private (mode 0600).\n"
        + new Yaml(dump).dump(root);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String randomBase64(SecureRandom random) {
    byte[] raw = new byte[ClusterSecret.LENGTH];
    random.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }
}
