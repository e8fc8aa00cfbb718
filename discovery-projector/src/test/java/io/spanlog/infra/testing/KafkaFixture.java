package io.spanlog.infra.testing;
// TEMPORARY LOCAL STUB - NOT TO COMMIT
public final class KafkaFixture {
  public static KafkaFixture shared() { return new KafkaFixture(); }
  public String bootstrapServers() { return System.getenv().getOrDefault("SPANLOG_KAFKA_BOOTSTRAP", "127.0.0.1:19092"); }
}
