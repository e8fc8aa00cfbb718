package io.spanlog.discovery.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The appender never blocks its caller and keeps its word about what was stored, on a producer
 * that behaves as a real one does when Kafka is gone: {@code partitionsFor}/{@code send} block
 * while there is no metadata, and handed records stay unacknowledged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventAppenderTest {
  static Envelope event(String affiliate) {
    return Envelope.of("c1", affiliate, Instant.parse("2026-03-01T10:00:00Z"), "test",
        new AffiliateDeleted(affiliate, Optional.empty()));
  }

  /** A producer without metadata: partitionsFor blocks until released (a real one: up to max.block.ms). */
  static final class NoMetadataProducer extends MockProducer<byte[], byte[]> {
    final CountDownLatch metadata = new CountDownLatch(1);

    NoMetadataProducer() {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
      try {
        metadata.await();
      } catch (InterruptedException e) {
        throw new org.apache.kafka.common.errors.InterruptException(e);
      }
      return super.partitionsFor(topic);
    }
  }

  static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the append to fail");
  }

  @Test
  void withoutMetadataAnAppendReturnsAtOnceAndFailsAsNotStoredAndIsNeverSent() throws Exception {
    NoMetadataProducer producer = new NoMetadataProducer();
    try (EventAppender appender = new EventAppender(producer, "events", new SimpleMeterRegistry().timer("t"))) {
      long t0 = System.nanoTime();
      CompletableFuture<Long> first = appender.appendAt(event("a"), Duration.ofMillis(200));
      CompletableFuture<Long> second = appender.appendAt(event("b"), Duration.ofMillis(200));
      // the caller (an event loop) got its futures without waiting for Kafka
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
      assertThat(failure(first)).isInstanceOfSatisfying(EventAppender.Unavailable.class, u -> assertThat(u.maybeStored()).isFalse());
      assertThat(failure(second)).isInstanceOfSatisfying(EventAppender.Unavailable.class, u -> assertThat(u.maybeStored()).isFalse());
      // Kafka comes back: what was reported as not stored is not sent afterwards; new appends are
      producer.metadata.countDown();
      assertThat(appender.appendAt(event("c"), Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS)).isNotNull();
      assertThat(producer.history()).hasSize(1);
    }
  }

  @Test
  void aStalledLogHoldsNewRecordsBackSoTheirFailureMeansNotStored() throws Exception {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (EventAppender appender = new EventAppender(producer, "events", new SimpleMeterRegistry().timer("t"), Duration.ofMillis(50))) {
      CompletableFuture<Long> handed = appender.appendAt(event("a"), Duration.ofMillis(300));
      // handed to the producer, never acknowledged: it may still be stored
      assertThat(failure(handed)).isInstanceOfSatisfying(EventAppender.Unavailable.class, u -> assertThat(u.maybeStored()).isTrue());
      assertThat(producer.history()).hasSize(1);
      // the log is stalled: the next one is held back, and its failure says not stored
      CompletableFuture<Long> heldBack = appender.appendAt(event("b"), Duration.ofMillis(300));
      assertThat(failure(heldBack)).isInstanceOfSatisfying(EventAppender.Unavailable.class, u -> assertThat(u.maybeStored()).isFalse());
      assertThat(producer.history()).hasSize(1);
      // the stalled record is acknowledged at last: appends flow again
      assertThat(producer.completeNext()).isTrue();
      CompletableFuture<Long> next = appender.appendAt(event("c"), Duration.ofSeconds(20));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (producer.history().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(producer.completeNext()).isTrue();
      assertThat(next.get(30, TimeUnit.SECONDS)).isNotNull();
      assertThat(producer.history()).hasSize(2);
    }
  }

  @Test
  void aRecordTheProducerRefusesInSendIsNotStored() throws Exception {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    producer.sendException = new org.apache.kafka.common.errors.RecordTooLargeException("too large");
    try (EventAppender appender = new EventAppender(producer, "events", new SimpleMeterRegistry().timer("t"))) {
      assertThat(failure(appender.appendAt(event("a"), Duration.ofSeconds(20))))
          .isInstanceOfSatisfying(EventAppender.Unavailable.class, u -> assertThat(u.maybeStored()).isFalse());
    }
  }
}
