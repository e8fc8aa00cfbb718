package io.spanlog.discovery.server;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.DiscoveryFold;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The reference answer: the pure fold of a whole events topic from offset 0. */
final class LogReplay {
  private LogReplay() {}

  static Map<String, ClusterState> fullReplay(String bootstrap, String topic) {
    Map<String, ClusterState> state = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaSettings.reader(bootstrap, "replay"))) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          try {
            var env = EventCodec.decode(r.value());
            ClusterState next = DiscoveryFold.apply(state.getOrDefault(env.clusterId(), ClusterState.EMPTY), env).state();
            if (next.isEmpty()) {
              state.remove(env.clusterId());
            } else {
              state.put(env.clusterId(), next);
            }
          } catch (EventDecodingException poison) {
            // dead-lettered by the service too
          }
        }
      }
    }
    return state;
  }

  /** How many events of {@code clusterId} the topic holds (decodable ones). */
  static int eventsOf(String bootstrap, String topic, String clusterId) {
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaSettings.reader(bootstrap, "count"))) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          try {
            if (EventCodec.decode(r.value()).clusterId().equals(clusterId)) {
              n++;
            }
          } catch (EventDecodingException poison) {
            // not an event
          }
        }
      }
    }
    return n;
  }
}
