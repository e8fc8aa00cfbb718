package io.spanlog.agent.config;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.config.GoDuration;
import io.spanlog.agent.status.StatusTimings;
import io.spanlog.agent.wireguard.InterfaceNames;
import io.spanlog.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates a node config file. Every error names the field (dotted path); unknown
 * keys are errors too, because a misspelt key silently falling back to a default is worse.
 *
 * <pre>
 * cluster:   { id: ..., secret: ... }                      # required
 * discovery: { endpoint: https://discovery.talos.dev/ }
 *            # or several instances of one service, tried in order when the one in use fails:
 *            # endpoints: [http://10.0.0.1:3000/, http://10.0.0.2:3000/]
 *            # (one name with several addresses: each address is tried in turn)
 *            # caFile: /etc/spanlog/discovery-ca.pem          # private CA (https only)
 * node:      { hostname: ..., nodename: ... }               # optional
 * kubespan:
 *   interface: kubespan
 *   listenPort: 51820
 *   announcedPort: 51820                                    # default: listenPort
 *   mtu: 1420
 *   advertisedNetworks: [10.244.1.0/24]
 *   filters: { endpoints: ["0.0.0.0/0", "!192.168.0.0/16"] }
 *   harvestExtraEndpoints: true
 *   backend: userspace                                      # userspace | kernel | memory
 *   timings: { peerDownInterval: 275s, endpointConnectionTimeout: 15s, reconcileInterval: 30s }
 *            # durations as the discovery flags take them (500ms, 30s, 1h30m), or seconds (275)
 * stateFolder: /var/lib/spanlog
 * statusApi: { port: 51890 }                                # 0 = off
 * telemetry: auto                                           # on | off | auto (never to discovery.talos.dev)
 * </pre>
 */
public final class NodeConfigParser {

  private NodeConfigParser() {}

  public static NodeConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException("", "no such file (./spanlog gen config makes one)");
    } catch (IOException e) {
      throw new ConfigException("", "cannot read " + file + ": " + e.getMessage());
    }
    return parse(text);
  }

  public static NodeConfig parse(String yaml) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (MarkedYAMLException e) {
      // snakeyaml quotes the offending line, which may be the secret: give the position only
      var mark = e.getProblemMark();
      throw new ConfigException(
          "", "not valid YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1));
    } catch (YAMLException e) {
      throw new ConfigException("", "not valid YAML");
    }
    if (root == null) {
      throw new ConfigException("", "the file is empty; cluster.id and cluster.secret are required");
    }
    var top = new Section("", root);
    top.only("cluster", "discovery", "node", "kubespan", "stateFolder", "statusApi", "telemetry");

    var cluster = top.section("cluster", true);
    cluster.only("id", "secret");
    String clusterId = cluster.string("id").orElseThrow(() -> cluster.missing("id"));
    if (clusterId.getBytes(StandardCharsets.UTF_8).length > 256) {
      throw new ConfigException(cluster.path("id"), "longer than the 256 bytes discovery accepts");
    }
    String secretText = cluster.string("secret").orElseThrow(() -> cluster.missing("secret"));
    ClusterSecret secret;
    try {
      secret = ClusterSecret.fromBase64(secretText);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(cluster.path("secret"), e.getMessage());
    }

    var discovery = top.section("discovery", false);
    discovery.only("endpoint", "endpoints", "caFile");
    List<DiscoveryTarget> targets = discoveryTargets(discovery);
    Optional<String> caFile = discovery.string("caFile");
    if (caFile.isPresent()) {
      for (DiscoveryTarget t : targets) {
        if (!t.tls()) {
          throw new ConfigException(discovery.path("caFile"), "applies to https:// endpoints only, not " + t);
        }
      }
      Path ca;
      try {
        ca = CaFile.check(Path.of(caFile.get()));
      } catch (IllegalArgumentException e) { // InvalidPathException too
        throw new ConfigException(discovery.path("caFile"), e.getMessage());
      }
      targets = targets.stream().map(t -> t.withCaFile(Optional.of(ca))).toList();
    }
    DiscoveryTarget target = targets.get(0);

    var node = top.section("node", false);
    node.only("hostname", "nodename");

    var ks = top.section("kubespan", false);
    ks.only("interface", "listenPort", "announcedPort", "mtu", "advertisedNetworks", "filters",
        "harvestExtraEndpoints", "backend", "timings");
    String iface = ks.string("interface").orElse(NodeConfig.DEFAULT_INTERFACE);
    var ifaceProblem = InterfaceNames.problem(iface);
    if (ifaceProblem.isPresent()) {
      throw new ConfigException(ks.path("interface"), ifaceProblem.get());
    }
    int listenPort = ks.integer("listenPort", NodeConfig.DEFAULT_PORT, 1, 65535);
    int announcedPort = ks.integer("announcedPort", listenPort, 1, 65535);
    int mtu = ks.integer("mtu", NodeConfig.DEFAULT_MTU, 1280, 9000);
    List<IpPrefix> advertised = new ArrayList<>();
    for (String text : ks.strings("advertisedNetworks")) {
      try {
        advertised.add(IpPrefix.parse(text));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ks.path("advertisedNetworks"), e.getMessage());
      }
    }
    var filters = ks.section("filters", false);
    filters.only("endpoints");
    EndpointFilter filter;
    try {
      filter = EndpointFilter.parse(filters.strings("endpoints"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(filters.path("endpoints"), e.getMessage());
    }
    boolean harvest = ks.bool("harvestExtraEndpoints", true);
    WireGuardBackendKind backend = ks.backend("backend");

    var t = ks.section("timings", false);
    t.only("peerDownInterval", "endpointConnectionTimeout", "reconcileInterval");
    StatusTimings defaults = StatusTimings.DEFAULTS;
    StatusTimings timings;
    Duration down = t.duration("peerDownInterval", defaults.peerDownInterval());
    Duration connect = t.duration("endpointConnectionTimeout", defaults.endpointConnectionTimeout());
    Duration reconcile = t.duration("reconcileInterval", defaults.reconcileInterval());
    try {
      timings = new StatusTimings(down, connect, reconcile);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(t.path(""), e.getMessage());
    }

    Path state = Path.of(top.string("stateFolder").orElse(NodeConfig.DEFAULT_STATE_FOLDER));
    var api = top.section("statusApi", false);
    api.only("port");
    int apiPort = api.integer("port", NodeConfig.DEFAULT_STATUS_API_PORT, 0, 65535);

    TelemetryMode telemetry = top.telemetry("telemetry");
    if (telemetry == TelemetryMode.ON && targets.stream().anyMatch(DiscoveryTarget::isPublicService)) {
      throw new ConfigException(top.path("telemetry"), "on cannot be used with the public discovery service ("
          + DiscoveryTarget.PUBLIC_SERVICE_HOST + "): it does not serve Spanlog's telemetry, and a cluster's topology "
          + "must not go to a third party; use auto or off, or set discovery.endpoint to a Spanlog discovery service");
    }

    return new NodeConfig(clusterId, secret, target, targets.subList(1, targets.size()), node.string("hostname"),
        node.string("nodename"), iface, listenPort, announcedPort, mtu, state, advertised, filter, timings, harvest,
        backend, apiPort, telemetry);
  }

  /** {@code discovery.endpoint} (one URL) or {@code discovery.endpoints} (a list, tried in order). */
  private static List<DiscoveryTarget> discoveryTargets(Section discovery) {
    Optional<String> one = discovery.string("endpoint");
    List<String> several = discovery.strings("endpoints");
    if (one.isPresent() && discovery.has("endpoints")) {
      throw new ConfigException(discovery.path("endpoints"), "give endpoint or endpoints, not both");
    }
    if (discovery.has("endpoints") && several.isEmpty()) {
      throw new ConfigException(discovery.path("endpoints"), "must list at least one URL");
    }
    if (several.isEmpty()) {
      try {
        return List.of(DiscoveryTarget.parse(one.orElse(DiscoveryTarget.TALOS_DEFAULT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(discovery.path("endpoint"), e.getMessage());
      }
    }
    List<DiscoveryTarget> out = new ArrayList<>();
    for (int i = 0; i < several.size(); i++) {
      DiscoveryTarget t;
      try {
        t = DiscoveryTarget.parse(several.get(i));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(discovery.path("endpoints") + "[" + i + "]", e.getMessage());
      }
      if (out.contains(t)) {
        throw new ConfigException(discovery.path("endpoints") + "[" + i + "]", t + " is listed twice");
      }
      out.add(t);
    }
    return out;
  }

  /** A YAML mapping with its dotted path, for messages. */
  private static final class Section {
    private final String prefix;
    private final Map<?, ?> map;

    Section(String prefix, Object value) {
      this.prefix = prefix;
      if (value == null) {
        this.map = Map.of();
      } else if (value instanceof Map<?, ?> m) {
        this.map = m;
      } else {
        throw new ConfigException(prefix, "must be a mapping of keys to values");
      }
    }

    String path(String key) {
      if (key.isEmpty()) {
        return prefix;
      }
      return prefix.isEmpty() ? key : prefix + "." + key;
    }

    boolean has(String key) {
      return map.containsKey(key);
    }

    ConfigException missing(String key) {
      return new ConfigException(path(key), "is required");
    }

    void only(String... keys) {
      Set<String> known = Set.of(keys);
      for (Object k : map.keySet()) {
        if (!known.contains(String.valueOf(k))) {
          throw new ConfigException(path(String.valueOf(k)), "unknown key (known: " + String.join(", ", keys) + ")");
        }
      }
    }

    Section section(String key, boolean required) {
      if (required && !map.containsKey(key)) {
        throw missing(key);
      }
      return new Section(path(key), map.get(key));
    }

    Optional<String> string(String key) {
      Object v = map.get(key);
      if (v == null) {
        return Optional.empty();
      }
      if (!(v instanceof String s)) {
        throw new ConfigException(path(key), "must be a string");
      }
      if (s.isBlank()) {
        throw new ConfigException(path(key), "must not be empty");
      }
      return Optional.of(s.trim());
    }

    List<String> strings(String key) {
      Object v = map.get(key);
      if (v == null) {
        return List.of();
      }
      if (!(v instanceof List<?> list)) {
        throw new ConfigException(path(key), "must be a list");
      }
      List<String> out = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw new ConfigException(path(key), "every entry must be a string (quote entries starting with '!')");
        }
        out.add(s);
      }
      return out;
    }

    int integer(String key, int fallback, int min, int max) {
      Object v = map.get(key);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Integer i)) {
        throw new ConfigException(path(key), "must be a whole number");
      }
      if (i < min || i > max) {
        throw new ConfigException(path(key), "must be " + min + ".." + max + ", got " + i);
      }
      return i;
    }

    boolean bool(String key, boolean fallback) {
      Object v = map.get(key);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Boolean b)) {
        throw new ConfigException(path(key), "must be true or false");
      }
      return b;
    }

    Duration duration(String key, Duration fallback) {
      Object v = map.get(key);
      if (v == null) {
        return fallback;
      }
      // the flags' Go-style grammar; a bare number stays seconds, as config files had it before
      try {
        return GoDuration.parseOrSeconds(String.valueOf(v));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path(key),
            "must be a duration like 275s, 500ms, 1h30m or a whole number of seconds");
      }
    }

    TelemetryMode telemetry(String key) {
      Object v = map.get(key);
      if (v == null) {
        return TelemetryMode.AUTO;
      }
      // YAML 1.1 (snakeyaml) reads a bare on/off as a boolean
      if (v instanceof Boolean b) {
        return b ? TelemetryMode.ON : TelemetryMode.OFF;
      }
      if (v instanceof String s) {
        Optional<TelemetryMode> mode = TelemetryMode.byConfigName(s);
        if (mode.isPresent()) {
          return mode.get();
        }
      }
      throw new ConfigException(path(key), "must be on, off or auto");
    }

    WireGuardBackendKind backend(String key) {
      Optional<String> v = string(key);
      if (v.isEmpty()) {
        return WireGuardBackendKind.USERSPACE;
      }
      for (WireGuardBackendKind kind : WireGuardBackendKind.values()) {
        if (kind.configName().equals(v.get().toLowerCase(Locale.ROOT))) {
          return kind;
        }
      }
      throw new ConfigException(path(key), "must be userspace, kernel or memory");
    }
  }
}
