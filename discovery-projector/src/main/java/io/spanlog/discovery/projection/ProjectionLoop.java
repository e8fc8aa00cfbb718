package io.spanlog.discovery.projection;

import io.spanlog.discovery.ApplyOutcome;
import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.discovery.log.SnapshotStore;
import io.spanlog.events.Envelope;
import io.spanlog.kafka.DeadLetterRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes every partition of the events topic (no consumer group: each instance holds the whole
 * read model) and folds it into the {@link ClusterProjection}, starting from the latest snapshot of
 * each partition. Records that are not events go to the dead-letter topic and the fold goes on.
 */
public final class ProjectionLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionLoop.class);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final String bootstrap;
  private final SnapshotStore snapshots;
  private final ClusterProjection view;
  private final PendingWrites pending;
  private final DeadLetterRouter deadLetters;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final AtomicLong lag = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile int snapshotsLoaded;

  public ProjectionLoop(
      KafkaSettings kafka,
      String clientId,
      String topic,
      SnapshotStore snapshots,
      ClusterProjection view,
      PendingWrites pending,
      DeadLetterRouter deadLetters) {
    this.consumer = new KafkaConsumer<>(kafka.reader(clientId));
    this.topic = topic;
    this.bootstrap = kafka.bootstrap();
    this.snapshots = snapshots;
    this.view = view;
    this.pending = pending;
    this.deadLetters = deadLetters;
    this.thread = new Thread(this::run, "discovery-projection");
  }

  public void start() {
    thread.start();
  }

  /** Completes when the log as it was at start-up is folded: the instance may serve. */
  public CompletableFuture<Void> caughtUp() {
    return caughtUp;
  }

  /** How many partitions started from a snapshot rather than from offset 0. */
  public int snapshotsLoaded() {
    return snapshotsLoaded;
  }

  /** Records on the log not yet folded, summed over partitions. */
  public long lag() {
    return lag.get();
  }

  private void run() {
    try {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (parts.isEmpty()) {
        // DiscoveryTopics.ensure waited for them, so the topic went away or the broker forgot it
        throw new IllegalStateException("the events topic " + topic + " has no partitions visible to this consumer of Kafka at " + bootstrap);
      }
      consumer.assign(parts);
      Map<Integer, PartitionSnapshot> loaded = snapshots.loadAll();
      for (TopicPartition tp : parts) {
        PartitionSnapshot s = loaded.get(tp.partition());
        if (s != null) {
          view.load(s);
          consumer.seek(tp, s.nextOffset());
        } else {
          consumer.seekToBeginning(List.of(tp));
        }
      }
      snapshotsLoaded = loaded.size();
      Map<TopicPartition, Long> startEnd = consumer.endOffsets(parts);
      LOG.info("projection: {} partitions, {} from snapshots, log ends at {}", parts.size(), loaded.size(), startEnd.values());
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          fold(r);
        }
        long behind = 0;
        for (TopicPartition tp : parts) {
          behind += consumer.currentLag(tp).orElse(0);
        }
        lag.set(behind);
        if (!caughtUp.isDone() && parts.stream().allMatch(tp -> consumer.position(tp) >= startEnd.get(tp))) {
          caughtUp.complete(null);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      LOG.error("projection stopped: {}", e.toString(), e);
      caughtUp.completeExceptionally(e);
    } finally {
      consumer.close();
    }
  }

  private void fold(ConsumerRecord<byte[], byte[]> r) {
    Envelope env;
    try {
      env = deadLetters.decode(r).orElse(null);
    } catch (DeadLetterRouter.DeadLetterException e) {
      // not durable in the dead-letter topic: skipping would lose it, so stop loudly
      throw e;
    }
    if (env == null) {
      view.skip(r.partition(), r.offset());
      return;
    }
    ApplyOutcome out;
    try {
      out = view.apply(r.partition(), r.offset(), env);
    } catch (RuntimeException e) {
      deadLetters.deadLetter(r, "APPLY_FAILED", String.valueOf(e.getMessage()));
      view.skip(r.partition(), r.offset());
      return;
    }
    pending.applied(env.eventId(), out.outcome());
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
