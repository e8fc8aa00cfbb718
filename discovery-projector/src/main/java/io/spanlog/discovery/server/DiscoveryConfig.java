package io.spanlog.discovery.server;

import io.spanlog.config.GoDuration;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.rpc.AddressCaps;
import io.spanlog.net.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of one discovery service instance.
 *
 * @param host address to listen on for gRPC (and the landing page)
 * @param port gRPC port; 0 picks a free one
 * @param metricsHost address of the Prometheus endpoint
 * @param metricsPort its port; 0 picks a free one, -1 turns it off
 * @param gcInterval how often the owner of a partition collects expired records
 * @param snapshotInterval how often the owner of a partition writes its snapshot
 * @param redirect Hello's redirect target for every client, if any
 * @param certificate TLS certificate (PEM); with {@code key}, the port speaks TLS
 * @param key TLS private key (PEM)
 * @param trustRealIp believe {@code x-real-ip}
 * @param trustFirstForwardedFor believe the first {@code x-forwarded-for} entry
 * @param rateLimit requests per second per client address
 * @param rateBurst bucket capacity
 * @param addressLimits concurrent calls and connections per client address, streams per connection
 * @param reflection serve gRPC server reflection v1
 * @param bootstrap Kafka bootstrap servers
 * @param topics topic names
 * @param partitions partitions for topics this instance creates
 * @param instanceId names this instance in events' producer field
 * @param gcGroup consumer group deciding partition ownership for expiry
 * @param caps what this instance admits: clusters, affiliates, Watch streams
 */
public record DiscoveryConfig(
    String host,
    int port,
    String metricsHost,
    int metricsPort,
    Duration gcInterval,
    Duration snapshotInterval,
    Optional<String> redirect,
    Optional<Path> certificate,
    Optional<Path> key,
    boolean trustRealIp,
    boolean trustFirstForwardedFor,
    double rateLimit,
    int rateBurst,
    AddressCaps.Limits addressLimits,
    boolean reflection,
    String bootstrap,
    DiscoveryTopics topics,
    int partitions,
    String instanceId,
    String gcGroup,
    Caps caps) {

  // The defaults, written once, as the flags spell them: DiscoveryMain's picocli options take them
  // as their defaultValue (so --help shows them) and defaults() parses them.
  public static final String DEFAULT_ADDR = ":3000";
  public static final String DEFAULT_METRICS_ADDR = ":2122";
  public static final String DEFAULT_GC_INTERVAL = "1m";
  public static final String DEFAULT_SNAPSHOT_INTERVAL = "1m";
  public static final String DEFAULT_RATE_LIMIT = "15";
  public static final String DEFAULT_RATE_BURST = "60";
  // A whole cluster behind one NAT address must fit: 1,024 nodes (the affiliate cap), each with
  // one Watch and, when it refreshes, an AffiliateUpdate or two: 4,096 calls leaves room for all
  // of them at once. One connection per node, twice over for nodes reconnecting while their old
  // connection is not yet known dead. Per connection, a node needs a handful of streams; 256
  // keeps one connection from holding a large share of its address's calls, and a proxy that
  // multiplexes clients opens more connections when it reaches it (gRPC clients honour it).
  public static final String DEFAULT_MAX_STREAMS_PER_ADDRESS = "4096";
  public static final String DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = "2048";
  public static final String DEFAULT_MAX_STREAMS_PER_CONNECTION = "256";
  public static final String DEFAULT_REFLECTION = "true";
  public static final String DEFAULT_PARTITIONS = "6";
  public static final String DEFAULT_GC_GROUP = "spanlog.discovery.gc";

  // Caps (issue 14), sized by arithmetic from the spec's limits. Worst case, every affiliate at
  // every limit (2048 B data, 64 x 32 B endpoints, a 256 B id): 9.2 KiB of snapshot JSON, measured
  // by SnapshotChunksTest (under 11 KiB even with an id of JSON-escaped bytes), about 10 KiB of
  // heap; and all of them on one events partition, since cluster ids choose the partition.
  //   32,768 affiliates x 11 KiB = 352 MiB of snapshot for that partition in the worst case. One
  //   record of 64 MiB (the snapshot topic's max.message.bytes) would hold only 64 MiB / 11 KiB =
  //   5,957 such affiliates, so a partition snapshot is split into chunk records of at most
  //   0.9 MiB + one affiliate (SnapshotCodec, SnapshotStore): about 400 chunks here, each under
  //   Kafka's default 1 MiB record size; no cap is needed for the snapshot to fit.
  //   The heap is what the affiliate cap bounds: 32,768 x 10 KiB = 320 MiB worst case; real Talos
  //   affiliates (a few hundred bytes, a few endpoints) take 20-40 MiB.
  //   8,192 clusters: a cluster costs little itself; the cap bounds the ids and map entries
  //   (8,192 x 256 B ids) and stops one client from spreading affiliates over endless clusters.
  //   2,048 Watch streams per cluster: every node of a full cluster (1,024) twice over, so each
  //   can reconnect while its previous stream is not yet noticed gone; the same per client
  //   address, so a whole full cluster fits behind one NAT address (within its 4,096 streams).
  public static final String DEFAULT_MAX_CLUSTERS = "8192";
  public static final String DEFAULT_MAX_AFFILIATES = "32768";
  public static final String DEFAULT_MAX_WATCHES_PER_ADDRESS = "2048";
  public static final String DEFAULT_MAX_WATCHES_PER_CLUSTER = "2048";

  /**
   * What one instance admits; writes and Watches beyond them are refused with RESOURCE_EXHAUSTED
   * when they arrive (never in the fold, so a replay does not depend on them).
   *
   * @param maxClusters clusters holding affiliates; an update that would create one more is refused
   * @param maxAffiliates affiliates over all clusters; an update that would create one more is refused
   * @param maxWatchesPerAddress open Watch streams per client address
   * @param maxWatchesPerCluster open Watch streams per cluster
   */
  public record Caps(int maxClusters, int maxAffiliates, int maxWatchesPerAddress, int maxWatchesPerCluster) {
    public Caps {
      if (maxClusters < 1 || maxAffiliates < 1 || maxWatchesPerAddress < 1 || maxWatchesPerCluster < 1) {
        throw new IllegalArgumentException("every cap must be at least 1");
      }
    }

    public static Caps defaults() {
      return new Caps(Integer.parseInt(DEFAULT_MAX_CLUSTERS), Integer.parseInt(DEFAULT_MAX_AFFILIATES),
          Integer.parseInt(DEFAULT_MAX_WATCHES_PER_ADDRESS), Integer.parseInt(DEFAULT_MAX_WATCHES_PER_CLUSTER));
    }
  }

  /** The reference service's defaults, on the given Kafka. */
  public static DiscoveryConfig defaults(String bootstrap, String instanceId) {
    HostPort listen = HostPort.parseListen(DEFAULT_ADDR, "--addr");
    HostPort metrics = HostPort.parseListen(DEFAULT_METRICS_ADDR, "--metrics-addr");
    return new DiscoveryConfig(listen.host(), listen.port(), metrics.host(), metrics.port(),
        GoDuration.parse(DEFAULT_GC_INTERVAL), GoDuration.parse(DEFAULT_SNAPSHOT_INTERVAL),
        Optional.empty(), Optional.empty(), Optional.empty(), false, false,
        Double.parseDouble(DEFAULT_RATE_LIMIT), Integer.parseInt(DEFAULT_RATE_BURST), defaultAddressLimits(),
        Boolean.parseBoolean(DEFAULT_REFLECTION), bootstrap, DiscoveryTopics.catalogue(),
        Integer.parseInt(DEFAULT_PARTITIONS), instanceId, DEFAULT_GC_GROUP, Caps.defaults());
  }

  static AddressCaps.Limits defaultAddressLimits() {
    return new AddressCaps.Limits(Integer.parseInt(DEFAULT_MAX_STREAMS_PER_ADDRESS),
        Integer.parseInt(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS), Integer.parseInt(DEFAULT_MAX_STREAMS_PER_CONNECTION));
  }

  public DiscoveryConfig withPorts(String host, int port, int metricsPort) {
    return new DiscoveryConfig(host, port, host, metricsPort, gcInterval, snapshotInterval, redirect,
        certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits, reflection,
        bootstrap, topics, partitions, instanceId, gcGroup, caps);
  }

  public DiscoveryConfig withGc(Duration gc, Duration snapshots) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gc, snapshots, redirect,
        certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits, reflection,
        bootstrap, topics, partitions, instanceId, gcGroup, caps);
  }

  public DiscoveryConfig withTopics(String prefix, int partitionCount) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflection, bootstrap, DiscoveryTopics.prefixed(prefix), partitionCount, instanceId,
        prefix + ".gc", caps);
  }

  /** Explicit topic names (e.g. a log's events with an empty snapshot topic: a full replay). */
  public DiscoveryConfig withTopicNames(DiscoveryTopics names, String gcGroupId) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflection, bootstrap, names, partitions, instanceId, gcGroupId, caps);
  }

  public DiscoveryConfig withRateLimit(double perSecond, int burst) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, perSecond, burst, addressLimits,
        reflection, bootstrap, topics, partitions, instanceId, gcGroup, caps);
  }

  public DiscoveryConfig withAddressLimits(AddressCaps.Limits limits) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, limits,
        reflection, bootstrap, topics, partitions, instanceId, gcGroup, caps);
  }

  public DiscoveryConfig withClientAddress(boolean realIp, boolean firstForwardedFor, Optional<String> redirectTo) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirectTo, certificate, key, realIp, firstForwardedFor, rateLimit, rateBurst, addressLimits, reflection,
        bootstrap, topics, partitions, instanceId, gcGroup, caps);
  }

  public DiscoveryConfig withTls(Optional<Path> cert, Optional<Path> keyPath, boolean reflectionOn) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, cert, keyPath, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflectionOn, bootstrap, topics, partitions, instanceId, gcGroup, caps);
  }

  public DiscoveryConfig withBootstrap(String servers) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflection, servers, topics, partitions, instanceId, gcGroup, caps);
  }

  public DiscoveryConfig withCaps(Caps limits) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflection, bootstrap, topics, partitions, instanceId, gcGroup, limits);
  }
}
