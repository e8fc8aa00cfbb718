package io.spanlog.history.read;

import io.spanlog.kafka.DefaultKafka;
import io.spanlog.kafka.KafkaClientConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the log is, as the other Spanlog programs find it: {@code --bootstrap}, else
 * {@code $SPANLOG_KAFKA_BOOTSTRAP} (picocli's default for the flag), else the embedded broker
 * (attached to, or started on its data folder), with the operator's {@code --kafka-config} merged
 * into every client. Closing stops the embedded broker only if this started it.
 */
public final class LogAccess implements AutoCloseable {
  private final String bootstrap;
  private final KafkaClientConfig client;
  private final Optional<DefaultKafka.Broker> owned;

  private LogAccess(String bootstrap, KafkaClientConfig client, Optional<DefaultKafka.Broker> owned) {
    this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
    this.client = Objects.requireNonNull(client, "client");
    this.owned = owned;
  }

  /** A given cluster (tests, and programs that resolved the bootstrap themselves). */
  public static LogAccess of(String bootstrap, KafkaClientConfig client) {
    return new LogAccess(bootstrap, client, Optional.empty());
  }

  /**
   * @param bootstrap the flag's value (blank: use the embedded broker)
   * @param kafkaConfig the client properties file, or null
   * @param kafkaData the embedded broker's data folder
   * @throws IllegalArgumentException with one sentence for a bad {@code --kafka-config} file
   * @throws IllegalStateException with one sentence when no broker can be used
   */
  public static LogAccess resolve(String bootstrap, Path kafkaConfig, Path kafkaData) {
    KafkaClientConfig client = kafkaConfig == null ? KafkaClientConfig.NONE : KafkaClientConfig.load(kafkaConfig);
    if (bootstrap != null && !bootstrap.isBlank()) {
      return new LogAccess(bootstrap.strip(), client, Optional.empty());
    }
    DefaultKafka.Broker broker = DefaultKafka.find()
        .orElseThrow(() -> new IllegalStateException(
            "no --bootstrap given and the embedded broker is not on the classpath; "
                + "run it through ./spanlog or give --bootstrap"))
        .attachOrStart(kafkaData);
    return new LogAccess(broker.bootstrapServers(), client, Optional.of(broker));
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** The operator's client properties ({@code --kafka-config}), for clients built elsewhere (the snapshot store). */
  public KafkaClientConfig client() {
    return client;
  }

  /**
   * Settings of a consumer that reads bytes by assignment: no group, nothing committed, only
   * committed transactions (the observer writes its link events in transactions).
   */
  public Map<String, Object> consumer(String purpose) {
    Map<String, Object> base = new HashMap<>();
    base.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    base.put(ConsumerConfig.CLIENT_ID_CONFIG, "spanlog-history-" + purpose);
    base.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    base.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    base.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    base.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    base.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    base.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // reading never creates a topic
    base.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    base.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return client.consumer(base);
  }

  @Override
  public void close() {
    owned.ifPresent(DefaultKafka.Broker::close);
  }
}
