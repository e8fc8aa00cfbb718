package io.spanlog.kafka;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The local default Kafka broker, for a service that was given no bootstrap servers: attach to
 * the one already running on this machine, or start it.
 *
 * <p>A service-provider interface so that a service's own jar does not carry the Kafka broker:
 * {@code infra} implements it with its embedded broker, and the launcher puts {@code infra} on
 * the classpath of the services that may need it. A service given bootstrap servers never looks
 * for it.
 */
public interface DefaultKafka {

  /**
   * The broker already answering on the default local port, or else one started here with its
   * data in {@code dataDir}.
   *
   * @throws IllegalStateException with the reason when neither works (port taken by something
   *     that is not Kafka, data folder locked, ...)
   */
  Broker attachOrStart(Path dataDir);

  /** The provider on the classpath, if any. */
  static Optional<DefaultKafka> find() {
    return ServiceLoader.load(DefaultKafka.class).findFirst();
  }

  /** The broker a service attached to or started: closing stops it only if it was started here. */
  interface Broker extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    @Override
    void close();
  }
}
