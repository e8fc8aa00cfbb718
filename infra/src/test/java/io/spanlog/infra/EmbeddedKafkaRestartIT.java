package io.spanlog.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.infra.testing.Consume;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaChildProcess;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.kafka.TopicInstaller;
import io.spanlog.topics.TopicSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded broker's own life: restarts on the same data folder, attach, bad ports. */
class EmbeddedKafkaRestartIT {
  private static final int RECORDS = 2_000;
  private static final String TOPIC = "restart.check";

  private Path dataDir;

  @BeforeEach
  void createDataDir() {
    dataDir = TempDirs.create("spanlog-restart-it-");
  }

  @AfterEach
  void removeDataDir() {
    TempDirs.deleteRecursively(dataDir);
  }

  @Test
  void recordsSurviveACleanRestartOnTheSameFolder() {
    BrokerSettings settings = settings();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(settings)) {
      createTopic(kafka.bootstrapServers());
      produce(kafka.bootstrapServers());
    }

    // new ports on purpose: the data folder, not the ports, carries the cluster
    BrokerSettings restarted = new BrokerSettings(FreePorts.next(), FreePorts.next(), dataDir);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(restarted)) {
      assertThat(consumeAll(kafka.bootstrapServers())).containsExactlyElementsOf(expected());
    }
  }

  @Test
  void recordsSurviveAKillMinusNineOfTheBrokerJvm() {
    BrokerSettings settings = settings();
    try (KafkaChildProcess child = KafkaChildProcess.start(settings)) {
      createTopic(child.bootstrapServers());
      produce(child.bootstrapServers());
      child.kill();
      assertThat(child.isAlive()).isFalse();
    }

    try (KafkaChildProcess child = KafkaChildProcess.start(settings)) {
      assertThat(consumeAll(child.bootstrapServers())).containsExactlyElementsOf(expected());
      int code = child.stop(); // SIGTERM: the JVM exits 143 after its shutdown hook ran
      assertThat(child.output()).as("exit code %d", code).contains("Kafka stopped");
    }
  }

  @Test
  void attachOrStartUsesARunningBrokerAndLeavesItRunning() {
    BrokerSettings settings = settings();
    try (EmbeddedKafka running = EmbeddedKafka.start(settings)) {
      Path otherFolder = dataDir.resolve("unused");
      try (KafkaBroker attached = EmbeddedKafka.attachOrStart(settings.port(), otherFolder)) {
        assertThat(attached.startedHere()).isFalse();
        assertThat(attached.bootstrapServers()).isEqualTo(running.bootstrapServers());
      }
      createTopic(running.bootstrapServers()); // still answers after the attached handle closed
      assertThat(otherFolder).doesNotExist();
    }
  }

  @Test
  void attachOrStartStartsABrokerWhenNoneAnswers() {
    int port = FreePorts.next();
    try (KafkaBroker broker = EmbeddedKafka.attachOrStart(port, dataDir)) {
      assertThat(broker.startedHere()).isTrue();
      createTopic(broker.bootstrapServers());
    }
    assertThat(dataDir.resolve("meta.properties")).exists();
  }

  @Test
  void aTakenPortIsAClearError() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      BrokerSettings settings =
          new BrokerSettings(squatter.getLocalPort(), FreePorts.next(), dataDir);

      assertThatThrownBy(() -> EmbeddedKafka.start(settings).close())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot start Kafka on 127.0.0.1:" + squatter.getLocalPort());
    }
  }

  private BrokerSettings settings() {
    int[] ports = FreePorts.pair();
    return new BrokerSettings(ports[0], ports[1], dataDir);
  }

  private static void createTopic(String bootstrap) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicInstaller.Report report =
          new TopicInstaller(admin)
              .install(List.of(new TopicSpec(TOPIC, 2, Map.of(), "test", "restart test")));
      assertThat(report.drift()).isEmpty();
    }
  }

  private static void produce(String bootstrap) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String value : expected()) {
        producer.send(new ProducerRecord<>(TOPIC, "cluster-r", value));
      }
      producer.flush();
    }
  }

  private static List<String> consumeAll(String bootstrap) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      return Consume.records(consumer, RECORDS, Duration.ofSeconds(60)).stream()
          .map(ConsumerRecord::value)
          .toList();
    }
  }

  private static List<String> expected() {
    return IntStream.range(0, RECORDS)
        .mapToObj(i -> "record " + i + " " + "x".repeat(50))
        .toList();
  }
}
