package io.spanlog.history.read;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * What to read: some topics, one cluster's partition of each (or all partitions), from an instant
 * or given offsets, up to an instant or given offsets. Whatever the bounds, a read never goes
 * past the end offsets captured when it starts, so it ends on an idle topic.
 *
 * <pre>
 * Scan.of(TopicCatalogue.DISCOVERY_EVENTS).cluster("c1").from(t1).to(t2)
 * Scan.of(events).cluster("c1").startAt(new TopicPartition(events, 3), 1200).to(at)
 * </pre>
 *
 * @param topics the topics to read, in the order their records are handed on when several
 *     partitions have data (each partition in offset order; no order across partitions)
 * @param cluster only this cluster's records (key = cluster id), and only its partition
 * @param from first record timestamp read (offsetsForTimes); empty: the start of the topic
 * @param to last record timestamp read, inclusive; empty: the end captured at start
 * @param startAt a start offset per partition, over {@code from}
 * @param endAt an end offset (exclusive) per partition, over {@code to}
 */
public record Scan(
    List<String> topics,
    Optional<String> cluster,
    Optional<Instant> from,
    Optional<Instant> to,
    Map<TopicPartition, Long> startAt,
    Map<TopicPartition, Long> endAt) {
  public Scan {
    topics = List.copyOf(topics);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("a scan reads at least one topic");
    }
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    startAt = Map.copyOf(startAt);
    endAt = Map.copyOf(endAt);
  }

  public static Scan of(String... topics) {
    return new Scan(List.of(topics), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of());
  }

  public static Scan of(List<String> topics) {
    return new Scan(topics, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of());
  }

  public Scan cluster(String id) {
    return new Scan(topics, Optional.of(id), from, to, startAt, endAt);
  }

  public Scan from(Instant t) {
    return new Scan(topics, cluster, Optional.of(t), to, startAt, endAt);
  }

  public Scan to(Instant t) {
    return new Scan(topics, cluster, from, Optional.of(t), startAt, endAt);
  }

  public Scan startAt(TopicPartition tp, long offset) {
    Map<TopicPartition, Long> m = new HashMap<>(startAt);
    m.put(tp, offset);
    return new Scan(topics, cluster, from, to, m, endAt);
  }

  public Scan endAt(TopicPartition tp, long offset) {
    Map<TopicPartition, Long> m = new HashMap<>(endAt);
    m.put(tp, offset);
    return new Scan(topics, cluster, from, to, startAt, m);
  }
}
