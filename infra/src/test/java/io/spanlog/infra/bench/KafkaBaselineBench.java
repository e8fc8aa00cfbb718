package io.spanlog.infra.bench;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.kafka.TopicInstaller;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.topics.TopicSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Raw-Kafka baselines on this machine, with the embedded broker and clients in one JVM: the
 * figures later Spanlog benchmarks are divided by. Run with {@code ./spanlog bench kafka}.
 *
 * <p>Records are real event JSON (~200 bytes, distinct event ids), keyed by one of 64 cluster
 * ids, on a 6-partition topic, as Spanlog's own topics are.
 */
public final class KafkaBaselineBench {
  private static final int RECORDS = intProperty("records", 1_000_000);
  private static final int LATENCY_RATE = intProperty("rate", 2_000);
  private static final int LATENCY_SECONDS = intProperty("seconds", 20);
  private static final int WARMUP_SECONDS = 2;
  private static final int PARTITIONS = 6;
  private static final int KEYS = 64;

  private final List<String[]> rows = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    new KafkaBaselineBench().run();
  }

  private void run() throws Exception {
    Path dataDir = TempDirs.create("spanlog-bench-kafka-");
    try {
      int[] ports = FreePorts.pair();
      EmbeddedKafka kafka = EmbeddedKafka.start(new BrokerSettings(ports[0], ports[1], dataDir));
      try {
        row("broker start to ready (in-process, fresh folder)",
            kafka.startupTime().toMillis() + " ms", "format + start + describeCluster answered");
        String bootstrap = kafka.bootstrapServers();
        String throughputTopic = createTopic(bootstrap, "bench.throughput");
        byte[][] values = values(1_000);
        produce(bootstrap, throughputTopic, values);
        consume(bootstrap, throughputTopic);
        latency(bootstrap, createTopic(bootstrap, "bench.latency"));
      } finally {
        kafka.close();
      }
    } finally {
      TempDirs.deleteRecursively(dataDir);
    }
    print();
  }

  private void produce(String bootstrap, String topic, byte[][] values) throws Exception {
    AtomicLong failures = new AtomicLong();
    byte[][] keys = keys();
    long bytes = 0;
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      for (int i = 0; i < RECORDS; i++) {
        byte[] value = values[i % values.length];
        bytes += value.length;
        producer.send(
            new ProducerRecord<>(topic, keys[i % KEYS], value),
            (metadata, error) -> {
              if (error != null) {
                failures.incrementAndGet();
              }
            });
      }
      producer.flush();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " sends failed");
    }
    row(
        "produce " + RECORDS + " x ~" + (bytes / RECORDS) + " B",
        String.format("%,.0f rec/s", RECORDS / seconds),
        String.format(
            "%.1f MB/s; acks=all, idempotent, lz4, linger 5 ms, batch 64 KiB; %.2f s",
            bytes / seconds / 1e6, seconds));
  }

  private void consume(String bootstrap, String topic) {
    Map<String, Object> config = consumerConfig(bootstrap);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    long count = 0;
    long t0 = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (count < RECORDS && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(500)).count();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (count < RECORDS) {
      throw new IllegalStateException("consumed only " + count + " of " + RECORDS);
    }
    row(
        "consume " + RECORDS,
        String.format("%,.0f rec/s", count / seconds),
        String.format("6 partitions assigned, max.poll.records 5000; %.2f s", seconds));
  }

  /** Producer and consumer in one JVM, so System.nanoTime() stamps compare directly. */
  private void latency(String bootstrap, String topic) throws Exception {
    int warmup = LATENCY_RATE * WARMUP_SECONDS;
    int total = warmup + LATENCY_RATE * LATENCY_SECONDS;
    long[] latencies = new long[total];
    AtomicLong received = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();

    Map<String, Object> config = consumerConfig(bootstrap);
    Thread consumerThread =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                  partitions.add(new TopicPartition(topic, p));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (!stop.get()) {
                  ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                  long now = System.nanoTime();
                  for (ConsumerRecord<byte[], byte[]> r : records) {
                    ByteBuffer b = ByteBuffer.wrap(r.value());
                    int seq = b.getInt();
                    latencies[seq] = now - b.getLong();
                    received.incrementAndGet();
                  }
                }
              }
            },
            "latency-consumer");
    consumerThread.start();
    Thread.sleep(2_000); // let the consumer get its partitions before the clock starts

    byte[][] keys = keys();
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / LATENCY_RATE;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + i * intervalNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        ByteBuffer value = ByteBuffer.allocate(200);
        value.putInt(i).putLong(System.nanoTime());
        producer.send(new ProducerRecord<>(topic, keys[i % KEYS], value.array()));
      }
      producer.flush();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() < total && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    stop.set(true);
    consumerThread.join();
    if (received.get() < total) {
      throw new IllegalStateException("latency run received " + received.get() + " of " + total);
    }
    long[] measured = Arrays.copyOfRange(latencies, warmup, total);
    Arrays.sort(measured);
    String what =
        String.format("%,d rec/s for %d s (after %d s warm-up), 200 B, same producer settings",
            LATENCY_RATE, LATENCY_SECONDS, WARMUP_SECONDS);
    row("end-to-end latency p50", millis(percentile(measured, 0.50)), what);
    row("end-to-end latency p99", millis(percentile(measured, 0.99)), "");
    row("end-to-end latency max", millis(measured[measured.length - 1]), "");
  }

  private static String createTopic(String bootstrap, String name) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      new TopicInstaller(admin)
          .install(List.of(new TopicSpec(name, PARTITIONS, Map.of(), "cluster id", "benchmark")));
    }
    return name;
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return c;
  }

  private static Map<String, Object> consumerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  /** Real event JSON of about 200 bytes, each with its own event id. */
  private static byte[][] values(int count) {
    byte[][] values = new byte[count][];
    Instant at = Instant.parse("2026-11-25T10:00:00Z");
    for (int i = 0; i < count; i++) {
      values[i] =
          EventCodec.encode(
              Envelope.of(
                  "cluster-" + (i % KEYS),
                  "node-" + i,
                  at.plusMillis(i),
                  "bench@host",
                  new AffiliateDeleted("node-" + i, Optional.empty())));
    }
    return values;
  }

  private static byte[][] keys() {
    byte[][] keys = new byte[KEYS][];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = ("cluster-" + i).getBytes(StandardCharsets.UTF_8);
    }
    return keys;
  }

  private static long percentile(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  private static String millis(long nanos) {
    return String.format("%.2f ms", nanos / 1e6);
  }

  private static int intProperty(String name, int fallback) {
    return Integer.getInteger("bench." + name, fallback);
  }

  private void row(String what, String figure, String notes) {
    rows.add(new String[] {what, figure, notes});
  }

  private void print() {
    int w0 = "what".length();
    int w1 = "figure".length();
    for (String[] r : rows) {
      w0 = Math.max(w0, r[0].length());
      w1 = Math.max(w1, r[1].length());
    }
    String format = "| %-" + w0 + "s | %" + w1 + "s | %s%n";
    System.out.printf(
        "Kafka baseline: embedded KRaft broker and clients in one JVM, %d cores, Java %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.out.printf(format, "what", "figure", "notes");
    System.out.printf(format, "-".repeat(w0), "-".repeat(w1), "---");
    for (String[] r : rows) {
      System.out.printf(format, r[0], r[1], r[2]);
    }
  }
}
