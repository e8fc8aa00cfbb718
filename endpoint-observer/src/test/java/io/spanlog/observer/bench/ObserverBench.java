package io.spanlog.observer.bench;

import io.spanlog.infra.bench.Percentiles;
import com.sun.tools.attach.VirtualMachine;
import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.infra.Folders;
import io.spanlog.infra.LoopbackPorts;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.intake.BatchOpener;
import io.spanlog.observer.intake.Intake;
import io.spanlog.observer.intake.SealedBatchOpener;
import io.spanlog.observer.service.ObserverProcess;
import io.spanlog.secrets.ClusterSecrets;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import io.spanlog.observer.topology.ObserverTopology;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The endpoint observer on a simulated fleet: {@code ./spanlog bench observer [--help]}.
 *
 * <p>An embedded broker and the fleet's generator run in this JVM; the observer runs as {@code
 * spanlog observer} in a child JVM (its real topology and service configuration: {@code
 * exactly_once_v2}, sealed batches opened with the secrets directory), so its heap and CPU are
 * its own. The fleet ({@link BenchFleet}) reports one sealed batch per node every pass (30 s at
 * the default rate), appended to the telemetry topic as the discovery service appends it
 * (idempotent, acks=all, lz4, keyed by cluster id).
 *
 * <p>Measured over {@code --seconds} after {@code --warmup} (the first pass makes every link new:
 * a million reachability cells appear): samples/s the observer processed (its own counter), the
 * lag from a batch's append to the events derived from it being visible to a read-committed
 * consumer (a derived link event's record time is its batch's sample time, unique per cluster),
 * the observer's heap and CPU; then, on the same topic, a raw KafkaConsumer's rate, and a raw
 * consumer that also decodes and opens each batch as the observer's intake does.
 */
@Command(name = "bench observer", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Endpoint observer on a simulated fleet: sustained samples/s, batch-to-event lag, heap, vs a raw consumer.")
public final class ObserverBench implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "10000", description = "nodes in the fleet, in clusters of peers+1 (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--peers", defaultValue = "100", description = "peers each node reports (default ${DEFAULT-VALUE})")
  int peers;

  @Option(names = "--rate", description = "peer samples/s produced (default: nodes × peers / 30 s, every node every 30 s)")
  Integer rate;

  @Option(names = "--warmup", defaultValue = "60", description = "seconds produced before measuring; the first pass makes every link new (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--seconds", defaultValue = "120", description = "seconds measured (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--drain", defaultValue = "180", description = "seconds to wait at most for the observer to catch up once producing stops (default ${DEFAULT-VALUE})")
  int drainSeconds;

  @Option(names = "--threads", defaultValue = "1", description = "the observer's stream threads (default ${DEFAULT-VALUE}, as the service)")
  int threads;

  @Option(names = "--partitions", defaultValue = "6", description = "partitions of the topics (default ${DEFAULT-VALUE}, as the service)")
  int partitions;

  @Option(names = "--observer-heap", defaultValue = "1g", description = "the observer JVM's -Xmx (default ${DEFAULT-VALUE})")
  String observerHeap;

  @Option(names = "--jfr", paramLabel = "<file>", description = "record the observer JVM's measured seconds with JFR (profile settings) into this file")
  Path jfr;

  @Option(names = "--parts", defaultValue = "to", description = "t: the topology alone in this JVM (TopologyTestDriver, RocksDB stores, no broker); o: the observer service on the broker (default ${DEFAULT-VALUE})")
  String parts;

  @Option(names = "--topology-passes", defaultValue = "4", description = "passes of the fleet through the topology alone, the first one every link new (default ${DEFAULT-VALUE})")
  int topologyPasses;

  @Option(names = "--observer-log", paramLabel = "<file>", description = "write the observer JVM's output into this file at the end")
  Path observerLog;

  @Option(names = "--observer-jvm-option", paramLabel = "<option>", description = "another option for the observer JVM (repeatable)")
  List<String> observerJvmOptions = new ArrayList<>();

  private static final Pattern METRICS_PORT = Pattern.compile("metrics on :(\\d+)");
  private final List<String[]> rows = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private double observerRate = -1;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ObserverBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("spanlog-bench-observer-");
    EmbeddedKafka kafka = parts.contains("o")
        ? EmbeddedKafka.start(new BrokerSettings(LoopbackPorts.free(), LoopbackPorts.free(), dir.resolve("kafka")))
        : null;
    try {
      if (parts.contains("t")) {
        topologyAlone(dir);
      }
      if (parts.contains("o")) {
        run(kafka.bootstrapServers(), dir);
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      Folders.deleteRecursively(dir);
    }
    print();
    return 0;
  }

  private void run(String bootstrap, Path dir) throws Exception {
    Instant started = Instant.now();
    BenchFleet fleet = new BenchFleet(nodes, peers, started);
    int samplesPerSecond = rate != null ? rate : (int) Math.round(fleet.nodes() * (double) peers / 30);
    double passSeconds = (double) fleet.nodes() * peers / samplesPerSecond;
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    writeSecrets(fleet, secrets);
    ObserverSettings topics = ObserverSettings.defaults();
    String loadAtStart = loadAverage();
    System.out.printf("bench: %,d nodes (%d clusters of %d) × %d peers, %,d samples/s (a pass every %.1f s), warm-up %d s, measured %d s; load average %s%n",
        fleet.nodes(), fleet.clusters, fleet.size, peers, samplesPerSecond, passSeconds, warmup, seconds, loadAtStart);

    List<String> jvm = new ArrayList<>(List.of("-Xmx" + observerHeap));
    if (jfr != null) {
      jvm.add("-XX:StartFlightRecording=settings=profile,delay=" + warmup + "s,duration=" + seconds
          + "s,filename=" + jfr.toAbsolutePath());
    }
    jvm.addAll(observerJvmOptions);
    ObserverProcess observer = ObserverProcess.launch(jvm, List.of(
        "--bootstrap", bootstrap, "--application-id", "bench-observer",
        "--state-dir", dir.resolve("observer").toString(), "--secrets", secrets.toString(),
        "--api-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
        "--threads", Integer.toString(threads), "--partitions", Integer.toString(partitions)));
    try (Probe probe = Probe.attach(observer.pid())) {
      Matcher m = METRICS_PORT.matcher(observer.output());
      if (!m.find()) {
        throw new IllegalStateException("the observer did not say its metrics port:\n" + observer.output());
      }
      URI metrics = URI.create("http://127.0.0.1:" + m.group(1) + "/metrics");
      measure(bootstrap, fleet, samplesPerSecond, topics, observer, probe, metrics);
    } finally {
      observer.terminate(Duration.ofSeconds(60));
      if (observerLog != null) {
        Files.writeString(observerLog, observer.output());
      }
    }
    String loadAtEnd = loadAverage();
    rawConsumers(bootstrap, topics.telemetryTopic(), secrets, topics);
    rows.add(new String[] {"load average (1, 5, 15 min) at start / end of the observer run", "", loadAtStart, loadAtEnd, ""});
  }

  // ---- the topology alone: the observer's own CPU cost per sample, no broker, no transactions

  private void topologyAlone(Path dir) throws Exception {
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    BenchFleet fleet = new BenchFleet(nodes, peers, t0);
    Path secretsDir = Files.createDirectories(dir.resolve("topology-secrets"));
    writeSecrets(fleet, secretsDir);
    ObserverSettings settings = ObserverSettings.defaults();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-topology");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("topology-state").toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    try (ClusterSecrets secrets = ClusterSecrets.watching(secretsDir);
        TopologyTestDriver driver = new TopologyTestDriver(
            ObserverTopology.build(settings, new SealedBatchOpener(secrets)), props)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic(settings.telemetryTopic(),
          new ByteArraySerializer(), new ByteArraySerializer());
      List<TestOutputTopic<byte[], byte[]>> outs = new ArrayList<>();
      for (String t : List.of(settings.linkEventsTopic(), settings.linkMetricsTopic(), settings.deadLetterTopic())) {
        outs.add(driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
      }
      double passSeconds = 30;
      long derived = 0;
      for (int pass = 0; pass < topologyPasses; pass++) {
        long nanos = 0;
        long cpu = 0;
        java.lang.management.ThreadMXBean threadsBean = ManagementFactory.getThreadMXBean();
        long firstDerived = derived;
        for (int slot = 0; slot < fleet.nodes(); slot++) {
          int c = fleet.clusterOf(slot);
          Instant at = t0.plusMillis(Math.round((pass * fleet.nodes() + slot) * passSeconds * 1000 / fleet.nodes()));
          Instant sampled = fleet.sampleTime(c, at);
          byte[] value = fleet.appended(c, fleet.batch(c, fleet.nodeOf(slot), pass, sampled), sampled.plusMillis(5));
          byte[] key = fleet.clusterIds[c].getBytes(StandardCharsets.UTF_8);
          long start = System.nanoTime();
          long cpuStart = threadsBean.getCurrentThreadCpuTime();
          in.pipeInput(key, value, sampled.plusMillis(5));
          cpu += threadsBean.getCurrentThreadCpuTime() - cpuStart;
          nanos += System.nanoTime() - start;
          if (slot % 100 == 99) {
            for (TestOutputTopic<byte[], byte[]> o : outs) {
              derived += o.readRecordsToList().size();
            }
          }
        }
        for (TestOutputTopic<byte[], byte[]> o : outs) {
          derived += o.readRecordsToList().size();
        }
        long samples = (long) fleet.nodes() * peers;
        rows.add(new String[] {"topology alone (TopologyTestDriver, RocksDB, 1 thread), pass " + pass
            + (pass == 0 ? " (every link new)" : ""), String.format("%,d batches, %,d derived", fleet.nodes(), derived - firstDerived),
            String.format("%,.0f samples/s", samples / (nanos / 1e9)), String.format("%.1f µs/sample", nanos / 1e3 / samples),
            String.format("CPU %.1f µs/sample", cpu / 1e3 / samples)});
        System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 1)));
      }
    }
  }

  private static void writeSecrets(BenchFleet fleet, Path dir) throws IOException {
    for (int c = 0; c < fleet.clusters; c++) {
      Path file = dir.resolve("cluster-" + c + ".yaml");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, ClusterSecretFile.render(new ClusterSecretFile.Entry(fleet.clusterIds[c], fleet.secrets[c])));
    }
  }

  // ---- the observer on the fleet

  private void measure(String bootstrap, BenchFleet fleet, int samplesPerSecond, ObserverSettings topics,
      ObserverProcess observer, Probe probe, URI metrics) throws Exception {
    long interval = Math.round(1e9 * peers / samplesPerSecond); // one batch of `peers` samples
    long t0 = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    long measureFrom = t0 + TimeUnit.SECONDS.toNanos(warmup);
    long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
    long wallAtT0 = System.currentTimeMillis() + 1_000;
    long measureFromMs = wallAtT0 + warmup * 1_000L;
    long measureToMs = measureFromMs + seconds * 1_000L;

    Map<String, Long> appendedAt = new ConcurrentHashMap<>(); // cluster + sample time → append time
    AtomicLong producedBatches = new AtomicLong();
    AtomicLong ackedBatches = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong firstPassBatches = new AtomicLong(-1);
    AtomicLong behindNanos = new AtomicLong();
    AtomicReference<Throwable> generatorFailed = new AtomicReference<>();
    Thread generator = new Thread(() -> {
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerConfig(bootstrap))) {
        int perPass = fleet.nodes();
        for (long i = 0; ; i++) {
          long due = t0 + i * interval;
          if (due >= measureTo) {
            break;
          }
          long now;
          while ((now = System.nanoTime()) < due) {
            LockSupport.parkNanos(due - now);
          }
          behindNanos.set(now - due);
          int pass = (int) (i / perPass);
          int slot = (int) (i % perPass);
          int c = fleet.clusterOf(slot);
          Instant sampled = fleet.sampleTime(c, Instant.now());
          HandshakeSampleBatch batch = fleet.batch(c, fleet.nodeOf(slot), pass, sampled);
          Instant appended = Instant.now();
          byte[] value = fleet.appended(c, batch, appended);
          appendedAt.put(key(fleet.clusterIds[c], sampled.toEpochMilli()), appended.toEpochMilli());
          p.send(new ProducerRecord<>(topics.telemetryTopic(), null, appended.toEpochMilli(),
              fleet.clusterIds[c].getBytes(StandardCharsets.UTF_8), value), (md, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                } else {
                  ackedBatches.incrementAndGet();
                }
              });
          producedBatches.incrementAndGet();
          if (pass == 1 && firstPassBatches.get() < 0) {
            firstPassBatches.set(i);
          }
        }
        p.flush();
      } catch (Throwable e) {
        generatorFailed.set(e);
      }
    }, "bench-fleet");

    // lag: derived link events as a read-committed consumer sees them, from the measured window on
    List<long[]> lags = new ArrayList<>(); // {append ms, lag ms}
    AtomicLong derivedInWindow = new AtomicLong();
    AtomicLong derivedAll = new AtomicLong();
    AtomicLong metricWindows = new AtomicLong();
    AtomicBoolean stopDerived = new AtomicBoolean();
    AtomicBoolean seekedToEnd = new AtomicBoolean();
    Thread derived = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(bootstrap, "read_committed"))) {
        List<TopicPartition> tps = new ArrayList<>();
        for (String t : List.of(topics.linkEventsTopic(), topics.linkMetricsTopic())) {
          for (PartitionInfo pi : c.partitionsFor(t)) {
            tps.add(new TopicPartition(t, pi.partition()));
          }
        }
        c.assign(tps);
        while (System.nanoTime() < measureFrom) {
          Thread.sleep(20);
        }
        c.seekToEnd(tps); // the first pass's million cells need not go through this JVM
        tps.forEach(c::position);
        seekedToEnd.set(true);
        while (!stopDerived.get()) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
            long received = System.currentTimeMillis();
            derivedAll.incrementAndGet();
            if (r.topic().equals(topics.linkMetricsTopic())) {
              metricWindows.incrementAndGet();
              continue;
            }
            Long appended = appendedAt.get(key(new String(r.key(), StandardCharsets.UTF_8), r.timestamp()));
            if (appended != null && appended >= measureFromMs && appended < measureToMs) {
              derivedInWindow.incrementAndGet();
              synchronized (lags) {
                lags.add(new long[] {appended, received - appended});
              }
            }
          }
        }
      } catch (Exception e) {
        e.printStackTrace();
      }
    }, "bench-derived");

    derived.start();
    generator.start();
    long[] samplesAt = new long[warmup + seconds + drainSeconds + 5];
    long peakHeap = 0;
    double observerCpuFrom = 0;
    double benchCpuFrom = 0;
    long samplesFrom = 0;
    long samplesTo = -1;
    long producedTo = 0;
    long producedFrom = 0;
    double observerCpu = 0;
    double benchCpu = 0;
    long firstPassDoneNanos = -1;
    // one look a second; the measured window's edges are the looks nearest them
    for (int s = 0; ; s++) {
      long tick = t0 + TimeUnit.SECONDS.toNanos(s);
      while (System.nanoTime() < tick) {
        LockSupport.parkNanos(tick - System.nanoTime());
      }
      long processed = scrape(metrics, "spanlog_observer_samples_total");
      if (s < samplesAt.length) {
        samplesAt[s] = processed;
      }
      long first = firstPassBatches.get();
      if (firstPassDoneNanos < 0 && first > 0 && processed >= first * peers) {
        firstPassDoneNanos = System.nanoTime() - t0;
      }
      if (tick >= measureFrom && tick < measureTo) {
        peakHeap = Math.max(peakHeap, probe.heapUsed());
      }
      if (s == warmup) {
        samplesFrom = processed;
        producedFrom = producedBatches.get() * peers;
        observerCpuFrom = cpuSeconds(observer.pid());
        benchCpuFrom = benchCpuSeconds();
      }
      if (s == warmup + seconds) {
        samplesTo = processed;
        producedTo = producedBatches.get() * peers;
        observerCpu = cpuSeconds(observer.pid()) - observerCpuFrom;
        benchCpu = benchCpuSeconds() - benchCpuFrom;
      }
      if (s > warmup + seconds && !generator.isAlive()
          && (processed >= producedBatches.get() * peers || s > warmup + seconds + drainSeconds)) {
        break;
      }
      if (!observer.isAlive()) {
        throw new IllegalStateException("the observer JVM exited:\n" + tail(observer.output()));
      }
      if (s % 10 == 0) {
        System.out.printf("bench: t=%3d s produced %,d samples, observer processed %,d, behind %,d; heap %,d MB; load %s%n",
            s, producedBatches.get() * peers, processed, producedBatches.get() * peers - processed,
            probe.heapUsed() >> 20, loadAverage());
      }
    }
    long drainedAt = (System.nanoTime() - measureTo) / 1_000_000;
    long processedEnd = scrape(metrics, "spanlog_observer_samples_total");
    long produced = producedBatches.get() * peers;
    Thread.sleep(1_000); // the last commit's events
    stopDerived.set(true);
    derived.join(10_000);
    generator.join();
    if (generatorFailed.get() != null) {
      throw new IllegalStateException("the fleet generator failed", generatorFailed.get());
    }
    long heapAfterGc = probe.heapAfterFullGc();
    long maxHeap = probe.heapMax();
    long deadLettered = scrape(metrics, "spanlog_observer_dead_lettered_total");

    double measuredRate = (samplesTo - samplesFrom) / (double) seconds;
    observerRate = measuredRate;
    rows.add(new String[] {"fleet", String.format("%,d nodes × %d peers", fleet.nodes(), peers),
        String.format("%,d samples/s", samplesPerSecond), String.format("%d clusters", fleet.clusters),
        String.format("pass %.1f s", (double) fleet.nodes() * peers / samplesPerSecond)});
    rows.add(new String[] {"produced (sealed batches, acks=all)", String.format("%,d batches%s", producedBatches.get(),
        failed.get() > 0 ? ", " + failed.get() + " failed" : ""),
        String.format("%,d samples", produced), String.format("%,.0f samples/s in window", (producedTo - producedFrom) / (double) seconds),
        String.format("last %.1f ms late", behindNanos.get() / 1e6)});
    rows.add(new String[] {"first pass processed (every link new: cells appear)", "",
        firstPassDoneNanos < 0 ? "not within run" : String.format("%.1f s", firstPassDoneNanos / 1e9), "after the first batch", ""});
    rows.add(new String[] {"observer: samples/s processed in the measured window", String.format("%,d s", seconds),
        String.format("%,.0f/s", measuredRate), String.format("%.0f%% of produced", 100.0 * measuredRate / samplesPerSecond),
        String.format("goal %,d/s", 33_000)});
    rows.add(new String[] {"observer: backlog when producing stopped; drained after", "",
        String.format("%,d samples", Math.max(0, producedTo - samplesTo)),
        processedEnd >= produced ? String.format("%.1f s", drainedAt / 1e3) : String.format("not in %d s", drainSeconds), ""});
    long[][] lagList;
    synchronized (lags) {
      lagList = lags.toArray(new long[0][]);
    }
    long[] lagMs = Arrays.stream(lagList).mapToLong(l -> l[1]).toArray();
    long[] p = Percentiles.p50p99max(lagMs);
    rows.add(new String[] {"lag: batch appended → derived link event visible (read_committed)",
        String.format("%,d events", lagMs.length), "p50 " + p[0] + " ms", "p99 " + p[1] + " ms", "max " + p[2] + " ms"});
    rows.add(new String[] {"derived records seen from the window on (events; metric windows)", "",
        String.format("%,d", derivedAll.get() - metricWindows.get()), String.format("%,d", metricWindows.get()),
        deadLettered > 0 ? deadLettered + " dead-lettered" : "0 dead-lettered"});
    rows.add(new String[] {"observer heap: peak used; after full GC at end; max (-Xmx)", "",
        (peakHeap >> 20) + " MB", (heapAfterGc >> 20) + " MB", (maxHeap >> 20) + " MB"});
    rows.add(new String[] {"CPU in the window: observer JVM; bench JVM (broker, fleet, consumers)", "of 2 cores",
        String.format("%.0f%%", 100 * observerCpu / seconds), String.format("%.0f%%", 100 * benchCpu / seconds),
        String.format("GC %.1f s", probe.gcSeconds())});
    if (!seekedToEnd.get()) {
      rows.add(new String[] {"(the derived-event consumer never reached the window)", "", "", "", ""});
    }
  }

  // ---- baselines on the same topic

  private void rawConsumers(String bootstrap, String topic, Path secretsDir, ObserverSettings settings) {
    long[] raw = consumeAll(bootstrap, topic, null);
    rows.add(new String[] {"raw KafkaConsumer on the telemetry topic (read_committed, 1 thread)",
        String.format("%,d records in %.1f s", raw[0], raw[1] / 1e9),
        String.format("%,.0f records/s", raw[0] / (raw[1] / 1e9)),
        String.format("%,.0f samples/s", raw[0] * (double) peers / (raw[1] / 1e9)), ""});
    try (ClusterSecrets secrets = ClusterSecrets.watching(secretsDir)) {
      Intake intake = new Intake(new SealedBatchOpener(secrets), settings.sampleTimeTolerance());
      long[] opened = consumeAll(bootstrap, topic, intake);
      rows.add(new String[] {"raw KafkaConsumer + the observer's intake (decode, open, 1 thread)",
          String.format("%,d records in %.1f s", opened[0], opened[1] / 1e9),
          String.format("%,.0f records/s", opened[0] / (opened[1] / 1e9)),
          String.format("%,.0f samples/s", opened[0] * (double) peers / (opened[1] / 1e9)),
          opened[2] > 0 ? opened[2] + " refused" : ""});
      double rawSamples = raw[0] * (double) peers / (raw[1] / 1e9);
      double openedSamples = opened[0] * (double) peers / (opened[1] / 1e9);
      rows.add(new String[] {"ratio: observer's sustained samples/s / raw consumer's; / raw + intake", "",
          String.format("%.2f", observerRate / rawSamples), String.format("%.2f", observerRate / openedSamples), ""});
    }
  }

  /** {records, nanos, refused}: the topic from the start (through the intake: at most 30 s of it), timed from the first record. */
  private long[] consumeAll(String bootstrap, String topic, Intake intake) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(bootstrap, "read_committed"))) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      long n = 0;
      long refused = 0;
      long start = -1;
      while (n < total) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (start < 0) {
            start = System.nanoTime();
          }
          n++;
          if (intake != null && !(intake.read(r.value()) instanceof BatchOpener.Opened)) {
            refused++;
          }
        }
        if (start > 0 && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(intake == null ? 600 : 30)) {
          break; // the intake's rate is known well enough after 30 s
        }
      }
      return new long[] {n, System.nanoTime() - start, refused};
    }
  }

  // ---- plumbing

  /** The observer JVM seen through its platform MXBeans (local attach, no network port). */
  private static final class Probe implements AutoCloseable {
    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final List<GarbageCollectorMXBean> gcs;

    private Probe(JMXConnector connector) throws IOException {
      this.connector = connector;
      MBeanServerConnection c = connector.getMBeanServerConnection();
      memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
      gcs = ManagementFactory.getPlatformMXBeans(c, GarbageCollectorMXBean.class);
    }

    static Probe attach(long pid) throws Exception {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        return new Probe(JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())));
      } finally {
        vm.detach();
      }
    }

    long heapUsed() {
      return memory.getHeapMemoryUsage().getUsed();
    }

    long heapMax() {
      return memory.getHeapMemoryUsage().getMax();
    }

    long heapAfterFullGc() {
      memory.gc();
      return heapUsed();
    }

    double gcSeconds() {
      return gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() / 1e3;
    }

    @Override
    public void close() throws IOException {
      connector.close();
    }
  }

  private long scrape(URI metrics, String name) throws IOException, InterruptedException {
    String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  private static String key(String cluster, long sampledMs) {
    return cluster + '\n' + sampledMs;
  }

  private static double cpuSeconds(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  private static double benchCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    // the discovery service's appender settings (KafkaSettings)
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return c;
  }

  private static Map<String, Object> consumerConfig(String bootstrap, String isolation) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  private void print() {
    String format = "| %-72s | %-26s | %-18s | %-20s | %-22s |%n";
    System.out.println();
    System.out.printf(format, "what", "detail", "value", "", "");
    System.out.printf(format, "-".repeat(72), "-".repeat(26), "-".repeat(18), "-".repeat(20), "-".repeat(22));
    for (String[] r : rows) {
      System.out.printf(format, (Object[]) r);
    }
    System.out.printf("%nbench JVM: %s, %d CPUs, max heap %d MB; observer JVM: -Xmx%s, %d stream thread(s), %d partitions%n",
        System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, observerHeap, threads, partitions);
  }
}
