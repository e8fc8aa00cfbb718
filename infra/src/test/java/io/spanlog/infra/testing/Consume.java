package io.spanlog.infra.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Polling helpers for tests that read back what they wrote. */
public final class Consume {
  private Consume() {}

  /**
   * Polls until {@code count} records arrived or {@code timeout} passed; returns what arrived (a
   * test then asserts on the size, so a shortfall fails with the records that did come).
   */
  public static <K, V> List<ConsumerRecord<K, V>> records(
      Consumer<K, V> consumer, int count, Duration timeout) {
    List<ConsumerRecord<K, V>> out = new ArrayList<>(count);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }
}
