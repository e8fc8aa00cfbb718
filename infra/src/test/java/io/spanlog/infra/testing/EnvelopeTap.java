package io.spanlog.infra.testing;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One topic read from its start on a background thread, every event kept in arrival order, so a
 * test or bench can ask afterwards what was appended and when (records that do not decode are
 * not events and are skipped: the dead-letter path has its own tests).
 */
public final class EnvelopeTap implements AutoCloseable {
  private final List<Envelope> seen = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public EnvelopeTap(String bootstrapServers, String topic) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "tap-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        // as every Spanlog consumer reads: a transactional writer's aborted records are not events
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    thread = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
        consumer.subscribe(List.of(topic));
        while (running) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            try {
              seen.add(EventCodec.decode(r.value()));
            } catch (EventDecodingException notAnEvent) {
              // see the class comment
            }
          }
        }
      }
    }, "envelope-tap-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** Everything read so far. */
  public List<Envelope> envelopes() {
    return List.copyOf(seen);
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
