package io.spanlog.discovery.log;

import io.micrometer.core.instrument.Timer;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Appends events to the cluster's partition of one topic (key = cluster id). */
public final class EventAppender {
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Timer latency;

  public EventAppender(Producer<byte[], byte[]> producer, String topic, Timer latency) {
    this.producer = producer;
    this.topic = topic;
    this.latency = latency;
  }

  /** Completes once the event is durable (acks=all). */
  public CompletableFuture<Void> append(Envelope envelope) {
    return appendAt(envelope).thenApply(offset -> null);
  }

  /** Completes with the record's offset in its partition once the event is durable (acks=all). */
  public CompletableFuture<Long> appendAt(Envelope envelope) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    long start = System.nanoTime();
    try {
      producer.send(
          new ProducerRecord<>(
              topic, envelope.clusterId().getBytes(StandardCharsets.UTF_8), EventCodec.encode(envelope)),
          (metadata, error) -> {
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (error != null) {
              done.completeExceptionally(error);
            } else {
              done.complete(metadata.offset());
            }
          });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }
}
