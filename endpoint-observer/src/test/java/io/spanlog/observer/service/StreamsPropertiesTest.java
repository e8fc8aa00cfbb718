package io.spanlog.observer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.ObserverSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {
  private static ObserverConfig config(Map<String, String> kafka) {
    return config(KafkaClientConfig.of(kafka));
  }

  private static ObserverConfig config(KafkaClientConfig kafka) {
    return new ObserverConfig(ObserverSettings.defaults(), "k1:9092", "obs", Path.of("/tmp/s"),
        new HostPort("127.0.0.1", 7171), Optional.empty(), Optional.empty(), 2, Optional.empty(),
        6, Optional.empty(), kafka);
  }

  @Test
  void exactlyOnceWithTheInstanceAddressAndTheDeadLetteringHandler() {
    Properties p = StreamsProperties.of(config(Map.of()), StreamsProperties.Replication.forBrokers(1),
        "127.0.0.1:7171", ObserverEvents.NONE);
    StreamsConfig c = new StreamsConfig(p);

    assertThat(c.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    assertThat(c.getString(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("127.0.0.1:7171");
    assertThat(c.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("obs");
    assertThat(c.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
    assertThat(c.getClass(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(ProcessingErrors.class);
    assertThat(c.getBoolean(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG)).isTrue();
    assertThat(p.get(ProcessingErrors.DEAD_LETTER_TOPIC)).isEqualTo("spanlog.dead-letter");
  }

  @Test
  void replicationFollowsTheBrokerCountUpToThreeWithTwoInSyncFromThree() {
    assertThat(StreamsProperties.Replication.forBrokers(1))
        .isEqualTo(new StreamsProperties.Replication(1, 1));
    assertThat(StreamsProperties.Replication.forBrokers(2))
        .isEqualTo(new StreamsProperties.Replication(2, 1));
    assertThat(StreamsProperties.Replication.forBrokers(5))
        .isEqualTo(new StreamsProperties.Replication(3, 2));

    Properties p = StreamsProperties.of(config(Map.of()), StreamsProperties.Replication.forBrokers(5),
        "h:1", ObserverEvents.NONE);
    assertThat(p.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
    assertThat(p.get("topic.min.insync.replicas")).isEqualTo("2");
  }

  @Test
  void anOperatorsClientSettingsPassButCannotTurnExactlyOnceOff() {
    Properties p = StreamsProperties.of(
        config(Map.of("security.protocol", "SASL_SSL", "processing.guarantee", "at_least_once")),
        StreamsProperties.Replication.forBrokers(3), "h:1", ObserverEvents.NONE);

    assertThat(p.get("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(p.get("processing.guarantee")).isEqualTo("exactly_once_v2");
  }
}
