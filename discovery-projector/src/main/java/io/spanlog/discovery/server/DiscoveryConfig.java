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
    String gcGroup) {

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

  /** The reference service's defaults, on the given Kafka. */
  public static DiscoveryConfig defaults(String bootstrap, String instanceId) {
    HostPort listen = HostPort.parseListen(DEFAULT_ADDR, "--addr");
    HostPort metrics = HostPort.parseListen(DEFAULT_METRICS_ADDR, "--metrics-addr");
    return new DiscoveryConfig(listen.host(), listen.port(), metrics.host(), metrics.port(),
        GoDuration.parse(DEFAULT_GC_INTERVAL), GoDuration.parse(DEFAULT_SNAPSHOT_INTERVAL),
        Optional.empty(), Optional.empty(), Optional.empty(), false, false,
        Double.parseDouble(DEFAULT_RATE_LIMIT), Integer.parseInt(DEFAULT_RATE_BURST), defaultAddressLimits(),
        Boolean.parseBoolean(DEFAULT_REFLECTION), bootstrap, DiscoveryTopics.catalogue(),
        Integer.parseInt(DEFAULT_PARTITIONS), instanceId, DEFAULT_GC_GROUP);
  }

  static AddressCaps.Limits defaultAddressLimits() {
    return new AddressCaps.Limits(Integer.parseInt(DEFAULT_MAX_STREAMS_PER_ADDRESS),
        Integer.parseInt(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS), Integer.parseInt(DEFAULT_MAX_STREAMS_PER_CONNECTION));
  }

  public DiscoveryConfig withPorts(String host, int port, int metricsPort) {
    return new DiscoveryConfig(host, port, host, metricsPort, gcInterval, snapshotInterval, redirect,
        certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits, reflection,
        bootstrap, topics, partitions, instanceId, gcGroup);
  }

  public DiscoveryConfig withGc(Duration gc, Duration snapshots) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gc, snapshots, redirect,
        certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits, reflection,
        bootstrap, topics, partitions, instanceId, gcGroup);
  }

  public DiscoveryConfig withTopics(String prefix, int partitionCount) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflection, bootstrap, DiscoveryTopics.prefixed(prefix), partitionCount, instanceId,
        prefix + ".gc");
  }

  /** Explicit topic names (e.g. a log's events with an empty snapshot topic: a full replay). */
  public DiscoveryConfig withTopicNames(DiscoveryTopics names, String gcGroupId) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflection, bootstrap, names, partitions, instanceId, gcGroupId);
  }

  public DiscoveryConfig withRateLimit(double perSecond, int burst) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, perSecond, burst, addressLimits,
        reflection, bootstrap, topics, partitions, instanceId, gcGroup);
  }

  public DiscoveryConfig withAddressLimits(AddressCaps.Limits limits) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, limits,
        reflection, bootstrap, topics, partitions, instanceId, gcGroup);
  }

  public DiscoveryConfig withClientAddress(boolean realIp, boolean firstForwardedFor, Optional<String> redirectTo) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirectTo, certificate, key, realIp, firstForwardedFor, rateLimit, rateBurst, addressLimits, reflection,
        bootstrap, topics, partitions, instanceId, gcGroup);
  }

  public DiscoveryConfig withTls(Optional<Path> cert, Optional<Path> keyPath, boolean reflectionOn) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, cert, keyPath, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflectionOn, bootstrap, topics, partitions, instanceId, gcGroup);
  }

  public DiscoveryConfig withBootstrap(String servers) {
    return new DiscoveryConfig(host, port, metricsHost, metricsPort, gcInterval, snapshotInterval,
        redirect, certificate, key, trustRealIp, trustFirstForwardedFor, rateLimit, rateBurst, addressLimits,
        reflection, servers, topics, partitions, instanceId, gcGroup);
  }
}
