package io.spanlog.infra.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' Kafka (the official apache/kafka image). Only this class touches
 * Testcontainers, so {@link KafkaFixture} works in modules that do not have it on their test
 * classpath.
 */
final class ContainerKafka {
  private ContainerKafka() {}

  static boolean onClasspath() {
    try {
      Class.forName("org.testcontainers.DockerClientFactory", false, ContainerKafka.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** The image: $SPANLOG_KAFKA_IMAGE, else apache/kafka at the version of our Kafka clients. */
  static String image() {
    return Optional.ofNullable(System.getenv("SPANLOG_KAFKA_IMAGE"))
        .filter(s -> !s.isBlank())
        .orElse("apache/kafka:" + clientVersion());
  }

  /** The version of the Kafka clients on the classpath, as their jar records it. */
  private static String clientVersion() {
    Properties p = new Properties();
    try (InputStream in = Admin.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "latest"
    }
    return p.getProperty("version", "latest");
  }

  /** Starts a container; the returned action stops it. */
  static Started start() {
    KafkaContainer container =
        new KafkaContainer(DockerImageName.parse(image()))
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    container.start();
    return new Started(container.getBootstrapServers(), container::stop);
  }

  record Started(String bootstrapServers, Runnable stop) {}
}
