package io.spanlog.console.fleet;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.read.Scan;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link FleetState} current from the link events topic: first the retained records up to
 * the end offsets seen at start (the history reader), then a consumer assigned at exactly those
 * offsets that follows the topic's end and hands every change to a listener. Reads only: no
 * group, nothing committed, never creates the topic (it waits for it).
 */
public final class LinkTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinkTail.class);

  private final LogAccess access;
  private final String topic;
  private final FleetState fleet;
  private final Consumer<FleetState.Change> listener;
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final AtomicLong skipped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  public LinkTail(LogAccess access, String topic, FleetState fleet, Consumer<FleetState.Change> listener) {
    this.access = access;
    this.topic = topic;
    this.fleet = fleet;
    this.listener = listener;
    this.thread = new Thread(this::run, "console-link-tail");
    thread.setDaemon(true);
  }

  public LinkTail start() {
    thread.start();
    return this;
  }

  /** Waits until the retained link events are folded (or the topic is found missing). */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records that were not link events this console can read (truncated, poison, newer schema). */
  public long skipped() {
    return skipped.get();
  }

  private void run() {
    Map<TopicPartition, Long> ends = null;
    while (!closed && ends == null) {
      try (LogReader reader = new LogReader(access, Progress.QUIET)) {
        List<TopicPartition> parts = reader.partitions(topic, Optional.empty());
        Map<TopicPartition, Long> end = reader.endOffsets(parts);
        Scan scan = Scan.of(topic);
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
          scan = scan.endAt(e.getKey(), e.getValue());
        }
        var stats = reader.read(scan, rec -> fleet.apply(rec.envelope()));
        skipped.addAndGet(stats.skippedTotal());
        ends = new HashMap<>(end);
      } catch (IllegalStateException noTopic) {
        LOG.info("{}; waiting for it (the endpoint observer creates it)", noTopic.getMessage());
        loaded.countDown();
        sleep(5_000);
      } catch (RuntimeException e) {
        LOG.warn("reading {} failed: {}; retrying", topic, e.toString());
        sleep(5_000);
      }
    }
    loaded.countDown();
    if (closed) {
      return;
    }
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(access.consumer("console-tail"))) {
      consumer = c;
      c.assign(ends.keySet());
      ends.forEach(c::seek);
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          Envelope envelope;
          try {
            envelope = EventCodec.decode(r.value());
          } catch (RuntimeException poison) {
            skipped.incrementAndGet();
            continue;
          }
          fleet.apply(envelope).ifPresent(listener);
        }
      }
    } catch (WakeupException stop) {
      // closing
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("following {} stopped: {}", topic, e.toString());
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup(); // the poll returns; an interrupt would make the consumer's close wait for its timeout
    } else {
      thread.interrupt();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
