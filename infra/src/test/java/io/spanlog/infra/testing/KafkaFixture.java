package io.spanlog.infra.testing;

import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.kafka.TopicInstaller;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker of a test JVM, started once and shared by every broker test in it:
 *
 * <ol>
 *   <li>an external cluster when {@code SPANLOG_KAFKA_BOOTSTRAP} is set (nothing is started);
 *   <li>Testcontainers' Kafka when Testcontainers is on the test classpath and a Docker engine
 *       answers (unless {@code SPANLOG_KAFKA_FIXTURE=embedded});
 *   <li>otherwise the embedded KRaft broker, on free ports with data in a temporary folder.
 * </ol>
 *
 * A shutdown hook stops what was started and removes the temporary folder. Tests share the
 * broker, so each test writes to its own topics ({@link #uniqueTopic}) or consumer groups.
 */
public final class KafkaFixture {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static KafkaFixture shared;

  private final String bootstrapServers;
  private final String description;
  private TopicInstaller.Report installed;

  private KafkaFixture(String bootstrapServers, String description) {
    this.bootstrapServers = bootstrapServers;
    this.description = description;
  }

  /** The JVM-wide broker, started on first use. */
  public static synchronized KafkaFixture shared() {
    if (shared == null) {
      shared = start();
      LOG.info("Kafka for tests: {} at {}", shared.description, shared.bootstrapServers);
    }
    return shared;
  }

  private static KafkaFixture start() {
    Optional<String> external =
        Optional.ofNullable(System.getenv("SPANLOG_KAFKA_BOOTSTRAP")).filter(s -> !s.isBlank());
    if (external.isPresent()) {
      return new KafkaFixture(external.get(), "external cluster (SPANLOG_KAFKA_BOOTSTRAP)");
    }
    boolean embeddedForced = "embedded".equals(System.getenv("SPANLOG_KAFKA_FIXTURE"));
    if (!embeddedForced && ContainerKafka.onClasspath() && ContainerKafka.dockerAvailable()) {
      ContainerKafka.Started container = ContainerKafka.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container.stop(), "kafka-fixture-stop"));
      return new KafkaFixture(
          container.bootstrapServers(), "Testcontainers Kafka (" + ContainerKafka.image() + ")");
    }
    Path dataDir = TempDirs.create("spanlog-test-kafka-");
    int[] ports = FreePorts.pair();
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(new BrokerSettings(ports[0], ports[1], dataDir));
    } catch (RuntimeException e) {
      TempDirs.deleteRecursively(dataDir);
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  TempDirs.deleteRecursively(dataDir);
                },
                "kafka-fixture-stop"));
    String why =
        embeddedForced
            ? "SPANLOG_KAFKA_FIXTURE=embedded"
            : ContainerKafka.onClasspath() ? "no Docker engine" : "Testcontainers not on classpath";
    return new KafkaFixture(
        kafka.bootstrapServers(),
        "embedded KRaft broker (" + why + "; started in " + kafka.startupTime().toMillis()
            + " ms, data in " + dataDir + ")");
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Which broker this is, in words (external, Testcontainers or embedded). */
  public String description() {
    return description;
  }

  /** Creates the catalogue's topics if missing (once per JVM) and returns what was found. */
  public synchronized TopicInstaller.Report installTopics() {
    if (installed == null) {
      try (Admin admin = newAdmin()) {
        installed = new TopicInstaller(admin).installCatalogue();
      }
    }
    return installed;
  }

  /** Creates a new single-partition topic named {@code prefix-<n>-<random>} and returns its name. */
  public String uniqueTopic(String prefix) {
    return uniqueTopic(prefix, 1);
  }

  /** Creates a new topic with {@code partitions} partitions and a unique name; returns the name. */
  public String uniqueTopic(String prefix, int partitions) {
    String name =
        prefix + "-" + TOPICS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = newAdmin()) {
      admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
          .all()
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create test topic " + name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating test topic " + name, e);
    }
    return name;
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin newAdmin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * Producer settings as Spanlog's services use them (idempotent, acks=all), with byte-array
   * serializers; put your own serializer over them where needed.
   */
  public Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /**
   * Consumer settings for a test: reads from the earliest offset, commits only when told,
   * byte-array deserializers.
   */
  public Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }
}
