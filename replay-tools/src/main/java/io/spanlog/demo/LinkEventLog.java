package io.spanlog.demo;

import io.spanlog.events.EndpointObserved;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import io.spanlog.events.LinkAsymmetric;
import io.spanlog.events.LinkAsymmetryCleared;
import io.spanlog.events.LinkFlapping;
import io.spanlog.events.LinkFlappingCleared;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.topics.TopicCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The endpoint observer's events of one link ({@code spanlog.link.events}, read committed, from
 * the offsets of a start time to the end of the topic as it is now), in the order the observer
 * derived them.
 */
final class LinkEventLog {
  private LinkEventLog() {}

  /** One event of the link, with the time it is about (the envelope's). */
  record Entry(Instant at, Object event) {}

  static List<Entry> read(String bootstrap, String cluster, String nodeKey, String peerKey, Instant from,
      Duration timeout) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<Entry> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      String topic = TopicCatalogue.LINK_EVENTS;
      List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(parts);
      Map<TopicPartition, Long> at = new HashMap<>();
      parts.forEach(tp -> at.put(tp, from.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, timeout);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts, timeout);
      for (TopicPartition tp : parts) {
        OffsetAndTimestamp start = starts.get(tp);
        consumer.seek(tp, start == null ? ends.get(tp) : start.offset());
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Envelope e;
          try {
            e = EventCodec.decode(r.value());
          } catch (EventDecodingException notAnEvent) {
            continue;
          }
          if (e.clusterId().equals(cluster) && about(e.payload(), nodeKey, peerKey)) {
            out.add(new Entry(e.at(), e.payload()));
          }
        }
      }
    }
    out.sort(Comparator.comparing(Entry::at));
    return out;
  }

  private static boolean about(Object event, String nodeKey, String peerKey) {
    String node;
    String peer;
    if (event instanceof LinkStateChanged c) {
      node = c.nodePublicKey();
      peer = c.peerPublicKey();
    } else if (event instanceof EndpointObserved o) {
      node = o.nodePublicKey();
      peer = o.peerPublicKey();
    } else if (event instanceof LinkFlapping f) {
      node = f.nodePublicKey();
      peer = f.peerPublicKey();
    } else if (event instanceof LinkFlappingCleared f) {
      node = f.nodePublicKey();
      peer = f.peerPublicKey();
    } else if (event instanceof LinkAsymmetric a) {
      node = a.nodePublicKey();
      peer = a.peerPublicKey();
    } else if (event instanceof LinkAsymmetryCleared a) {
      node = a.nodePublicKey();
      peer = a.peerPublicKey();
    } else {
      return false;
    }
    return node.equals(nodeKey) && peer.equals(peerKey);
  }

  /** One line per event: time, what, and the evidence. */
  static String describe(Entry e) {
    Object event = e.event();
    String what;
    if (event instanceof LinkStateChanged c) {
      what = "state " + lower(c.from()) + " -> " + lower(c.to())
          + " via " + c.endpoint().orElse("(no endpoint)") + " (" + lower(c.endpointSource()) + ")"
          + "; rule: " + c.reason() + "; " + lower(c.from()) + " lasted "
          + (c.previousStateStartSeen() ? "" : ">= ") + seconds(c.previousStateLasted())
          + "; samples " + c.lastSampleInPrevious() + " / " + c.firstSampleInNew();
    } else if (event instanceof EndpointObserved o) {
      what = "endpoint observed working: " + o.endpoint() + " (" + lower(o.source()) + ")";
    } else if (event instanceof LinkFlapping f) {
      what = "flapping: " + f.changes() + " changes within " + seconds(f.window());
    } else if (event instanceof LinkFlappingCleared f) {
      what = "flapping cleared: " + lower(f.state()) + " for " + seconds(f.quietFor());
    } else if (event instanceof LinkAsymmetric a) {
      what = "one-way: the peer sees this link " + a.reverseState().map(LinkEventLog::lower).orElse("not at all");
    } else if (event instanceof LinkAsymmetryCleared) {
      what = "one-way cleared";
    } else {
      what = event.getClass().getSimpleName();
    }
    return e.at() + "  " + what;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
