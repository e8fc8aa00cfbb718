package io.spanlog.infra;

import io.spanlog.kafka.DefaultKafka;
import java.nio.file.Path;

/**
 * The embedded broker as the local default Kafka of services given no bootstrap servers: found
 * through {@link java.util.ServiceLoader} (META-INF/services), so the services do not depend on
 * this module at compile time.
 */
public final class EmbeddedDefaultKafka implements DefaultKafka {

  @Override
  public DefaultKafka.Broker attachOrStart(Path dataDir) {
    KafkaBroker broker = EmbeddedKafka.attachOrStart(BrokerSettings.DEFAULT_PORT, dataDir);
    return new DefaultKafka.Broker() {
      @Override
      public String bootstrapServers() {
        return broker.bootstrapServers();
      }

      @Override
      public void close() {
        broker.close();
      }
    };
  }
}
