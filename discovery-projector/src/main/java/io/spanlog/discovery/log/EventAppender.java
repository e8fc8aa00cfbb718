package io.spanlog.discovery.log;

import io.micrometer.core.instrument.Timer;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events to the cluster's partition of one topic (key = cluster id), without ever
 * blocking its caller, and gives every append an answer within its budget.
 *
 * <p>{@code KafkaProducer.send} blocks its thread while it has no metadata for the topic (up to
 * {@code max.block.ms}, 60 s by default): when Kafka is down, a send from the Vert.x event loop
 * froze every call of the server. Here one thread of this appender talks to the producer; callers
 * get a future at once.
 *
 * <p>A record handed to the producer cannot be taken back, so this appender hands one over only
 * when it can still keep its word: it first waits for the topic's metadata, and it holds new
 * records back while an earlier one has gone unacknowledged for {@link #STALL_AFTER} (the log is
 * stalled: Kafka down, or a leader being elected). An append whose budget runs out before it was
 * handed over fails with {@link Unavailable} "not stored", which is then the truth: it never will
 * be. One that was handed over and not acknowledged in time fails with "may still be stored".
 */
public final class EventAppender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventAppender.class);
  /** The budget of {@link #append(Envelope)}: how long an append may take without a caller's deadline. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
  /** A record unacknowledged for this long holds the next ones back. */
  static final Duration STALL_AFTER = Duration.ofSeconds(2);
  private static final long STALL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** The log did not take an append within its budget. */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean maybeStored;

    Unavailable(boolean maybeStored, String message, Throwable cause) {
      super(message, cause, false, false);
      this.maybeStored = maybeStored;
    }

    /** False when the record never reached the producer and never will: it was not stored. */
    public boolean maybeStored() {
      return maybeStored;
    }
  }

  private enum State { QUEUED, HANDED, ABANDONED }

  private static final class Append {
    final ProducerRecord<byte[], byte[]> record;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
    volatile ScheduledFuture<?> budget;
    volatile boolean acknowledged;
    long handedAt;

    Append(ProducerRecord<byte[], byte[]> record) {
      this.record = record;
    }
  }

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Timer latency;
  private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
  /** Handed over and maybe not yet acknowledged, oldest first; the sender thread's own. */
  private final ArrayDeque<Append> handed = new ArrayDeque<>();
  private final ScheduledThreadPoolExecutor budgets;
  private final Thread sender;
  private final long stallAfterNanos;
  private volatile boolean closed;
  private boolean sending;

  public EventAppender(Producer<byte[], byte[]> producer, String topic, Timer latency) {
    this(producer, topic, latency, STALL_AFTER);
  }

  EventAppender(Producer<byte[], byte[]> producer, String topic, Timer latency, Duration stallAfter) {
    this.stallAfterNanos = stallAfter.toNanos();
    this.producer = producer;
    this.topic = topic;
    this.latency = latency;
    this.budgets = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "append-budget-" + topic));
    budgets.setRemoveOnCancelPolicy(true);
    this.sender = daemon(this::sendLoop, "append-" + topic);
    sender.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Completes once the event is durable (acks=all), or fails with {@link Unavailable} within {@link #DEFAULT_BUDGET}. */
  public CompletableFuture<Void> append(Envelope envelope) {
    return appendAt(envelope, DEFAULT_BUDGET).thenApply(offset -> null);
  }

  /**
   * Completes with the record's offset in its partition once the event is durable (acks=all), or
   * fails with {@link Unavailable} once {@code budget} has passed. Never blocks.
   */
  public CompletableFuture<Long> appendAt(Envelope envelope, Duration budget) {
    Append a = new Append(new ProducerRecord<>(
        topic, envelope.clusterId().getBytes(StandardCharsets.UTF_8), EventCodec.encode(envelope)));
    if (closed) {
      a.done.completeExceptionally(new Unavailable(false, "the appender is closed", null));
      return a.done;
    }
    a.budget = budgets.schedule(() -> giveUp(a), budget.toNanos(), TimeUnit.NANOSECONDS);
    a.done.whenComplete((offset, error) -> {
      ScheduledFuture<?> timer = a.budget;
      if (timer != null) {
        timer.cancel(false);
      }
    });
    queue.add(a);
    return a.done;
  }

  private void giveUp(Append a) {
    if (a.state.compareAndSet(State.QUEUED, State.ABANDONED)) {
      a.done.completeExceptionally(new Unavailable(false, "not handed to the producer within the budget", null));
    } else {
      a.done.completeExceptionally(new Unavailable(true, "not acknowledged within the budget", null));
    }
  }

  private void sendLoop() {
    while (!closed) {
      Append a;
      try {
        a = queue.take();
      } catch (InterruptedException e) {
        break;
      }
      if (a.state.get() != State.QUEUED) {
        continue; // its budget ran out while it waited here
      }
      try {
        // waits for the topic's metadata (at most max.block.ms), before the point of no return
        producer.partitionsFor(topic);
        while (stalled() && a.state.get() == State.QUEUED && !closed) {
          LockSupport.parkNanos(STALL_POLL_NANOS);
        }
        if (!a.state.compareAndSet(State.QUEUED, State.HANDED)) {
          continue;
        }
        send(a);
      } catch (RuntimeException e) { // no metadata within max.block.ms, interrupted, or send() refused it
        if (a.state.compareAndSet(State.QUEUED, State.ABANDONED) || a.state.get() == State.HANDED && !a.acknowledged) {
          a.acknowledged = true;
          a.done.completeExceptionally(new Unavailable(false, e.toString(), e));
        }
        LOG.debug("append to {} failed before reaching the producer: {}", topic, e.toString());
      }
    }
    for (Append left; (left = queue.poll()) != null; ) {
      if (left.state.compareAndSet(State.QUEUED, State.ABANDONED)) {
        left.done.completeExceptionally(new Unavailable(false, "the appender closed", null));
      }
    }
  }

  private void send(Append a) {
    long start = System.nanoTime();
    a.handedAt = start;
    handed.addLast(a);
    sending = true;
    try {
      producer.send(a.record, (metadata, error) -> {
        latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        // a callback run inside send() means the producer refused the record: it was not stored
        boolean refusedInSend = Thread.currentThread() == sender && sending;
        a.acknowledged = true;
        if (error != null) {
          a.done.completeExceptionally(new Unavailable(!refusedInSend, error.toString(), error));
        } else {
          a.done.complete(metadata.offset());
        }
      });
    } finally {
      sending = false;
    }
  }

  /** Whether the oldest record handed over and not acknowledged is older than {@link #STALL_AFTER}. */
  private boolean stalled() {
    while (!handed.isEmpty() && handed.peekFirst().acknowledged) {
      handed.pollFirst();
    }
    return !handed.isEmpty() && System.nanoTime() - handed.peekFirst().handedAt > stallAfterNanos;
  }

  /** Stops the sender: appends not yet handed to the producer fail as not stored. */
  @Override
  public void close() {
    closed = true;
    sender.interrupt();
    try {
      sender.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Runnable> pending = budgets.shutdownNow();
    LOG.debug("appender of {} closed; {} budgets pending", topic, pending.size());
  }
}
