package io.spanlog.discovery.expiry;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.ExpiryPlanner;
import io.spanlog.discovery.log.EventAppender;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.discovery.log.SnapshotStore;
import io.spanlog.discovery.projection.DiscoveryView;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection, decided by the owner of each events partition and written as events, so a
 * replay sees the same expiries at the same instants. Ownership is the assignment of a dedicated
 * consumer group on the events topic: exactly one live instance owns each partition. The owner
 * also writes that partition's snapshots.
 *
 * <p>The group consumer only holds the assignment (its partitions stay paused); the read model
 * comes from the {@link io.spanlog.discovery.projection.ProjectionLoop ProjectionLoop}.
 */
public final class ExpiryCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryCollector.class);

  /** What a GC pass did, for metrics. */
  public record Pass(int affiliatesExpired, int endpointEvents, int clustersEmptied) {}

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final DiscoveryView view;
  private final EventAppender appender;
  private final SnapshotStore snapshots;
  private final Duration interval;
  private final Duration snapshotInterval;
  private final Clock clock;
  private final String producerName;
  private final Supplier<Boolean> ready;
  private final java.util.function.Consumer<Pass> onPass;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private final Map<Integer, Long> snapshotted = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public ExpiryCollector(
      String bootstrap,
      String groupId,
      String clientId,
      String topic,
      DiscoveryView view,
      EventAppender appender,
      SnapshotStore snapshots,
      Duration interval,
      Duration snapshotInterval,
      Clock clock,
      String producerName,
      Supplier<Boolean> ready,
      java.util.function.Consumer<Pass> onPass) {
    Map<String, Object> cfg = KafkaSettings.reader(bootstrap, clientId);
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    cfg.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    cfg.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    this.consumer = new KafkaConsumer<>(cfg);
    this.topic = topic;
    this.view = view;
    this.appender = appender;
    this.snapshots = snapshots;
    this.interval = interval;
    this.snapshotInterval = snapshotInterval;
    this.clock = clock;
    this.producerName = producerName;
    this.ready = ready;
    this.onPass = onPass;
    this.thread = new Thread(this::run, "discovery-gc");
  }

  public void start() {
    thread.start();
  }

  public Set<Integer> ownedPartitions() {
    return Set.copyOf(owned);
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
          consumer.pause(parts);
          parts.forEach(tp -> owned.add(tp.partition()));
          LOG.info("owning partitions {} of {} for expiry and snapshots", owned, topic);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
          parts.forEach(tp -> owned.remove(tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
          onPartitionsRevoked(parts);
        }
      });
      long nextGc = 0;
      long nextSnapshot = System.nanoTime() + snapshotInterval.toNanos();
      while (running) {
        consumer.poll(Duration.ofMillis(100));
        if (!ready.get()) {
          continue;
        }
        long now = System.nanoTime();
        if (now - nextGc >= 0 && !owned.isEmpty()) {
          collect();
          nextGc = now + interval.toNanos();
        }
        if (now - nextSnapshot >= 0) {
          writeSnapshots();
          nextSnapshot = now + snapshotInterval.toNanos();
        }
      }
      writeSnapshots();
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("expiry collector stopped: {}", e.toString(), e);
    } finally {
      consumer.close();
    }
  }

  /** One GC pass over the owned partitions; waits until its events are durable. */
  void collect() throws InterruptedException {
    Instant now = clock.instant();
    int affiliates = 0;
    int endpointEvents = 0;
    int emptied = 0;
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int p : ownedPartitions()) {
      for (Map.Entry<String, ClusterState> c : view.clustersOf(p).entrySet()) {
        List<Event> plan = ExpiryPlanner.plan(c.getValue(), now);
        int expired = 0;
        for (Event e : plan) {
          String subject = e instanceof AffiliateExpired a ? a.affiliateId() : ((EndpointsExpired) e).affiliateId();
          writes.add(appender.append(Envelope.of(c.getKey(), subject, now, producerName, e)));
          if (e instanceof AffiliateExpired) {
            expired++;
          } else {
            endpointEvents++;
          }
        }
        affiliates += expired;
        if (expired > 0 && expired == c.getValue().size()) {
          emptied++;
        }
      }
    }
    try {
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("gc: not every expiry event was written ({}); the next pass retries", e.toString());
    }
    onPass.accept(new Pass(affiliates, endpointEvents, emptied));
  }

  private void writeSnapshots() throws InterruptedException {
    for (int p : ownedPartitions()) {
      long offset = view.nextOffset(p);
      if (offset > 0 && !Long.valueOf(offset).equals(snapshotted.get(p))) {
        snapshots.write(view.snapshot(p));
        snapshotted.put(p, offset);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      consumer.wakeup();
    }
  }
}
