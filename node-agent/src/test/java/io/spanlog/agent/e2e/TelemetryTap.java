package io.spanlog.agent.e2e;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.infra.testing.KafkaFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads the telemetry topic in the background: every handshake-sample batch, with its time. */
final class TelemetryTap implements AutoCloseable {
  /** One batch as appended: when (event time) and what. */
  record Batch(Instant at, HandshakeSampleBatch batch) {}

  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  TelemetryTap(String topic) {
    var config = KafkaFixture.shared().consumerConfig("e2e-tap-" + UUID.randomUUID());
    thread = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
        consumer.subscribe(List.of(topic));
        while (running) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            Envelope e = EventCodec.decode(r.value());
            if (e.payload() instanceof HandshakeSampleBatch b) {
              batches.add(new Batch(e.at(), b));
            }
          }
        }
      }
    }, "e2e-telemetry-tap");
    thread.setDaemon(true);
    thread.start();
  }

  List<Batch> batches() {
    return List.copyOf(batches);
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
