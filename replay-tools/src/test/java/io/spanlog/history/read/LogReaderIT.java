package io.spanlog.history.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.kafka.KafkaClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The history reader on a real broker: bounded by time (offsetsForTimes), one cluster's partition,
 * poison and truncated records skipped and counted, and a read of an idle topic that ends.
 */
@Timeout(120)
class LogReaderIT {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  static KafkaFixture kafka;
  static String topic;
  static final List<Integer> partitionOfC1 = new ArrayList<>();

  @BeforeAll
  static void writeHistory() throws Exception {
    kafka = KafkaFixture.shared();
    topic = kafka.uniqueTopic("history-reader", 4);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerConfig())) {
      for (int i = 0; i < 10; i++) {
        Instant at = T0.plusSeconds(60L * i);
        for (String cluster : List.of("c1", "c2")) {
          Envelope e = new Envelope("e-" + cluster + "-" + i, cluster, "n" + i, at, "test",
              new AffiliateDeleted("n" + i, Optional.empty()));
          RecordMetadata m = send(p, cluster, at, EventCodec.encode(e));
          if (cluster.equals("c1")) {
            partitionOfC1.add(m.partition());
          }
        }
        if (i == 4) { // a poison record and a truncated event of c1, at T0+4m
          send(p, "c1", at, "not json".getBytes(StandardCharsets.UTF_8));
          byte[] whole = EventCodec.encode(new Envelope("x", "c1", "n", at, "test", new AffiliateDeleted("n", Optional.empty())));
          send(p, "c1", at, Arrays.copyOf(whole, whole.length / 2));
        }
      }
    }
  }

  private static RecordMetadata send(KafkaProducer<byte[], byte[]> p, String key, Instant at, byte[] value) throws Exception {
    return p.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  private LogReader reader() {
    return new LogReader(LogAccess.of(kafka.bootstrapServers(), KafkaClientConfig.NONE), Progress.QUIET);
  }

  @Test
  void theClustersPartitionIsTheProducersAndOnlyItIsRead() {
    assertThat(partitionOfC1).containsOnly(LogReader.partitionOf("c1", 4));
    try (LogReader r = reader()) {
      assertThat(r.partitions(topic, Optional.of("c1"))).containsExactly(new TopicPartition(topic, partitionOfC1.get(0)));
      assertThat(r.partitions(topic, Optional.empty())).hasSize(4);
    }
  }

  @Test
  void aWholeReadHandsOnOneClustersEventsInOrderAndCountsWhatItSkipped() {
    List<String> ids = new ArrayList<>();
    ReadStats stats;
    try (LogReader r = reader()) {
      stats = r.read(Scan.of(topic).cluster("c1"), rec -> ids.add(rec.envelope().eventId()));
    }
    assertThat(ids).containsExactly("e-c1-0", "e-c1-1", "e-c1-2", "e-c1-3", "e-c1-4", "e-c1-5", "e-c1-6", "e-c1-7",
        "e-c1-8", "e-c1-9");
    assertThat(stats.events()).isEqualTo(10);
    assertThat(stats.skippedTotal()).isEqualTo(2);
    assertThat(stats.skipped()).containsEntry(EventDecodingException.Problem.MALFORMED_JSON, 2L);
    assertThat(stats.skippedSentence()).isEqualTo("skipped 2 records that are not events this build reads (2 malformed json)");
  }

  @Test
  void fromAndToBoundTheReadByRecordTimeInclusive() {
    List<String> ids = new ArrayList<>();
    ReadStats stats;
    try (LogReader r = reader()) {
      stats = r.read(Scan.of(topic).cluster("c1").from(T0.plusSeconds(120)).to(T0.plusSeconds(300)),
          rec -> ids.add(rec.envelope().eventId()));
    }
    assertThat(ids).containsExactly("e-c1-2", "e-c1-3", "e-c1-4", "e-c1-5");
    assertThat(stats.skippedTotal()).isEqualTo(2);
  }

  @Test
  void explicitOffsetsOverTimesAndAReadPastTheEndEndsAtTheEndCapturedAtStart() {
    TopicPartition tp = new TopicPartition(topic, partitionOfC1.get(0));
    List<Long> offsets = new ArrayList<>();
    try (LogReader r = reader()) {
      long end = r.endOffsets(List.of(tp)).get(tp);
      r.read(Scan.of(topic).cluster("c1").startAt(tp, end - 2).to(Instant.parse("2100-01-01T00:00:00Z")),
          rec -> offsets.add(rec.offset()));
      assertThat(offsets).hasSizeLessThanOrEqualTo(2).allMatch(o -> o >= end - 2 && o < end);
      // from a time after every record: nothing, at once
      offsets.clear();
      r.read(Scan.of(topic).cluster("c1").from(T0.plus(Duration.ofDays(1))), rec -> offsets.add(rec.offset()));
      assertThat(offsets).isEmpty();
      assertThat(r.earliestTime(tp)).contains(T0);
    }
  }

  @Test
  void aMissingTopicIsASentence() {
    try (LogReader r = reader()) {
      assertThatThrownBy(() -> r.read(Scan.of("no-such-topic-" + System.nanoTime()), rec -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not exist at " + kafka.bootstrapServers());
    }
  }
}
