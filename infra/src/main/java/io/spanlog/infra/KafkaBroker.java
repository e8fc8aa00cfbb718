package io.spanlog.infra;

/**
 * A Kafka cluster this process talks to: either a broker it started itself (closing stops it) or
 * one that was already running (closing leaves it alone).
 */
public interface KafkaBroker extends AutoCloseable {

  /** The {@code bootstrap.servers} value for clients. */
  String bootstrapServers();

  /** Whether this process runs the broker, so that {@link #close()} stops it. */
  boolean startedHere();

  @Override
  void close();

  /** A cluster that runs without us (already there, or given by bootstrap servers): close() leaves it alone. */
  static KafkaBroker external(String bootstrapServers) {
    return new KafkaBroker() {
      @Override
      public String bootstrapServers() {
        return bootstrapServers;
      }

      @Override
      public boolean startedHere() {
        return false;
      }

      @Override
      public void close() {}
    };
  }
}
