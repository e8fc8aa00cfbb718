package io.spanlog.history.read;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads Spanlog's topics for the history tools: one consumer by assignment (no group, nothing
 * committed), bounded by {@link Scan}, so every read ends. Records are decoded with the event
 * codec; a record that is not an event this build reads (truncated, poison, unknown type or
 * schema, a tombstone) is skipped and counted in the {@link ReadStats}, never fatal.
 *
 * <pre>
 * try (LogReader reader = new LogReader(access, Progress.onTerminal(System.err))) {
 *   ReadStats stats = reader.read(Scan.of(events).cluster(id).to(at), r -> fold(r.envelope()));
 * }
 * </pre>
 *
 * <p>Not thread-safe: one reader per command.
 */
public final class LogReader implements AutoCloseable {
  /** A read that gets no record for this long while short of its end gives up with a sentence. */
  static final Duration STALL = Duration.ofSeconds(60);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Progress progress;
  private final String bootstrap;

  public LogReader(LogAccess access, Progress progress) {
    Map<String, Object> config = new HashMap<>(access.consumer("reader"));
    // A reader reads bounded ranges one after another with one consumer. A fetch left waiting at
    // the end of a partition holds the connection's one in-flight fetch for up to fetch.max.wait.ms
    // (500 ms by default), so the next range's first records waited that long: about 0.5 s per
    // read, most of a small view's time. Bounded reads need no long poll.
    config.putIfAbsent(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    this.consumer = new KafkaConsumer<>(config);
    this.progress = progress;
    this.bootstrap = access.bootstrap();
  }

  /**
   * The partitions of {@code topic}, or only the one holding {@code cluster}'s records (the
   * producer's default partitioner on key = cluster id).
   *
   * @throws IllegalStateException naming the topic when it does not exist
   */
  public List<TopicPartition> partitions(String topic, Optional<String> cluster) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("the topic " + topic + " does not exist at " + bootstrap
          + " (is this the Kafka cluster Spanlog writes to?)");
    }
    if (cluster.isPresent()) {
      return List.of(new TopicPartition(topic, partitionOf(cluster.get(), infos.size())));
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).sorted(
        (a, b) -> Integer.compare(a.partition(), b.partition())).toList();
  }

  /** The partition the default partitioner gives key {@code clusterId} among {@code partitions}. */
  public static int partitionOf(String clusterId, int partitions) {
    return Utils.toPositive(Utils.murmur2(clusterId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The first offset whose record timestamp is at or after {@code t}; the end offset when none is. */
  public long offsetAt(TopicPartition tp, Instant t) {
    OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, t.toEpochMilli())).get(tp);
    return found != null ? found.offset() : consumer.endOffsets(List.of(tp)).get(tp);
  }

  public Map<TopicPartition, Long> beginningOffsets(List<TopicPartition> parts) {
    return consumer.beginningOffsets(parts);
  }

  public Map<TopicPartition, Long> endOffsets(List<TopicPartition> parts) {
    return consumer.endOffsets(parts);
  }

  /** The timestamp of the first record still retained in {@code tp}, if it holds any. */
  public Optional<Instant> earliestTime(TopicPartition tp) {
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    if (begin >= end) {
      return Optional.empty();
    }
    Instant[] first = new Instant[1];
    readRaw(Map.of(tp, new long[] {begin, end}), r -> {
      if (first[0] == null) {
        first[0] = Instant.ofEpochMilli(r.timestamp());
      }
      return first[0] == null;
    });
    return Optional.ofNullable(first[0]);
  }

  /**
   * Hands on every event of the scan, in offset order per partition, and returns the counts.
   *
   * @throws IllegalStateException with a sentence when a topic is missing or Kafka stops answering
   */
  public ReadStats read(Scan scan, Consumer<LogRecord> sink) {
    ReadStats stats = new ReadStats();
    byte[] key = scan.cluster().map(c -> c.getBytes(StandardCharsets.UTF_8)).orElse(null);
    readRaw(ranges(scan), r -> {
      stats.fetched();
      if (key != null && (r.key() == null || !Arrays.equals(key, r.key()))) {
        return true; // another cluster sharing the partition
      }
      if (r.value() == null) {
        stats.skipped(EventDecodingException.Problem.MALFORMED_JSON);
        return true;
      }
      Envelope envelope;
      try {
        envelope = EventCodec.decode(r.value());
      } catch (EventDecodingException e) {
        stats.skipped(e.problem());
        return true;
      }
      if (scan.cluster().isPresent() && !scan.cluster().get().equals(envelope.clusterId())) {
        return true;
      }
      stats.delivered();
      Instant ts = Instant.ofEpochMilli(r.timestamp());
      sink.accept(new LogRecord(r.topic(), r.partition(), r.offset(), ts, envelope));
      progress.advanced(stats.events(), ts);
      return true;
    });
    progress.done();
    return stats;
  }

  /**
   * Each partition of the scan with its [start, end) offsets, resolved now: starts from {@code
   * startAt}, else {@code from} (offsetsForTimes), else the beginning; ends at {@code endAt}, else
   * the first record after {@code to}, else, and never beyond, the end captured now.
   */
  public Map<TopicPartition, long[]> ranges(Scan scan) {
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : scan.topics()) {
      parts.addAll(partitions(topic, scan.cluster()));
    }
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
    Map<TopicPartition, Long> end = consumer.endOffsets(parts);
    Map<TopicPartition, Long> fromOffsets = scan.from().map(t -> times(parts, t.toEpochMilli())).orElse(Map.of());
    Map<TopicPartition, Long> toOffsets = scan.to().map(t -> times(parts, t.toEpochMilli() + 1)).orElse(Map.of());
    Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
    for (TopicPartition tp : parts) {
      long last = end.get(tp);
      long start = scan.startAt().getOrDefault(tp, fromOffsets.getOrDefault(tp, scan.from().isPresent() ? last : begin.get(tp)));
      long stop = Math.min(last, scan.endAt().getOrDefault(tp, toOffsets.getOrDefault(tp, last)));
      ranges.put(tp, new long[] {Math.max(start, begin.get(tp)), stop});
    }
    return ranges;
  }

  private Map<TopicPartition, Long> times(List<TopicPartition> parts, long ms) {
    Map<TopicPartition, Long> query = new HashMap<>();
    parts.forEach(tp -> query.put(tp, ms));
    Map<TopicPartition, Long> out = new HashMap<>();
    consumer.offsetsForTimes(query).forEach((tp, found) -> {
      if (found != null) {
        out.put(tp, found.offset());
      }
    });
    return out; // a partition without a record at or after ms is absent: it reads up to its end
  }

  /** A raw record visitor; returns false to stop the whole read. */
  public interface RawVisitor {
    boolean visit(ConsumerRecord<byte[], byte[]> record);
  }

  /**
   * Reads raw records of each partition in [start, end), handing them on in offset order per
   * partition, until every partition is done or the visitor says stop.
   */
  public void readRaw(Map<TopicPartition, long[]> ranges, RawVisitor visitor) {
    Map<TopicPartition, Long> ends = new HashMap<>();
    ranges.forEach((tp, r) -> {
      if (r[0] < r[1]) {
        ends.put(tp, r[1]);
      }
    });
    if (ends.isEmpty()) {
      return;
    }
    consumer.assign(List.copyOf(ends.keySet()));
    ends.keySet().forEach(tp -> consumer.seek(tp, ranges.get(tp)[0]));
    long lastProgress = System.nanoTime();
    try {
      while (!ends.isEmpty()) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          lastProgress = System.nanoTime();
        }
        for (TopicPartition tp : records.partitions()) {
          Long stop = ends.get(tp);
          if (stop == null) {
            continue;
          }
          for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
            if (r.offset() >= stop) {
              break;
            }
            if (!visitor.visit(r)) {
              return;
            }
          }
        }
        // done partitions: position at or past the end (transaction markers included)
        List<TopicPartition> done = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
          if (consumer.position(e.getKey()) >= e.getValue()) {
            done.add(e.getKey());
          }
        }
        if (!done.isEmpty()) {
          done.forEach(ends::remove);
          consumer.pause(done);
        }
        if (!ends.isEmpty() && System.nanoTime() - lastProgress > STALL.toNanos()) {
          throw new IllegalStateException("no record from " + ends.keySet() + " at " + bootstrap + " for "
              + STALL.toSeconds() + " s although the log holds more; is the broker reachable?");
        }
      }
    } finally {
      consumer.unsubscribe();
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
