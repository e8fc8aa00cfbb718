package io.spanlog.discovery.bench;

import io.spanlog.infra.bench.Percentiles;
import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.WatchRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.projection.FanoutListener;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.infra.Folders;
import io.spanlog.infra.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Discovery service figures on this machine, broker, service and clients in one JVM, over real
 * sockets: {@code ./spanlog bench discovery [--help]}.
 *
 * <ol>
 *   <li>Watch fan-out: N watchers on one cluster; latency from AffiliateUpdate sent to received
 *       by every watcher, next to raw Kafka produce→consume latency at the same rate.
 *   <li>Sustained AffiliateUpdate rate over C clusters × A affiliates.
 *   <li>Retained heap per affiliate with H affiliates in the view.
 *   <li>Restart-to-serving time with H affiliates: from snapshots vs a full replay.
 * </ol>
 */
@Command(name = "bench discovery", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Discovery service benchmark: Watch fan-out latency vs raw Kafka, sustained update rate, heap per affiliate, restart time.")
public final class DiscoveryBench implements Callable<Integer> {
  @Option(names = "--bootstrap", description = "Kafka to use; default: an embedded broker in a temporary folder")
  String bootstrap;

  @Option(names = "--watchers", defaultValue = "1000", description = "Watch streams on one cluster (default ${DEFAULT-VALUE})")
  int watchers;

  @Option(names = "--rate", defaultValue = "20", description = "AffiliateUpdates per second while watched, and the raw Kafka rate (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--seconds", defaultValue = "20", description = "duration of each latency run, after 2 s of warm-up (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup", defaultValue = "2000", description = "unmeasured updates before each latency run (JIT warm-up; default ${DEFAULT-VALUE})")
  int warmupUpdates;

  @Option(names = "--clusters", defaultValue = "1000", description = "clusters of the sustained-rate run (default ${DEFAULT-VALUE})")
  int clusters;

  @Option(names = "--affiliates", defaultValue = "10", description = "affiliates per cluster in the sustained-rate run (default ${DEFAULT-VALUE})")
  int affiliatesPerCluster;

  @Option(names = "--updates", defaultValue = "50000", description = "AffiliateUpdates in the sustained-rate run (default ${DEFAULT-VALUE})")
  int updates;

  @Option(names = "--in-flight", defaultValue = "256", description = "concurrent AffiliateUpdates in the sustained-rate run (default ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--heap-affiliates", defaultValue = "100000", description = "affiliates loaded for the heap and restart figures (default ${DEFAULT-VALUE})")
  int heapAffiliates;

  @Option(names = "--events-per-affiliate", defaultValue = "5", description = "events in the log per loaded affiliate, i.e. refreshes (default ${DEFAULT-VALUE})")
  int eventsPerAffiliate;

  @Option(names = "--parts", defaultValue = "abcd", description = "which parts to run: a watch, b rate, c heap, d restart (default ${DEFAULT-VALUE})")
  String parts;

  private static final int PAYLOAD_BYTES = 300; // a real Talos affiliate payload is a few hundred bytes
  private static final int WATCHERS_PER_CONNECTION = 20; // Talos nodes hold one each; fewer connections, less CPU
  private final List<String[]> rows = new ArrayList<>();
  /** Where the fan-out timings of the run being measured go; nowhere between runs. */
  private final AtomicReference<FanoutListener> fanoutProbe = new AtomicReference<>(FanoutListener.NONE);

  public static void main(String[] args) {
    System.exit(new CommandLine(new DiscoveryBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dataDir = null;
    EmbeddedKafka kafka = null;
    if (bootstrap == null) {
      dataDir = Files.createTempDirectory("spanlog-bench-discovery-");
      kafka = EmbeddedKafka.start(new BrokerSettings(LoopbackPorts.free(), LoopbackPorts.free(), dataDir));
      bootstrap = kafka.bootstrapServers();
    }
    Vertx clients = Vertx.vertx();
    try {
      if (parts.contains("a") || parts.contains("b")) {
        String log = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        // the service's own fan-out timing, through the same listener interface its metrics use
        DiscoveryServer server = DiscoveryServer.with(config(log, "bench"))
            .fanoutListener((change, streams, applied, lastWritten) -> fanoutProbe.get().delivered(change, streams, applied, lastWritten))
            .start();
        try {
          if (parts.contains("a")) {
            watchLatency(clients, server, log);
          }
          if (parts.contains("b")) {
            sustainedRate(clients, server.port());
            rawProduceRate(log + ".raw-rate");
          }
        } finally {
          server.close();
        }
      }
      if (parts.contains("c") || parts.contains("d")) {
        heapAndRestart();
      }
    } finally {
      clients.close().await(30, TimeUnit.SECONDS);
      if (kafka != null) {
        kafka.close();
        Folders.deleteRecursively(dataDir);
      }
    }
    print();
    return 0;
  }

  private DiscoveryConfig config(String log, String instance) {
    return DiscoveryConfig.defaults(bootstrap, instance)
        .withPorts("127.0.0.1", 0, -1)
        .withTopics(log, 6)
        .withGc(Duration.ofMinutes(1), Duration.ofMinutes(1))
        .withRateLimit(1e9, 1_000_000_000) // every client is 127.0.0.1
        .withAddressLimits(new io.spanlog.discovery.rpc.AddressCaps.Limits(1_000_000, 1_000_000, 256));
  }

  // ---- (a) Watch fan-out vs raw Kafka

  private void watchLatency(Vertx vertx, DiscoveryServer server, String log) throws Exception {
    int port = server.port();
    long[] kafka = rawKafkaLatency(log + ".raw");
    row("raw Kafka produce→consume @ " + rate + "/s (acks=all, linger 0)", kafka.length + " records", Percentiles.p50p99max(kafka));

    SocketAddress address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    String cluster = "bench-watch";
    int total = rate * (seconds + 2);
    int warmup = rate * 2;
    long[] sentAt = new long[total];
    AtomicLongArray lastArrival = new AtomicLongArray(total);
    AtomicInteger[] arrivals = new AtomicInteger[total];
    Arrays.setAll(arrivals, i -> new AtomicInteger());
    CountDownLatch subscribed = new CountDownLatch(watchers);
    AtomicInteger broken = new AtomicInteger();
    Map<String, Integer> endings = new java.util.concurrent.ConcurrentHashMap<>();
    List<GrpcClient> connections = new ArrayList<>();
    for (int w = 0; w < watchers; w++) {
      if (w % WATCHERS_PER_CONNECTION == 0) {
        connections.add(GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)));
      }
      GrpcClient c = connections.get(connections.size() - 1);
      boolean[] first = {true};
      c.request(address, ClusterGrpcClient.Watch).compose(req -> {
        req.end(WatchRequest.newBuilder().setClusterId(cluster).build());
        return req.response();
      }).onSuccess(resp -> {
        resp.handler(m -> {
          if (first[0]) {
            first[0] = false;
            subscribed.countDown();
            return;
          }
          long now = System.nanoTime();
          int seq = sequenceOf(m);
          if (seq >= 0 && seq < total) {
            arrivals[seq].incrementAndGet();
            lastArrival.accumulateAndGet(seq, now, Math::max);
          }
        });
        resp.endHandler(v -> {
          broken.incrementAndGet();
          endings.merge(resp.status() + " " + resp.statusMessage(), 1, Integer::sum);
        });
        resp.exceptionHandler(e -> endings.merge(e.toString(), 1, Integer::sum));
      }).onFailure(e -> {
        broken.incrementAndGet();
        endings.merge(e.toString(), 1, Integer::sum);
      });
    }
    if (!subscribed.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + (watchers - subscribed.getCount()) + " of " + watchers + " watchers got their snapshot");
    }

    // where the time goes, same run: the service's own clock points, keyed like the watchers' arrivals
    AtomicLongArray appliedAt = new AtomicLongArray(total);
    AtomicLongArray lastWrittenAt = new AtomicLongArray(total);
    fanoutProbe.set((change, streams, applied, lastWritten) -> {
      int seq = sequenceOf(change);
      if (seq >= 0 && seq < total && streams == watchers) {
        appliedAt.set(seq, applied);
        lastWrittenAt.set(seq, lastWritten);
      }
    });

    GrpcClient writer = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    // JIT warm-up of the whole path (write, fold, fan-out), unmeasured: sequence numbers past the run's
    for (int i = 0; i < warmupUpdates; i++) {
      send(writer, address, update(cluster, "warm-" + (i % 10), Integer.MAX_VALUE - i)).await(60, TimeUnit.SECONDS);
    }
    long[] ack = new long[total];
    CountDownLatch acked = new CountDownLatch(total);
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    for (int seq = 0; seq < total; seq++) {
      long due = start + seq * interval;
      while (System.nanoTime() < due) {
        LockSupport.parkNanos(due - System.nanoTime());
      }
      int s = seq;
      AffiliateUpdateRequest r = update(cluster, "writer-" + (seq % 10), seq);
      sentAt[seq] = System.nanoTime();
      vertx.runOnContext(v -> send(writer, address, r).onComplete(ar -> {
        ack[s] = System.nanoTime() - sentAt[s];
        acked.countDown();
      }));
    }
    acked.await(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && arrivals[total - 1].get() < watchers - broken.get()) {
      Thread.sleep(50);
    }
    Thread.sleep(200);
    long[] everyWatcher = new long[total - warmup];
    int complete = 0;
    for (int seq = warmup; seq < total; seq++) {
      if (arrivals[seq].get() >= watchers - broken.get()) {
        everyWatcher[complete++] = lastArrival.get(seq) - sentAt[seq];
      }
    }
    long[] all = Arrays.copyOf(everyWatcher, complete);
    long[] toApplied = new long[total - warmup];
    long[] toLastWrite = new long[total - warmup];
    long[] toReceived = new long[total - warmup];
    int split = 0;
    for (int seq = warmup; seq < total; seq++) {
      if (arrivals[seq].get() >= watchers - broken.get() && lastWrittenAt.get(seq) != 0) {
        toApplied[split] = appliedAt.get(seq) - sentAt[seq];
        toLastWrite[split] = lastWrittenAt.get(seq) - appliedAt.get(seq);
        toReceived[split] = lastArrival.get(seq) - lastWrittenAt.get(seq);
        split++;
      }
    }
    fanoutProbe.set(FanoutListener.NONE);
    row("AffiliateUpdate acknowledged (read-your-writes)", (total - warmup) + " updates", Percentiles.p50p99max(Arrays.copyOfRange(ack, warmup, total)));
    long[] watch = Percentiles.p50p99max(all);
    row("AffiliateUpdate sent → received by all " + watchers + " watchers @ " + rate + "/s",
        complete + " of " + (total - warmup) + " complete", watch);
    row("  of which: sent → applied by the projection (RPC, Kafka, consume)", split + " updates", Percentiles.p50p99max(Arrays.copyOf(toApplied, split)));
    row("  of which: applied → last of " + watchers + " stream writes completed (server)", split + " updates", Percentiles.p50p99max(Arrays.copyOf(toLastWrite, split)));
    row("  of which: last write completed → last watcher received (client side)", split + " updates", Percentiles.p50p99max(Arrays.copyOf(toReceived, split)));
    if (!endings.isEmpty()) {
      rows.add(new String[] {"  Watch streams that ended during the run: " + endings, "", "", "", ""});
    }
    long[] k = Percentiles.p50p99max(kafka);
    rows.add(new String[] {"ratio watch / raw Kafka (goal ≤ 2×; p99 ≤ 50 ms)", "",
        String.format("%.1f×", (double) watch[0] / k[0]), String.format("%.1f×", (double) watch[1] / k[1]),
        String.format("%.1f×", (double) watch[2] / k[2])});
    writer.close();
    for (GrpcClient c : connections) {
      c.close();
    }
  }

  private long[] rawKafkaLatency(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    int total = rate * (seconds + 2);
    int warmup = rate * 2;
    long[] latency = new long[total];
    AtomicInteger received = new AtomicInteger();
    AtomicBoolean ready = new AtomicBoolean();
    Thread consumer = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig())) {
        TopicPartition tp = new TopicPartition(topic, 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        c.position(tp);
        ready.set(true);
        while (received.get() < total) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
            ByteBuffer b = ByteBuffer.wrap(r.value());
            int seq = b.getInt();
            if (seq >= 0) {
              latency[seq] = System.nanoTime() - b.getLong();
              received.incrementAndGet();
            }
          }
        }
      }
    }, "bench-raw-consumer");
    consumer.setDaemon(true);
    consumer.start();
    while (!ready.get()) {
      Thread.sleep(10);
    }
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerConfig())) {
      byte[] key = "bench-watch".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < warmupUpdates; i++) { // JIT warm-up, as for the watch path
        ByteBuffer v = ByteBuffer.allocate(PAYLOAD_BYTES);
        v.putInt(-1).putLong(System.nanoTime());
        p.send(new ProducerRecord<>(topic, key, v.array())).get();
      }
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      for (int seq = 0; seq < total; seq++) {
        long due = start + seq * interval;
        while (System.nanoTime() < due) {
          LockSupport.parkNanos(due - System.nanoTime());
        }
        ByteBuffer v = ByteBuffer.allocate(PAYLOAD_BYTES);
        v.putInt(seq).putLong(System.nanoTime());
        p.send(new ProducerRecord<>(topic, key, v.array()));
      }
      p.flush();
    }
    consumer.join(TimeUnit.SECONDS.toMillis(60));
    return Arrays.copyOfRange(latency, warmup, total);
  }

  // ---- (b) sustained AffiliateUpdate rate

  private void sustainedRate(Vertx vertx, int port) throws Exception {
    SocketAddress address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    List<GrpcClient> connections = new ArrayList<>();
    for (int i = 0; i < Math.max(1, inFlight / WATCHERS_PER_CONNECTION); i++) {
      connections.add(GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)));
    }
    // JIT warm-up of the write path, unmeasured, on other clusters: half as long as the run (a
    // shorter one left the JIT compiler threads using more CPU than the service in the measured part)
    sustainRound(vertx, connections, address, Math.max(1, updates / 2), "warm-rate-");
    java.util.Set<Long> clientThreads = eventLoopThreads(vertx);
    Map<Long, Long> threads0 = threadCpu();
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    SustainRound r = sustainRound(vertx, connections, address, updates, "rate-");
    double secondsTaken = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpu0;
    Map<String, Long> split = cpuSplit(threads0, threadCpu(), clientThreads, cpu);
    serviceRate = updates / secondsTaken;
    row(String.format("sustained AffiliateUpdate, %d clusters × %d affiliates, %d in flight", clusters, affiliatesPerCluster, inFlight),
        String.format("%,d updates, %,.0f/s, %.0f µs CPU each%s", updates, serviceRate, cpu / 1e3 / updates,
            r.failed > 0 ? ", " + r.failed + " failed" : ""),
        Percentiles.p50p99max(r.latency));
    StringBuilder where = new StringBuilder();
    split.forEach((group, nanos) -> where.append(String.format("%s%s %.0f", where.length() == 0 ? "" : ", ", group, nanos / 1e3 / updates)));
    rows.add(new String[] {"  CPU µs per update by thread: " + where, "", "", "", ""});
    System.out.println("bench: " + rows.get(rows.size() - 1)[0]);
    for (GrpcClient c : connections) {
      c.close();
    }
  }

  /** The threads of {@code vertx}'s event loops (here: the benchmark's clients), started if they were not. */
  private static java.util.Set<Long> eventLoopThreads(Vertx vertx) throws Exception {
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (io.netty.util.concurrent.EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      ids.add(loop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS));
    }
    return ids;
  }

  private static Map<Long, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      long t = mx.getThreadCpuTime(id);
      if (t >= 0) {
        cpu.put(id, t);
      }
    }
    return cpu;
  }

  /**
   * Where the CPU of a measured round went, by thread: the benchmark's gRPC clients, the service's
   * event loops (gRPC), its projection, its producer (appender and network thread), the broker,
   * and what no Java thread accounts for (JIT compiler, GC).
   */
  private static Map<String, Long> cpuSplit(Map<Long, Long> before, Map<Long, Long> after, java.util.Set<Long> clientThreads, long processCpu) {
    Map<String, Long> split = new java.util.LinkedHashMap<>();
    for (String g : List.of("clients", "service gRPC", "service projection", "service producer", "broker", "other threads")) {
      split.put(g, 0L);
    }
    long accounted = 0;
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
      String name = info == null ? "" : info.getThreadName();
      String group;
      if (clientThreads.contains(e.getKey())) {
        group = "clients";
      } else if (name.startsWith("vert.x-eventloop")) {
        group = "service gRPC";
      } else if (name.startsWith("discovery-projection")) {
        group = "service projection";
      } else if (name.startsWith("append-") || name.startsWith("kafka-producer-network-thread | bench")) {
        group = "service producer";
      } else if (name.startsWith("data-plane") || name.startsWith("kafka-") || name.startsWith("quorum") || name.startsWith("broker-")
          || name.startsWith("ExpirationReaper") || name.startsWith("executor-") || name.startsWith("group-coordinator")) {
        group = "broker";
      } else {
        group = "other threads";
      }
      split.merge(group, used, Long::sum);
      accounted += used;
    }
    split.put("JVM (JIT, GC)", Math.max(0, processCpu - accounted));
    return split;
  }

  /** What this JVM (broker, service and clients) spent on CPU so far. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private double serviceRate;

  private record SustainRound(long[] latency, int failed) {}

  private SustainRound sustainRound(Vertx vertx, List<GrpcClient> connections, SocketAddress address, int count, String clusterPrefix) throws Exception {
    long[] latency = new long[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    for (int w = 0; w < inFlight; w++) {
      GrpcClient c = connections.get(w % connections.size());
      vertx.runOnContext(v -> sustain(c, address, clusterPrefix, count, next, latency, failed, done));
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("sustained run did not finish in 10 minutes");
    }
    return new SustainRound(latency, failed.get());
  }

  /**
   * The baseline of (b), same run: records of the size the service writes for these updates (its
   * envelope of the same AffiliateUpdated), keyed by the same cluster ids, on a topic of as many
   * partitions, with the service's producer settings (idempotent, acks=all, linger 0, lz4) and at
   * most as many unacknowledged as the clients keep in flight: Kafka alone at the same concurrency.
   */
  private void rawProduceRate(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    byte[][] keys = new byte[clusters][];
    byte[][] values = new byte[clusters * affiliatesPerCluster][];
    for (int i = 0; i < values.length; i++) {
      String cluster = "rate-" + (i % clusters);
      String affiliate = "node-" + ((i / clusters) % affiliatesPerCluster);
      keys[i % clusters] = cluster.getBytes(StandardCharsets.UTF_8);
      AffiliateUpdateRequest r = update(cluster, affiliate, i);
      values[i] = EventCodec.encode(Envelope.of(cluster, affiliate, Instant.now(), "discovery-projector@bench",
          new AffiliateUpdated(affiliate, Optional.of(Blob.of(r.getAffiliateData().toByteArray())),
              List.of(Blob.of(r.getAffiliateEndpoints(0).toByteArray())), Duration.ofSeconds(1800), Optional.of("127.0.0.1"))));
    }
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(inFlight);
    AtomicInteger failed = new AtomicInteger();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(io.spanlog.discovery.log.KafkaSettings.producer(bootstrap, "bench-raw-rate"))) {
      for (int round = 0; round < 2; round++) { // the first, half as long, warms up
        int count = round == 0 ? Math.max(1, updates / 2) : updates;
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          window.acquire();
          p.send(new ProducerRecord<>(topic, keys[i % clusters], values[i % values.length]), (m, e) -> {
            if (e != null) {
              failed.incrementAndGet();
            }
            window.release();
          });
        }
        p.flush();
        double secondsTaken = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpu0;
        if (round == 1) {
          double rate = count / secondsTaken;
          rows.add(new String[] {String.format("raw Kafka produce, same records (%d B), same settings, %d in flight", values[0].length, inFlight),
              String.format("%,d records, %,.0f/s, %.0f µs CPU each%s", count, rate, cpu / 1e3 / count, failed.get() > 0 ? ", " + failed.get() + " failed" : ""),
              "", "", ""});
          rows.add(new String[] {"ratio sustained AffiliateUpdate / raw Kafka produce (goal: ≥ 20,000/s)", "",
              String.format("%.2f", serviceRate / rate), "", ""});
          System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 2)));
        }
      }
    }
  }

  private void sustain(GrpcClient c, SocketAddress address, String clusterPrefix, int count, AtomicInteger next, long[] latency,
      AtomicInteger failed, CountDownLatch done) {
    int i = next.getAndIncrement();
    if (i >= count) {
      return;
    }
    String cluster = clusterPrefix + (i % clusters);
    String affiliate = "node-" + ((i / clusters) % affiliatesPerCluster);
    long t0 = System.nanoTime();
    send(c, address, update(cluster, affiliate, i)).onComplete(ar -> {
      latency[i] = System.nanoTime() - t0;
      if (ar.failed() || ar.result() != GrpcStatus.OK) {
        failed.incrementAndGet();
      }
      done.countDown();
      sustain(c, address, clusterPrefix, count, next, latency, failed, done);
    });
  }

  // ---- (c) heap per affiliate and (d) restart to serving

  private void heapAndRestart() throws Exception {
    String empty = "bench-empty-" + UUID.randomUUID().toString().substring(0, 8);
    String loaded = "bench-heap-" + UUID.randomUUID().toString().substring(0, 8);
    long baseline;
    long emptyStart = System.nanoTime();
    try (DiscoveryServer idle = DiscoveryServer.start(config(empty, "bench-empty"))) {
      long emptyNanos = System.nanoTime() - emptyStart;
      if (parts.contains("d")) {
        row("start to serving, empty log (first start in this JVM: cold classes)", "", new long[] {emptyNanos, -1, -1});
      }
      baseline = retainedHeap();
    }
    DiscoveryConfig cfg = config(loaded, "bench-heap");
    cfg.topics().ensure(bootstrap, cfg.partitions());
    long t0 = System.nanoTime();
    load(cfg.topics().events(), heapAffiliates);
    row(String.format("load %,d AffiliateUpdated events straight into the log", (long) heapAffiliates * eventsPerAffiliate),
        String.format("%,d affiliates × %d refreshes", heapAffiliates, eventsPerAffiliate), new long[] {System.nanoTime() - t0, -1, -1});

    // full replay: the same events, no snapshots (a fresh snapshot topic)
    DiscoveryTopics noSnapshots = new DiscoveryTopics(cfg.topics().events(), loaded + ".snapshots-none",
        cfg.topics().deadLetter(), cfg.topics().telemetry(), cfg.topics().checkpoints());
    noSnapshots.ensure(bootstrap, cfg.partitions());
    long replayStart = System.nanoTime();
    DiscoveryServer replayed = DiscoveryServer.start(cfg.withTopicNames(noSnapshots, loaded + ".gc-replay"));
    long replayNanos = System.nanoTime() - replayStart;
    long full = retainedHeap();
    replayed.close();
    if (parts.contains("c")) {
      rows.add(new String[] {String.format("retained heap with %,d affiliates (after GC, minus an idle instance)", heapAffiliates),
          String.format("%,d bytes per affiliate", (full - baseline) / heapAffiliates),
          String.format("%,d MB", (full - baseline) >> 20), "", ""});
    }
    if (parts.contains("d")) {
      // the owner of each partition writes its snapshot on a graceful stop
      DiscoveryServer writer = DiscoveryServer.start(cfg);
      long owned = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (writer.ownedPartitions().size() < cfg.partitions() && System.nanoTime() < owned) {
        Thread.sleep(100);
      }
      writer.close();
      long snapStart = System.nanoTime();
      DiscoveryServer fromSnapshots = DiscoveryServer.start(cfg);
      long snapNanos = System.nanoTime() - snapStart;
      int restored = fromSnapshots.snapshotsLoaded();
      fromSnapshots.close();
      if (restored == 0) {
        throw new IllegalStateException("the restart found no snapshot to start from");
      }
      row(String.format("restart to serving, %,d affiliates, full replay", heapAffiliates),
          String.format("%,d events", (long) heapAffiliates * eventsPerAffiliate), new long[] {replayNanos, -1, -1});
      row(String.format("restart to serving, %,d affiliates, from snapshots", heapAffiliates),
          restored + " of " + cfg.partitions() + " partitions from snapshots", new long[] {snapNanos, -1, -1});
    }
  }

  private void load(String topic, int count) throws Exception {
    byte[] data = new byte[PAYLOAD_BYTES];
    Arrays.fill(data, (byte) 7);
    Instant now = Instant.now();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerConfig())) {
      for (long n = 0; n < (long) count * eventsPerAffiliate; n++) {
        int i = (int) (n % count);
        data[0] = (byte) (n / count); // each refresh brings new data, as a changed node would
        String cluster = "heap-" + (i / 10);
        String affiliate = "node-" + i;
        byte[] v4 = ByteBuffer.allocate(16).putInt(i).array();
        byte[] v6 = ByteBuffer.allocate(32).putInt(i).putInt(1).array();
        Envelope e = Envelope.of(cluster, affiliate, now, "bench", new AffiliateUpdated(affiliate, Optional.of(Blob.of(data)),
            List.of(Blob.of(v4), Blob.of(v6)), Duration.ofMinutes(30), Optional.of("192.0.2.1")));
        p.send(new ProducerRecord<>(topic, cluster.getBytes(StandardCharsets.UTF_8), EventCodec.encode(e)));
      }
      p.flush();
    }
  }

  private static long retainedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  // ---- plumbing

  private static AffiliateUpdateRequest update(String cluster, String affiliate, int seq) {
    byte[] data = new byte[PAYLOAD_BYTES];
    ByteBuffer.wrap(data).putInt(seq);
    return AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
        .setAffiliateData(ByteString.copyFrom(data))
        // one endpoint per affiliate, the same at every refresh (an affiliate holds at most 64)
        .addAffiliateEndpoints(ByteString.copyFrom(ByteBuffer.allocate(16).putInt(affiliate.hashCode()).array()))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build();
  }

  private static int sequenceOf(WatchResponse m) {
    if (m.getDeleted() || m.getAffiliatesCount() != 1 || m.getAffiliates(0).getData().size() < 4) {
      return -1;
    }
    return m.getAffiliates(0).getData().asReadOnlyByteBuffer().getInt();
  }

  private static Future<GrpcStatus> send(GrpcClient c, SocketAddress address, AffiliateUpdateRequest r) {
    return c.request(address, ClusterGrpcClient.AffiliateUpdate).compose(req -> {
      req.timeout(60, TimeUnit.SECONDS);
      return req.send(r).compose(resp -> resp.last().map(v -> resp.status()));
    });
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return c;
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  private void row(String what, String detail, long[] p) {
    rows.add(new String[] {what, detail, ms(p[0]), ms(p[1]), ms(p[2])});
    System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 1)));
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "" : String.format("%.1f ms", nanos / 1e6);
  }

  private void print() {
    String format = "| %-72s | %-34s | %10s | %10s | %10s |%n";
    System.out.println();
    System.out.printf(format, "what", "detail", "p50 / value", "p99", "max");
    System.out.printf(format, "-".repeat(72), "-".repeat(34), "-".repeat(10), "-".repeat(10), "-".repeat(10));
    for (String[] r : rows) {
      System.out.printf(format, (Object[]) r);
    }
    System.out.printf("%nJVM: %s, %d CPUs, max heap %d MB%n", System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
  }
}
