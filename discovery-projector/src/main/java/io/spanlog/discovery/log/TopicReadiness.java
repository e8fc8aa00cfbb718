package io.spanlog.discovery.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Waits until topics are usable, not merely created: a topic created a moment ago (by this
 * service or by another process) can be missing from a broker's metadata, or list partitions
 * whose leader does not serve them yet. A consumer assigned to such a topic sees no partitions
 * at all, and an idempotent producer whose first batches bounce off a not-yet-leader can retry
 * the rest into an endless OUT_OF_ORDER_SEQUENCE loop (Kafka 4.4).
 *
 * <p>Usable means: every partition has a leader, a consumer's metadata lists them all, and each
 * leader answers an offset request for its partition (which only the serving leader does).
 */
final class TopicReadiness {
  private static final long RETRY_MILLIS = 100;

  private TopicReadiness() {}

  /**
   * Returns the partition count of each topic once all are usable.
   *
   * @throws IllegalStateException naming the topic, what is missing and the bootstrap servers
   *     when {@code timeout} passes first
   */
  static Map<String, Integer> await(Admin admin, KafkaSettings kafka, Collection<String> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String bootstrap = kafka.bootstrap();
    String why = "not asked yet";
    Map<String, Object> reader = kafka.reader("discovery-topic-readiness");
    try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(reader)) {
      while (true) {
        Optional<String> missing;
        Map<String, Integer> counts = new LinkedHashMap<>();
        try {
          missing = check(admin, consumer, topics, counts, remaining(deadline));
        } catch (RuntimeException e) {
          missing = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (missing.isEmpty()) {
          return counts;
        }
        why = missing.get();
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS) >= deadline) {
          throw new IllegalStateException("Kafka at " + bootstrap + ": topics not usable after "
              + timeout.toMillis() + " ms" + ": " + why);
        }
        Thread.sleep(RETRY_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for topics " + topics + " at " + bootstrap, e);
    }
  }

  /** The first thing that is not ready yet, or empty; fills {@code counts} as it goes. */
  private static Optional<String> check(Admin admin, Consumer<byte[], byte[]> consumer, Collection<String> topics,
      Map<String, Integer> counts, Duration left) throws InterruptedException {
    Map<String, TopicDescription> described;
    try {
      described = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(millis(left)))
          .allTopicNames().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.of("a topic of " + topics + " is not known to the broker yet");
      }
      return Optional.of("cannot describe topics " + topics + ": " + e.getCause().getMessage());
    }
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : topics) {
      List<TopicPartitionInfo> parts = described.get(topic).partitions();
      for (TopicPartitionInfo p : parts) {
        if (p.leader() == null || p.leader().isEmpty()) {
          return Optional.of("topic " + topic + " partition " + p.partition() + " has no leader");
        }
      }
      List<PartitionInfo> seen = consumer.partitionsFor(topic, left);
      if (seen.size() != parts.size()) {
        return Optional.of("topic " + topic + ": a consumer sees " + seen.size() + " of its " + parts.size() + " partitions");
      }
      counts.put(topic, parts.size());
      parts.forEach(p -> all.add(new TopicPartition(topic, p.partition())));
    }
    consumer.endOffsets(all, left); // answered by each partition's serving leader, or times out
    return Optional.empty();
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS), deadline - System.nanoTime()));
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }
}
