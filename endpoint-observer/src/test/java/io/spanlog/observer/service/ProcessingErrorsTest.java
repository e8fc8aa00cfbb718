package io.spanlog.observer.service;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.kafka.DeadLetterRouter;
import io.spanlog.kafka.EnvelopeDeserializer;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.intake.PlaintextBatchOpener;
import io.spanlog.observer.intake.TelemetryBatch;
import io.spanlog.observer.topology.ObserverTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * A record whose processing throws (a bug) is dead-lettered with the reason, and the stream goes
 * on, with the service's Kafka Streams settings ({@link StreamsProperties}). Without the handler
 * (Streams' default, log and fail) the first such record stops the stream.
 */
class ProcessingErrorsTest {
  @Test
  void aRecordWhoseProcessingThrowsIsDeadLetteredAndTheStreamGoesOn() throws Exception {
    ObserverSettings settings = ObserverSettings.defaults();
    ObserverMetrics metrics = new ObserverMetrics();
    ObserverEvents buggy = new ObserverEvents() {
      @Override
      public void onBatch(TelemetryBatch batch) {
        metrics.onBatch(batch);
        if (batch.batch().nodeId().equals(B.id())) {
          throw new IllegalStateException("a bug met node-b");
        }
      }

      @Override
      public void onDeadLettered(String clusterId, String problem) {
        metrics.onDeadLettered(clusterId, problem);
      }
    };
    Path state = Files.createTempDirectory("processing-errors");
    ObserverConfig config = new ObserverConfig(settings, "unused:9092", "observer-test", state,
        new HostPort("127.0.0.1", 0), Optional.empty(), Optional.empty(), 1, Optional.empty(), 1,
        Optional.empty(), KafkaClientConfig.NONE);
    Properties props = StreamsProperties.of(config, StreamsProperties.Replication.forBrokers(1),
        "127.0.0.1:1", buggy);
    try (TopologyTestDriver driver = new TopologyTestDriver(
        ObserverTopology.build(settings, new PlaintextBatchOpener(), buggy), props)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic(settings.telemetryTopic(),
          new ByteArraySerializer(), new ByteArraySerializer());
      byte[] key = Fleet.CLUSTER.getBytes(StandardCharsets.UTF_8);
      byte[] fromB = EventCodec.encode(Fleet.appended(
          Fleet.batch(B, t(0), Fleet.up(A, "198.51.100.1:51820", 10, 10, t(0))), t(0)));
      in.pipeInput(key, fromB, t(0));
      in.pipeInput(key, EventCodec.encode(Fleet.appended(
          Fleet.batch(A, t(1), Fleet.up(B, "198.51.100.2:51820", 10, 10, t(1))), t(1))), t(1));

      List<TestRecord<byte[], byte[]>> dead = driver.createOutputTopic(settings.deadLetterTopic(),
          new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
      assertThat(dead).singleElement().satisfies(r -> {
        assertThat(r.value()).isEqualTo(fromB);
        assertThat(header(r, DeadLetterRouter.HEADER_PROBLEM)).isEqualTo("PROCESSING_FAILED");
        assertThat(header(r, DeadLetterRouter.HEADER_REASON))
            .isEqualTo("processing failed at observe: IllegalStateException: a bug met node-b");
        assertThat(header(r, DeadLetterRouter.HEADER_OFFSET)).isEqualTo("0");
      });
      List<Envelope> events = driver.createOutputTopic(settings.linkEventsTopic(),
          new StringDeserializer(), new EnvelopeDeserializer()).readValuesToList();
      assertThat(events).as("node-a's batch after it was observed").isNotEmpty()
          .allSatisfy(e -> assertThat(e.subject()).startsWith(A.id()));
      assertThat(metrics.scrape()).contains(
          "spanlog_observer_dead_lettered_total{cluster=\"prod/eu-1\",problem=\"PROCESSING_FAILED\"} 1.0");
    }
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
