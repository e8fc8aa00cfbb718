package io.spanlog.discovery.log;

import io.spanlog.kafka.KafkaClientConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client settings of the discovery service: the one place its producers, consumers and admin
 * clients get their configuration. An instance carries the bootstrap servers and the operator's
 * client properties ({@code --kafka-config}: TLS, SASL, timeouts), merged into every client; the
 * static methods give the service's own settings alone, for tests and tools on a plain cluster.
 */
public final class KafkaSettings {
  /** Snapshots of large partitions are big single records. */
  static final int MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

  private final String bootstrap;
  private final KafkaClientConfig client;

  public KafkaSettings(String bootstrap, KafkaClientConfig client) {
    this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Kafka at {@code bootstrap}, with no client properties of the operator's. */
  public static KafkaSettings of(String bootstrap) {
    return new KafkaSettings(bootstrap, KafkaClientConfig.NONE);
  }

  public String bootstrap() {
    return bootstrap;
  }

  public KafkaClientConfig client() {
    return client;
  }

  /** {@link #producer(String, String)} with the operator's client properties. */
  public Map<String, Object> producer(String clientId) {
    return client.producer(producer(bootstrap, clientId));
  }

  /** {@link #reader(String, String)} with the operator's client properties. */
  public Map<String, Object> reader(String clientId) {
    return client.consumer(reader(bootstrap, clientId));
  }

  /** An admin client's settings, with the operator's client properties. */
  public Map<String, Object> admin(String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return client.admin(c);
  }

  /** Idempotent, acks=all; no linger, since a write RPC waits for its record. */
  public static Map<String, Object> producer(String bootstrap, String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_SNAPSHOT_BYTES);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return c;
  }

  /** A consumer without a group: positions are managed by the caller. */
  public static Map<String, Object> reader(String bootstrap, String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_SNAPSHOT_BYTES);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_SNAPSHOT_BYTES);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }
}
