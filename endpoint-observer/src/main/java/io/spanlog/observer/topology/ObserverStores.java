package io.spanlog.observer.topology;

/**
 * The observer's named state stores (Kafka Streams keeps each one's changelog). Keys are
 * {@link StoreKeys}; a cluster's entries share the prefix {@link StoreKeys#cluster(String)}, so
 * "everything of a cluster" is one prefix scan for the read API.
 */
public final class ObserverStores {
  /** (cluster, node key, peer key) → {@code LinkRecord}: every link's state, counters, flaps. */
  public static final String LINKS = "observer.links";

  /** (cluster, node key, peer key) → {@code ReachabilityCell}: the reachability matrix. */
  public static final String REACHABILITY = "observer.reachability";

  /** (cluster, peer key) → {@code ProvenEndpoints}: endpoints seen working, per peer. */
  public static final String PROVEN_ENDPOINTS = "observer.proven-endpoints";

  /** (cluster, node id) → {@code NodeRecord}: which nodes report, and which are silent. */
  public static final String NODES = "observer.nodes";

  /** (cluster) → {@code ClusterClock}: the cluster's sample and arrival clocks. */
  public static final String CLUSTER_CLOCKS = "observer.cluster-clocks";

  /** (cluster, window start, node key, peer key) → {@code WindowTally}: open metric windows. */
  public static final String METRIC_WINDOWS = "observer.metric-windows";

  /**
   * (cluster, node key, peer key) at window start → {@code LinkMetricsWindow}: the closed metric
   * windows of every link for {@code ObserverSettings.metricsRetention}, a window store, for the
   * read API's time ranges.
   */
  public static final String METRIC_HISTORY = "observer.metric-history";

  /**
   * (cluster, affiliate id) → {@code AffiliateState}: the cluster's discovery state, folded from
   * the discovery events as the discovery service folds them, still encrypted.
   */
  public static final String DISCOVERY = "observer.discovery";

  /** (cluster, node key) → {@code DriftRecord}: each node's peer specs against its device. */
  public static final String DRIFT = "observer.drift";

  private ObserverStores() {}
}
