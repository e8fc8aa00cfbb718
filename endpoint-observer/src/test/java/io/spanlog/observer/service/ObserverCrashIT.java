package io.spanlog.observer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.Envelope;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.SyntheticFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once across a crash: an observer JVM killed with {@code kill -9} while telemetry
 * streams in, then restarted on the same state folder, writes the same link events and metric
 * windows, record by record, as an uninterrupted observer over the same input: no duplicate, no
 * loss (read committed, as every Spanlog consumer reads).
 */
class ObserverCrashIT {
  private static final int CLUSTERS = 4;
  private static final int NODES = 4;
  private static final int PASSES = 120;

  @Test
  void aKilledObserverRestartsWithoutDuplicatingOrLosingAnything() throws Exception {
    ObserverTopics crashing = new ObserverTopics("observer-crash");
    ObserverTopics reference = new ObserverTopics(crashing, "observer-reference");
    List<SyntheticFleet.Record> input = SyntheticFleet.records(CLUSTERS, NODES, PASSES);
    Path state = TempDirs.create("observer-crash-state-");
    Path referenceState = TempDirs.create("observer-reference-state-");
    String app = "observer-crash-" + UUID.randomUUID();
    String bootstrap = crashing.kafka.bootstrapServers();

    long t0 = System.nanoTime();
    ObserverProcess first = ObserverProcess.start(bootstrap, app, state, crashing.settings);
    log(t0, "first observer started");
    AtomicInteger sent = new AtomicInteger();
    Thread producer = new Thread(() -> {
      for (int i = 0; i < input.size(); i += 20) { // a steady trickle: about 20 s in all
        crashing.send(input.subList(i, Math.min(input.size(), i + 20)));
        sent.addAndGet(Math.min(20, input.size() - i));
        sleep(150);
      }
    }, "telemetry-trickle");
    producer.start();

    // kill -9 once some results are committed, while telemetry still streams in
    crashing.committed(crashing.settings.linkEventsTopic(), got -> got.size() >= 100,
        Duration.ofSeconds(90));
    int sentAtKill = sent.get();
    first.kill();
    log(t0, "killed (kill -9) after " + sentAtKill + " of " + input.size() + " records sent");
    assertThat(sentAtKill).as("killed mid-stream").isLessThan(input.size());

    ObserverProcess second = ObserverProcess.start(bootstrap, app, state, crashing.settings);
    log(t0, "restarted");
    producer.join(120_000);
    log(t0, "all records sent");
    assertThat(sent.get()).isEqualTo(input.size());

    // the uninterrupted run over the same input records (same topic, same offsets)
    String referenceApp = "observer-reference-" + UUID.randomUUID();
    ObserverService uninterrupted = ObserverService.start(new ObserverConfig(reference.settings,
        bootstrap, referenceApp, referenceState,
        new HostPort("127.0.0.1", 0), Optional.empty(), Optional.empty(), 1, Optional.empty(), 3,
        Optional.empty(), KafkaClientConfig.NONE));
    try {
      reference.awaitConsumed(referenceApp, Duration.ofSeconds(120));
      log(t0, "uninterrupted run done");
      crashing.awaitConsumed(app, Duration.ofSeconds(120));
      log(t0, "restarted run done");
      List<ConsumerRecord<byte[], byte[]>> expectedEvents = reference.committed(
          reference.settings.linkEventsTopic(), got -> true, Duration.ofSeconds(30));
      List<ConsumerRecord<byte[], byte[]>> expectedMetrics = reference.committed(
          reference.settings.linkMetricsTopic(), got -> true, Duration.ofSeconds(30));
      assertThat(ObserverTopics.envelopes(expectedEvents).stream()
          .filter(e -> e.payload() instanceof LinkStateChanged)).hasSizeGreaterThan(100);
      assertThat(expectedMetrics).isNotEmpty();

      List<ConsumerRecord<byte[], byte[]>> events = crashing.committed(
          crashing.settings.linkEventsTopic(), got -> true, Duration.ofSeconds(30));
      List<ConsumerRecord<byte[], byte[]>> metrics = crashing.committed(
          crashing.settings.linkMetricsTopic(), got -> true, Duration.ofSeconds(30));

      log(t0, "read " + events.size() + " link events and " + metrics.size() + " metric windows;"
          + " the uninterrupted run wrote " + expectedEvents.size() + " and " + expectedMetrics.size());
      assertSameRecords(events, expectedEvents, "link events");
      assertSameRecords(metrics, expectedMetrics, "metric windows");

      Duration stop = second.terminate(Duration.ofSeconds(30));
      System.out.printf("observer stopped %d ms after SIGTERM%n", stop.toMillis());
    } finally {
      uninterrupted.close();
      second.close();
      quietly(() -> TempDirs.deleteRecursively(state));
      quietly(() -> TempDirs.deleteRecursively(referenceState));
    }
  }

  /** Partition by partition, offset by offset: same key, same bytes (event ids included). */
  private static void assertSameRecords(List<ConsumerRecord<byte[], byte[]>> actual,
      List<ConsumerRecord<byte[], byte[]>> expected, String what) {
    List<Envelope> a = ObserverTopics.envelopes(actual);
    List<Envelope> e = ObserverTopics.envelopes(expected);
    assertThat(a.stream().map(Envelope::eventId).distinct()).as(what + ": no duplicate")
        .hasSize(a.size());
    assertThat(a).as(what + ": the same records, in the same order").isEqualTo(e);
    for (int i = 0; i < actual.size(); i++) {
      assertThat(actual.get(i).partition()).isEqualTo(expected.get(i).partition());
      assertThat(Arrays.equals(actual.get(i).key(), expected.get(i).key())).isTrue();
      assertThat(Arrays.equals(actual.get(i).value(), expected.get(i).value()))
          .as(what + " record %d byte for byte", i).isTrue();
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      System.out.println("cleanup: " + e);
    }
  }

  private static void log(long startNanos, String what) {
    System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, what);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
