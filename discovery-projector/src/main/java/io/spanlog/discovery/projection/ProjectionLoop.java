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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes every partition of the events topic (no consumer group: each instance holds the whole
 * read model) and folds it into the {@link ClusterProjection}, starting from the latest snapshot of
 * each partition. Records that are not events go to the dead-letter topic and the fold goes on.
 *
 * <p>When the fold stops on an error (the dead-letter topic refuses a record, the topic went
 * away, Kafka answered with a fatal error), the loop restarts with a new consumer from the
 * offsets the view has folded up to, after 1 s, 2 s and 4 s: a passing fault costs no Watch
 * stream and no reload. After {@link #RESTARTS} failed restarts it gives up: the view is halted
 * (Watch streams end with UNAVAILABLE, waiting writes fail) and {@link #gaveUp()} completes, upon
 * which the server releases its partitions and the process exits non-zero for its supervisor to
 * restart it (a fresh process reloads snapshots and retries from the start, which is the one
 * retry that also helps against a fault inside this JVM).
 */
public final class ProjectionLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionLoop.class);
  /** Restarts of the fold in this process before it gives up. */
  public static final int RESTARTS = 3;
  /** Wait before the first restart; doubled for each next one. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  /** A run that folded this long without failing earns the restarts back. */
  static final Duration STABLE_RUN = Duration.ofMinutes(1);
  /** The consumer has no group to leave: closing it only closes its sockets. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

  private final Map<String, Object> settings;
  private final String topic;
  private final String bootstrap;
  private final SnapshotStore snapshots;
  private final ClusterProjection view;
  private final PendingWrites pending;
  private final DeadLetterRouter deadLetters;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final CompletableFuture<RuntimeException> gaveUp = new CompletableFuture<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final AtomicLong lag = new AtomicLong();
  private final Thread thread;
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile boolean running = true;
  private volatile boolean stalled;
  private volatile int snapshotsLoaded;
  // the first run's positions; restarts continue from the view's offsets instead
  private Map<TopicPartition, Long> startEnd;

  public ProjectionLoop(
      KafkaSettings kafka,
      String clientId,
      String topic,
      SnapshotStore snapshots,
      ClusterProjection view,
      PendingWrites pending,
      DeadLetterRouter deadLetters) {
    this.settings = kafka.reader(clientId);
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

  /** Completes, with the last failure, when the loop gave up: the view is halted for good. */
  public CompletableFuture<RuntimeException> gaveUp() {
    return gaveUp;
  }

  /** Whether the fold runs: false while it waits to restart after a failure, and once it gave up. */
  public boolean folding() {
    return !stalled && !gaveUp.isDone();
  }

  /** Caught up and folding: the view is current, so expiry and snapshots may be judged from it. */
  public boolean current() {
    return caughtUp.isDone() && !caughtUp.isCompletedExceptionally() && folding();
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
    int restarts = 0;
    while (running) {
      long started = System.nanoTime();
      Consumer<byte[], byte[]> c = null;
      try {
        c = new KafkaConsumer<>(settings);
        consumer = c;
        stalled = false;
        if (running) { // close() may have come before this consumer existed to be woken
          follow(c);
        }
        return;
      } catch (RuntimeException e) { // a WakeupException too: only close() wakes this consumer
        if (!running) {
          return;
        }
        if (System.nanoTime() - started > STABLE_RUN.toNanos()) {
          restarts = 0;
        }
        if (restarts == RESTARTS) {
          giveUp(e);
          return;
        }
        fail(e, restarts);
        try {
          if (stopRequested.await(FIRST_BACKOFF.toMillis() << restarts, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          giveUp(e);
          return;
        }
        restarts++;
      } finally {
        if (c != null) {
          close(c);
        }
      }
    }
  }

  private void fail(RuntimeException e, int restarts) {
    stalled = true;
    LOG.error("projection stopped: {}; restarting it from the offsets folded so far in {} ms (restart {} of {})",
        e.toString(), FIRST_BACKOFF.toMillis() << restarts, restarts + 1, RESTARTS, e);
  }

  private void giveUp(RuntimeException e) {
    stalled = true;
    LOG.error("projection stopped for good after {} restarts: {}; this instance no longer serves", RESTARTS, e.toString(), e);
    ProjectionHalted why = new ProjectionHalted("this discovery instance stopped following the event log and is "
        + "shutting down; retry on another instance or once it has restarted");
    view.halt(why);
    pending.failAll(why);
    caughtUp.completeExceptionally(e);
    gaveUp.complete(e);
  }

  /** Positions the consumer (snapshots on the first run, the view's offsets after a restart), then folds until closed. */
  private void follow(Consumer<byte[], byte[]> c) {
    List<TopicPartition> parts =
        c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    if (parts.isEmpty()) {
      // DiscoveryTopics.ensure waited for them, so the topic went away or the broker forgot it
      throw new IllegalStateException("the events topic " + topic + " has no partitions visible to this consumer of Kafka at " + bootstrap);
    }
    c.assign(parts);
    if (startEnd == null) {
      Map<Integer, PartitionSnapshot> loaded = snapshots.loadAll();
      for (TopicPartition tp : parts) {
        PartitionSnapshot s = loaded.get(tp.partition());
        if (s != null) {
          view.load(s);
          c.seek(tp, s.nextOffset());
        } else {
          c.seekToBeginning(List.of(tp));
        }
      }
      snapshotsLoaded = loaded.size();
      startEnd = c.endOffsets(parts);
      LOG.info("projection: {} partitions, {} from snapshots, log ends at {}", parts.size(), loaded.size(), startEnd.values());
    } else {
      // the view is consistent up to these offsets: the failed record was not folded
      for (TopicPartition tp : parts) {
        c.seek(tp, view.nextOffset(tp.partition()));
      }
      LOG.info("projection restarted at offsets {}", parts.stream().map(tp -> view.nextOffset(tp.partition())).toList());
    }
    while (running) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
        fold(r);
      }
      long behind = 0;
      for (TopicPartition tp : parts) {
        behind += c.currentLag(tp).orElse(0);
      }
      lag.set(behind);
      if (!caughtUp.isDone() && parts.stream().allMatch(tp -> c.position(tp) >= startEnd.getOrDefault(tp, 0L))) {
        caughtUp.complete(null);
      }
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

  private static void close(Consumer<byte[], byte[]> c) {
    try {
      c.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      LOG.warn("closing the projection's consumer: {}", e.toString());
    }
  }

  @Override
  public void close() {
    running = false;
    stopRequested.countDown();
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(CLOSE_TIMEOUT.toMillis() + 2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
