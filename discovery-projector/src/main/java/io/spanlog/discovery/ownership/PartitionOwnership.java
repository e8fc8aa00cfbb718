package io.spanlog.discovery.ownership;

import io.spanlog.discovery.log.KafkaSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which events partitions this instance owns, and the owner's duties on them (expiry passes,
 * snapshots). Ownership is the assignment of a dedicated consumer group on the events topic:
 * exactly one live instance owns each partition, so time-driven events are written once.
 *
 * <p>The group consumer only holds the assignment (its partitions stay paused); the state the
 * duties read comes from the {@link io.spanlog.discovery.projection.ProjectionLoop ProjectionLoop}.
 * Duties run one after the other on the ownership thread, only once the projection is ready and
 * only while this instance owns partitions; a duty that falls due while nothing is owned runs as
 * soon as something is.
 *
 * <p>Stopping is bounded, also when Kafka is gone: the at-stop duties get {@link #FINAL_DUTIES}
 * and leaving the group {@link #LEAVE_TIMEOUT}. {@link #release()} leaves the group without the
 * at-stop duties, for an instance whose projection stopped: its partitions go to another instance
 * at once rather than after the session timeout, and nothing is judged from its frozen view.
 */
public final class PartitionOwnership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

  /** Work over the partitions owned when it runs. */
  @FunctionalInterface
  public interface Work {
    void run(Set<Integer> owned) throws InterruptedException;
  }

  /**
   * One duty of the owner.
   *
   * @param name for logs
   * @param interval time between two runs
   * @param firstRunAtOnce run as soon as ready, rather than one interval after start-up
   * @param lastRunAtStop run once more when the instance stops gracefully
   */
  public record Duty(String name, Duration interval, boolean firstRunAtOnce, boolean lastRunAtStop, Work work) {
    public Duty {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(work, "work");
    }

    public static Duty startingAtOnce(String name, Duration interval, Work work) {
      return new Duty(name, interval, true, false, work);
    }

    public static Duty afterOneInterval(String name, Duration interval, Work work) {
      return new Duty(name, interval, false, false, work);
    }

    public Duty alsoAtStop() {
      return new Duty(name, interval, firstRunAtOnce, true, work);
    }
  }

  /** How long the at-stop duties (the last snapshots) may take before they are abandoned. */
  static final Duration FINAL_DUTIES = Duration.ofSeconds(2);
  /** How long closing the group consumer may wait for the coordinator to take the leave. */
  static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(1);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final BooleanSupplier ready;
  private final List<Duty> duties;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean finalDuties = true;
  private volatile boolean started;

  /**
   * @param groupId the consumer group whose assignment is the ownership
   * @param ready whether the duties may run (the projection has caught up)
   */
  public PartitionOwnership(KafkaSettings kafka, String groupId, String clientId, String topic,
      BooleanSupplier ready, List<Duty> duties) {
    Map<String, Object> cfg = kafka.reader(clientId);
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    cfg.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    cfg.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    this.consumer = new KafkaConsumer<>(cfg);
    this.topic = topic;
    this.ready = ready;
    this.duties = List.copyOf(duties);
    this.thread = new Thread(this::run, "discovery-partition-owner");
  }

  public synchronized void start() {
    started = true;
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
          LOG.info("owning partitions {} of {} for {}", owned, topic, duties.stream().map(Duty::name).toList());
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
      long started = System.nanoTime();
      long[] due = new long[duties.size()];
      for (int i = 0; i < due.length; i++) {
        due[i] = duties.get(i).firstRunAtOnce() ? started : started + duties.get(i).interval().toNanos();
      }
      while (running) {
        consumer.poll(Duration.ofMillis(100));
        if (!ready.getAsBoolean()) {
          continue;
        }
        for (int i = 0; i < due.length; i++) {
          long now = System.nanoTime();
          Set<Integer> mine = ownedPartitions();
          if (now - due[i] >= 0 && !mine.isEmpty()) {
            duties.get(i).work().run(mine);
            due[i] = now + duties.get(i).interval().toNanos();
          }
        }
      }
      for (Duty duty : duties) {
        if (finalDuties && duty.lastRunAtStop()) {
          duty.work().run(ownedPartitions());
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // close() gave up on the at-stop duties
    } catch (RuntimeException e) {
      LOG.error("partition ownership stopped: {}", e.toString(), e);
    } finally {
      boolean interrupted = Thread.interrupted(); // the consumer refuses to close on an interrupted thread
      leave();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void leave() {
    try {
      consumer.close(CloseOptions.timeout(LEAVE_TIMEOUT));
    } catch (RuntimeException e) {
      LOG.warn("leaving the ownership group: {}", e.toString());
    }
    owned.clear();
  }

  /** Stops, after the at-stop duties (at most {@link #FINAL_DUTIES}), and leaves the group. */
  @Override
  public void close() {
    stop(true);
  }

  /** Stops without the at-stop duties and leaves the group: another instance takes the partitions now. */
  public void release() {
    stop(false);
  }

  private void stop(boolean withFinalDuties) {
    synchronized (this) {
      if (!running) {
        return;
      }
      finalDuties = withFinalDuties;
      running = false;
      if (!started) {
        leave(); // no thread: the consumer is ours to close
        return;
      }
    }
    try {
      thread.join(FINAL_DUTIES.toMillis() + 200); // the loop notices within one poll (100 ms)
      if (thread.isAlive()) {
        LOG.warn("partition ownership: the at-stop duties did not finish within {} ms (is Kafka reachable?); abandoning them",
            FINAL_DUTIES.toMillis());
        thread.interrupt();
        consumer.wakeup();
        thread.join(LEAVE_TIMEOUT.toMillis() + 1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
