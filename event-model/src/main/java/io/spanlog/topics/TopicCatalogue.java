package io.spanlog.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every topic Spanlog reads or writes, with its settings. The key of every cluster-scoped record
 * is the cluster id, so one cluster's history is totally ordered on one partition and a
 * projection is a left fold over it.
 */
public final class TopicCatalogue {
  /** Partitions of the cluster-keyed topics; enough to spread many clusters over a few brokers. */
  public static final int DEFAULT_PARTITIONS = 6;

  public static final String DISCOVERY_EVENTS = "spanlog.discovery.events";
  public static final String DISCOVERY_SNAPSHOTS = "spanlog.discovery.snapshots";
  public static final String DISCOVERY_CHECKPOINTS = "spanlog.discovery.checkpoints";
  public static final String TELEMETRY = "spanlog.telemetry";
  public static final String LINK_EVENTS = "spanlog.link.events";
  public static final String LINK_METRICS = "spanlog.link.metrics";
  public static final String DEAD_LETTER = "spanlog.dead-letter";

  private static final String CLUSTER_KEY = "cluster id (UTF-8)";
  private static final long HISTORY_RETENTION_MS = Duration.ofDays(90).toMillis();
  private static final long TELEMETRY_RETENTION_MS = Duration.ofDays(14).toMillis();

  private TopicCatalogue() {}

  /** The catalogue with {@link #DEFAULT_PARTITIONS} partitions per cluster-keyed topic. */
  public static List<TopicSpec> all() {
    return all(DEFAULT_PARTITIONS);
  }

  /**
   * The catalogue with the given partition count. The snapshot topic has as many partitions as
   * the discovery events topic: snapshot partition p covers events partition p; so has the
   * checkpoint topic.
   */
  public static List<TopicSpec> all(int partitions) {
    return List.of(
        new TopicSpec(
            DISCOVERY_EVENTS,
            partitions,
            history(HISTORY_RETENTION_MS),
            CLUSTER_KEY,
            "every accepted discovery write and every expiry decision, in order per cluster"),
        new TopicSpec(
            DISCOVERY_SNAPSHOTS,
            partitions,
            Map.of(
                "cleanup.policy", "compact",
                "min.insync.replicas", "1",
                "max.message.bytes", String.valueOf(64 * 1024 * 1024)),
            "partition number of the events topic",
            "the discovery projection of one events partition and the offset it covers"),
        new TopicSpec(
            DISCOVERY_CHECKPOINTS,
            partitions,
            history(HISTORY_RETENTION_MS),
            "partition number of the events topic",
            "time-indexed checkpoints of the discovery projection (snapshot chunks, each naming the events"
                + " offset it covers), kept as long as the events, so the state at an instant starts near it"),
        new TopicSpec(
            TELEMETRY,
            partitions,
            history(TELEMETRY_RETENTION_MS),
            CLUSTER_KEY,
            "handshake sample batches from node agents, sealed with the cluster secret"),
        new TopicSpec(
            LINK_EVENTS,
            partitions,
            history(HISTORY_RETENTION_MS),
            CLUSTER_KEY,
            "link state changes and endpoints observed working"),
        new TopicSpec(
            LINK_METRICS,
            partitions,
            history(TELEMETRY_RETENTION_MS),
            CLUSTER_KEY,
            "windowed RX/TX rates per link"),
        new TopicSpec(
            DEAD_LETTER,
            1,
            history(HISTORY_RETENTION_MS),
            "the original record's key",
            "records no consumer could decode, with the reason in headers"));
  }

  private static Map<String, String> history(long retentionMs) {
    return Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(retentionMs));
  }
}
