package io.spanlog.ctl.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.DiscoveryFold;
import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.log.CheckpointStore;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.ownership.CheckpointPolicy;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.infra.Folders;
import io.spanlog.infra.LoopbackPorts;
import io.spanlog.net.Endpoint;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replay figures of a mesh's history on this machine, broker and readers in one JVM: {@code
 * ./spanlog bench history [--events N] [--help]}.
 *
 * <p>Writes a history of {@code --clusters} × {@code --nodes} nodes to the embedded broker's
 * discovery events and telemetry topics, with the record timestamps of the events' times, spread
 * over hours as a real mesh writes it: every node seals a batch of samples of its peers every 30
 * s, refreshes its affiliate every 15 min (half the 30 min TTL, as agents do), and now and then
 * changes an endpoint, whose old value the service's collector expires 30 min later. Then, in the
 * same run, reads it back:
 *
 * <ol>
 *   <li>raw: a plain {@code KafkaConsumer} of both topics, bytes only (the baseline);
 *   <li>decode + fold: the same consumer, every record decoded as an event; discovery events folded
 *       with {@link DiscoveryFold} per cluster, sealed batches opened with the cluster's secret
 *       and kept as each node's latest: what rebuilding the state at an instant does. Once with
 *       the event codec as it is, once with the envelope read the way it was before the one-pass
 *       decoder (a JSON tree, then converted; {@link TreeDecoder}, kept here only);
 *   <li>the discovery service's restart: a fresh instance replaying the events topic from the
 *       start (no snapshot), to serving.
 * </ol>
 */
@Command(name = "bench history", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Replay of a mesh's history: raw Kafka read vs decode+fold (events/s), the discovery service's full-replay restart.")
public final class HistoryBench implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "5000000", description = "events in the history (default ${DEFAULT-VALUE})")
  long events;

  @Option(names = "--clusters", defaultValue = "100", description = "clusters (default ${DEFAULT-VALUE})")
  int clusters;

  @Option(names = "--nodes", defaultValue = "10", description = "nodes per cluster (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--sample-seconds", defaultValue = "30", description = "seconds between a node's sample batches (default ${DEFAULT-VALUE})")
  int sampleSeconds;

  @Option(names = "--refresh-seconds", defaultValue = "900", description = "seconds between a node's affiliate refreshes (default ${DEFAULT-VALUE}: TTL/2)")
  int refreshSeconds;

  @Option(names = "--endpoint-change-hours", defaultValue = "3", description = "mean hours between endpoint changes of a node (default ${DEFAULT-VALUE})")
  double endpointChangeHours;

  @Option(names = "--passes", defaultValue = "2", description = "rounds of raw / decode+fold / old decode+fold, interleaved (default ${DEFAULT-VALUE})")
  int passes;

  @Option(names = "--parts", defaultValue = "rfldesh", description = "r raw, f decode+fold, l the same opening only each node's latest batch, d and e: f and l with databind reading the payloads (as before the hand-written readers), o and t: f and l with the envelope by JSON tree (as before the one-pass decoder), s service restart (hand-written readers and databind, alternating), h ctl history state --at the middle (default ${DEFAULT-VALUE})")
  String parts;

  @Option(names = "--data", description = "broker folder to keep (and reuse on the next run with the same figures); default: a temporary one, deleted")
  Path data;

  private static final int PARTITIONS = 6;
  private static final Duration TTL = Duration.ofMinutes(30);
  private static final int DATA_BYTES = 300; // a Talos affiliate payload, encrypted: a few hundred bytes
  private final List<String[]> rows = new ArrayList<>();
  private boolean sizesShown;
  private final DiscoveryTopics topics = DiscoveryTopics.catalogue();
  private final Map<String, ClusterSecret> secrets = new HashMap<>();
  private long discoveryEvents;
  private long telemetryEvents;

  public static void main(String[] args) {
    System.exit(new CommandLine(new HistoryBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean temporary = data == null;
    Path dir = temporary ? Files.createTempDirectory("spanlog-bench-history-") : data;
    Path kafkaDir = dir.resolve("kafka");
    Path secretsDir = dir.resolve("secrets");
    Path marker = dir.resolve("history.properties");
    boolean reuse = Files.exists(marker) && Files.readString(marker).equals(describe());
    Files.createDirectories(kafkaDir);
    // a kept folder keeps its ports: the KRaft quorum recorded the controller's at formatting
    Path portsFile = dir.resolve("ports");
    if (!Files.exists(portsFile)) {
      Files.writeString(portsFile, LoopbackPorts.free() + " " + LoopbackPorts.free());
    }
    String[] ports = Files.readString(portsFile).trim().split(" ");
    EmbeddedKafka kafka = EmbeddedKafka.start(new BrokerSettings(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]), kafkaDir));
    try {
      String bootstrap = kafka.bootstrapServers();
      makeSecrets(secretsDir, reuse);
      if (reuse) {
        System.out.println("bench: reusing the history in " + dir);
        countRecords(bootstrap);
      } else {
        topics.ensure(bootstrap, PARTITIONS);
        produce(bootstrap);
        checkpoints(bootstrap);
        Files.writeString(marker, describe());
      }
      long eventsBytes = diskBytes(kafkaDir, topics.events());
      long telemetryBytes = diskBytes(kafkaDir, topics.telemetry());
      long bytes = eventsBytes + telemetryBytes;
      rows.add(new String[] {String.format("history: %d clusters × %d nodes, %,d events", clusters, nodes, discoveryEvents + telemetryEvents),
          String.format("%,d discovery events + %,d sealed sample batches", discoveryEvents, telemetryEvents),
          String.format("%,.0f MB on disk", bytes / 1e6), String.format("%,d B/event", bytes / Math.max(1, discoveryEvents + telemetryEvents)), ""});
      rows.add(new String[] {"  on disk (log segments, lz4 batches), " + topics.events(), String.format("%,.0f MB", eventsBytes / 1e6),
          String.format("%,d B/event", eventsBytes / Math.max(1, discoveryEvents)), "", ""});
      rows.add(new String[] {"  on disk (log segments, lz4 batches), " + topics.telemetry(), String.format("%,.0f MB", telemetryBytes / 1e6),
          String.format("%,d B/event", telemetryBytes / Math.max(1, telemetryEvents)), "", ""});
      double raw = 0;
      int rawPasses = 0;
      for (int pass = 0; pass < passes; pass++) {
        if (parts.contains("r")) {
          raw += read(bootstrap, "raw KafkaConsumer, both topics (bytes only)", Mode.RAW, raw / Math.max(1, rawPasses));
          rawPasses++;
        }
        if (parts.contains("f")) {
          read(bootstrap, "decode + fold (event codec as built)", Mode.DECODE_FOLD, raw / Math.max(1, rawPasses));
        }
        if (parts.contains("l")) {
          read(bootstrap, "decode + fold, opening only each node's latest batch", Mode.DECODE_FOLD_LATEST, raw / Math.max(1, rawPasses));
        }
        if (parts.contains("d")) {
          read(bootstrap, "decode + fold, payloads by databind (before this change)", Mode.DATABIND_DECODE_FOLD, raw / Math.max(1, rawPasses));
        }
        if (parts.contains("e")) {
          read(bootstrap, "decode + fold, latest batch only, payloads by databind (before)", Mode.DATABIND_DECODE_FOLD_LATEST, raw / Math.max(1, rawPasses));
        }
        if (parts.contains("o")) {
          read(bootstrap, "decode + fold, envelope by JSON tree (as before)", Mode.TREE_DECODE_FOLD, raw / Math.max(1, rawPasses));
        }
        if (parts.contains("t")) {
          read(bootstrap, "decode + fold, latest batch only, envelope by JSON tree (as before)", Mode.TREE_DECODE_FOLD_LATEST, raw / Math.max(1, rawPasses));
        }
      }
      if (parts.contains("s")) {
        double[] byHand = new double[2];
        double[] byDatabind = new double[2];
        for (int round = 0; round < 2; round++) { // alternating, so neither gains from the other's warm-up alone
          byDatabind[round] = restart(bootstrap, false);
          byHand[round] = restart(bootstrap, true);
        }
        double hand = Math.min(byHand[0], byHand[1]);
        double databind = Math.min(byDatabind[0], byDatabind[1]);
        rows.add(new String[] {"restart: payloads by hand vs by databind (best of 2 each)", "",
            String.format("%.2f× faster", databind / hand), "", ""});
      }
      if (parts.contains("h")) {
        historyState(bootstrap, secretsDir);
      }
    } finally {
      kafka.close();
      if (temporary) {
        Folders.deleteRecursively(dir);
      }
    }
    print();
    return 0;
  }

  private String describe() {
    return String.format("events=%d clusters=%d nodes=%d sample=%d refresh=%d change=%s%n", events, clusters, nodes,
        sampleSeconds, refreshSeconds, endpointChangeHours);
  }

  // ---- the history

  private record Node(String cluster, String id, String name, String publicKey, int index, InetAddress ip) {}

  private record Pending(Instant at, Node node, Blob endpoint) {}

  private void makeSecrets(Path dir, boolean reuse) throws Exception {
    Files.createDirectories(dir);
    Random random = new Random(42); // the same secrets for a reused history
    for (int c = 0; c < clusters; c++) {
      byte[] raw = new byte[ClusterSecret.LENGTH];
      random.nextBytes(raw);
      String cluster = String.format("bench-cluster-%03d", c);
      ClusterSecret secret = ClusterSecret.fromBytes(raw);
      secrets.put(cluster, secret);
      Path file = dir.resolve(cluster + ".yaml");
      if (!reuse || !Files.exists(file)) {
        Files.writeString(file, ClusterSecretFile.render(new ClusterSecretFile.Entry(cluster, secret)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    }
  }

  private void produce(String bootstrap) throws Exception {
    Random random = new Random(1);
    List<Node> all = new ArrayList<>();
    Map<String, AffiliateCrypto> crypto = new HashMap<>();
    Map<String, TelemetrySeal> seals = new HashMap<>();
    for (int c = 0; c < clusters; c++) {
      String cluster = String.format("bench-cluster-%03d", c);
      crypto.put(cluster, new AffiliateCrypto(secrets.get(cluster)));
      seals.put(cluster, new TelemetrySeal(secrets.get(cluster)));
      for (int n = 0; n < nodes; n++) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        byte[] key = new byte[32];
        random.nextBytes(key);
        all.add(new Node(cluster, Base64.getUrlEncoder().withoutPadding().encodeToString(id), "node-" + n,
            Base64.getEncoder().encodeToString(key), all.size(),
            InetAddress.getByAddress(new byte[] {(byte) 198, 51, (byte) c, (byte) (n + 1)})));
      }
    }
    // each node's endpoints: its address on 51820, and a second (NATed) port that changes now and then
    int[] natPort = new int[all.size()];
    Instant[] lastChange = new Instant[all.size()];
    long[] rx = new long[all.size() * nodes];
    long ticks = Math.max(1, events / all.size());
    Instant start = Instant.now().minusSeconds(ticks * sampleSeconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    for (int i = 0; i < all.size(); i++) {
      natPort[i] = 30_000 + random.nextInt(30_000);
      lastChange[i] = start;
    }
    double changePerTick = sampleSeconds / (endpointChangeHours * 3600);
    int refreshTicks = Math.max(1, refreshSeconds / sampleSeconds);
    PriorityQueue<Pending> expiries = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    AtomicLong failures = new AtomicLong();
    long written = 0;
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      for (long tick = 0; written < events; tick++) {
        Instant tickAt = start.plusSeconds(tick * sampleSeconds);
        while (!expiries.isEmpty() && !expiries.peek().at().isAfter(tickAt)) {
          Pending p = expiries.poll();
          send(producer, failures, topics.events(), p.node().cluster(), Envelope.of(p.node().cluster(), p.node().id(), p.at(),
              "discovery-projector@bench", new EndpointsExpired(p.node().id(), p.at(), List.of(p.endpoint()))));
          written++;
          discoveryEvents++;
        }
        for (Node node : all) {
          if (written >= events) {
            break;
          }
          Instant at = tickAt.plusMillis((node.index() * 7919L) % (sampleSeconds * 1000L));
          AffiliateCrypto cc = crypto.get(node.cluster());
          boolean change = tick > 0 && random.nextDouble() < changePerTick;
          if (change || tick % refreshTicks == node.index() % refreshTicks) {
            Blob old = Blob.of(cc.encryptEndpoint(new Endpoint(node.ip(), natPort[node.index()])));
            if (change) {
              natPort[node.index()] = 30_000 + random.nextInt(30_000);
              lastChange[node.index()] = at;
              expiries.add(new Pending(at.plus(TTL).plusSeconds(30), node, old));
            }
            send(producer, failures, topics.events(), node.cluster(), Envelope.of(node.cluster(), node.id(), at,
                "discovery-projector@bench", refresh(cc, node, natPort[node.index()])));
            written++;
            discoveryEvents++;
          }
          HandshakeSampleBatch batch = batch(node, all, at, natPort, lastChange, rx, random);
          SealedSampleBatch sealed = seals.get(node.cluster()).seal(node.cluster(), batch);
          send(producer, failures, topics.telemetry(), node.cluster(),
              Envelope.of(node.cluster(), node.publicKey(), at.plusMillis(40), "discovery-projector@bench", sealed));
          written++;
          telemetryEvents++;
        }
        if (tick % 500 == 0) {
          System.out.printf("bench: written %,d events, up to %s%n", written, tickAt);
        }
      }
      producer.flush();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " sends failed");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    rows.add(new String[] {"write the history (generate, seal, produce; acks=all, lz4)", String.format("%,.0f events/s", written / seconds),
        String.format("%.1f s", seconds), "", ""});
  }

  private AffiliateUpdated refresh(AffiliateCrypto crypto, Node node, int natPort) throws Exception {
    byte[] addr = node.ip().getAddress();
    InetAddress overlay = InetAddress.getByName("fd7a:115c:a1e0:ab12:4843:cd96:62" + String.format("%02x:%04x", addr[2] & 0xff, node.index()));
    DecodedAffiliate affiliate = new DecodedAffiliate(node.id(), List.of(node.ip(), overlay), node.name() + ".bench", node.name(),
        "worker", "Talos (v1.11.5)", Optional.of(new KubeSpanInfo(node.publicKey(), overlay, List.of(), List.of())));
    byte[] data = crypto.encryptAffiliate(affiliate);
    return new AffiliateUpdated(node.id(), Optional.of(Blob.of(data)),
        List.of(Blob.of(crypto.encryptEndpoint(new Endpoint(node.ip(), 51820))),
            Blob.of(crypto.encryptEndpoint(new Endpoint(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, (byte) (node.index() % 250 + 1)}), natPort)))),
        TTL, Optional.of("203.0.113." + (node.index() % 250 + 1)));
  }

  private HandshakeSampleBatch batch(Node node, List<Node> all, Instant at, int[] natPort, Instant[] lastChange, long[] rx, Random random) {
    List<PeerSample> peers = new ArrayList<>(nodes - 1);
    int first = node.index() - node.index() % nodes;
    for (int p = first; p < first + nodes; p++) {
      if (p == node.index()) {
        continue;
      }
      Node peer = all.get(p);
      int slot = node.index() * nodes + (p - first);
      rx[slot] += 20_000 + random.nextInt(400_000);
      long ago = random.nextInt(120);
      peers.add(new PeerSample(peer.publicKey(), peer.name(),
          Optional.of("203.0.113." + (p % 250 + 1) + ":" + natPort[p]), EndpointSource.ADVERTISED, 1, 2,
          Optional.of(lastChange[p]), Optional.of(at.minusSeconds(ago)), rx[slot], rx[slot] / 3 * 2, PeerState.UP,
          "handshake " + ago + " s ago, within 275 s"));
    }
    return new HandshakeSampleBatch(node.name(), node.publicKey(), true, peers, Optional.of(at));
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, AtomicLong failures, String topic, String cluster, Envelope e) {
    producer.send(new ProducerRecord<>(topic, null, e.at().toEpochMilli(), cluster.getBytes(StandardCharsets.UTF_8), EventCodec.encode(e)),
        (metadata, error) -> {
          if (error != null) {
            failures.incrementAndGet();
          }
        });
  }

  private void countRecords(String bootstrap) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(bootstrap))) {
      discoveryEvents = count(c, topics.events());
      telemetryEvents = count(c, topics.telemetry());
    }
  }

  private static long count(KafkaConsumer<byte[], byte[]> c, String topic) {
    List<TopicPartition> parts = partitions(c, topic);
    long n = 0;
    Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
    for (var e : c.endOffsets(parts).entrySet()) {
      n += e.getValue() - begin.get(e.getKey());
    }
    return n;
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c, String topic) {
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
      parts.add(new TopicPartition(topic, p.partition()));
    }
    return parts;
  }

  /** The topic's log segments (the records; not the indexes, which the broker preallocates sparse). */
  private static long diskBytes(Path kafkaDir, String topic) throws Exception {
    long bytes = 0;
    try (Stream<Path> files = Files.walk(kafkaDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String s = f.toString();
        if (Files.isRegularFile(f) && s.endsWith(".log") && f.getParent().getFileName().toString().startsWith(topic + "-")) {
          bytes += Files.size(f);
        }
      }
    }
    return bytes;
  }

  /**
   * The checkpoints a discovery service following this history live would have appended ({@link
   * CheckpointPolicy#DEFAULT}: every 50,000 events or hour of a partition), through the service's
   * own {@link CheckpointStore}, at the events' times.
   */
  private void checkpoints(String bootstrap) throws Exception {
    CheckpointPolicy policy = CheckpointPolicy.DEFAULT;
    Map<Integer, Map<String, ClusterState>> states = new HashMap<>();
    Map<Integer, long[]> last = new HashMap<>(); // offset, epoch ms of the last checkpoint
    Map<Integer, Instant> lastAt = new HashMap<>();
    int written = 0;
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap));
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(bootstrap))) {
      CheckpointStore store = new CheckpointStore(topics.checkpoints(), producer);
      List<TopicPartition> parts = partitions(c, topics.events());
      c.assign(parts);
      c.seekToBeginning(parts);
      long read = 0;
      while (read < discoveryEvents) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          read++;
          Envelope e = EventCodec.decode(r.value());
          Map<String, ClusterState> partition = states.computeIfAbsent(r.partition(), k -> new HashMap<>());
          partition.put(e.clusterId(), DiscoveryFold.apply(partition.getOrDefault(e.clusterId(), ClusterState.EMPTY), e).state());
          long[] l = last.computeIfAbsent(r.partition(), k -> new long[] {-1, e.at().toEpochMilli()});
          if (policy.due(r.offset(), l[0], Duration.ofMillis(e.at().toEpochMilli() - l[1]))) {
            store.write(new PartitionSnapshot(r.partition(), r.offset() + 1, Map.copyOf(partition)), e.at());
            l[0] = r.offset();
            l[1] = e.at().toEpochMilli();
            written++;
          }
          lastAt.put(r.partition(), e.at());
        }
      }
    }
    rows.add(new String[] {"checkpoints a live service would have written (50,000 events or 1 h)", written + " checkpoints",
        String.format("%.1f s", (System.nanoTime() - t0) / 1e9), "", ""});
  }

  /** {@code ctl history state --at} the middle of the history, in this JVM, as an operator runs it. */
  private void historyState(String bootstrap, Path secretsDir) throws Exception {
    Instant first;
    Instant end;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(bootstrap))) {
      List<TopicPartition> parts = partitions(c, topics.telemetry());
      c.assign(List.of(parts.get(0)));
      c.seekToBeginning(List.of(parts.get(0)));
      ConsumerRecord<byte[], byte[]> r0 = null;
      while (r0 == null) {
        var rs = c.poll(Duration.ofMillis(500));
        if (!rs.isEmpty()) {
          r0 = rs.iterator().next();
        }
      }
      first = Instant.ofEpochMilli(r0.timestamp());
      end = Instant.now();
    }
    Instant middle = first.plus(Duration.between(first, end).dividedBy(2));
    String cluster = "bench-cluster-042";
    for (int run = 1; run <= 2; run++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      long t0 = System.nanoTime();
      int code = io.spanlog.ctl.CtlMain.run(new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
          new java.io.PrintStream(err, true, StandardCharsets.UTF_8), "history", "state", "--cluster", cluster,
          "--at", middle.toString(), "--secrets", secretsDir.toString(), "--bootstrap", bootstrap, "-o", "json");
      double seconds = (System.nanoTime() - t0) / 1e9;
      String said = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("rebuilt from")).findFirst()
          .orElse(err.toString(StandardCharsets.UTF_8).strip());
      if (code != 0) {
        throw new IllegalStateException("ctl history state exited " + code + ": " + said);
      }
      rows.add(new String[] {"ctl history state --at the middle (" + middle + "), run " + run + (run == 1 ? ", cold" : ""),
          String.format("%,d bytes of JSON out", out.size()), "", String.format("%.2f s", seconds), ""});
      rows.add(new String[] {"  " + said.replace("spanlog ctl: ", ""), "", "", "", ""});
      System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 2)) + " " + said);
    }
  }

  // ---- reading it back

  private enum Mode {
    RAW, DECODE_FOLD, DECODE_FOLD_LATEST, DATABIND_DECODE_FOLD, DATABIND_DECODE_FOLD_LATEST, TREE_DECODE_FOLD, TREE_DECODE_FOLD_LATEST;

    boolean latestOnly() {
      return this == DECODE_FOLD_LATEST || this == DATABIND_DECODE_FOLD_LATEST || this == TREE_DECODE_FOLD_LATEST;
    }

    boolean databind() {
      return this == DATABIND_DECODE_FOLD || this == DATABIND_DECODE_FOLD_LATEST;
    }
  }

  /** One full read of both topics; returns records/s. */
  private double read(String bootstrap, String what, Mode mode, double raw) {
    Map<String, ClusterState> discovery = new HashMap<>();
    Map<String, HandshakeSampleBatch> latest = new HashMap<>();
    Map<String, Envelope> latestSealed = new HashMap<>();
    Map<String, TelemetrySeal> seals = new HashMap<>();
    secrets.forEach((cluster, secret) -> seals.put(cluster, new TelemetrySeal(secret)));
    long total = discoveryEvents + telemetryEvents;
    long count = 0;
    long bytes = 0;
    long refused = 0;
    Map<String, long[]> perTopic = new HashMap<>(); // records, value bytes
    EventCodec.useHandWrittenReaders(!mode.databind());
    long t0 = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(bootstrap))) {
      List<TopicPartition> parts = new ArrayList<>(partitions(c, topics.events()));
      parts.addAll(partitions(c, topics.telemetry()));
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (count < total && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          count++;
          byte[] value = r.value();
          bytes += value.length;
          if (mode == Mode.RAW) {
            long[] t = perTopic.computeIfAbsent(r.topic(), k -> new long[2]);
            t[0]++;
            t[1] += value.length;
            continue;
          }
          boolean tree = mode == Mode.TREE_DECODE_FOLD || mode == Mode.TREE_DECODE_FOLD_LATEST;
          Envelope e = tree ? TreeDecoder.decode(value) : EventCodec.decode(value);
          Event payload = e.payload();
          if (payload instanceof SealedSampleBatch sealed && mode.latestOnly()) {
            latestSealed.put(sealed.nodePublicKey(), e);
          } else if (payload instanceof SealedSampleBatch sealed) {
            Opening o = seals.get(e.clusterId()).open(e.clusterId(), sealed);
            if (o instanceof Opening.Opened opened) {
              latest.put(sealed.nodePublicKey(), opened.batch());
            } else {
              refused++;
            }
          } else {
            discovery.put(e.clusterId(), DiscoveryFold.apply(discovery.getOrDefault(e.clusterId(), ClusterState.EMPTY), e).state());
          }
        }
      }
    }
    for (Envelope e : latestSealed.values()) { // the state at the end needs each node's latest batch only
      if (seals.get(e.clusterId()).open(e.clusterId(), (SealedSampleBatch) e.payload()) instanceof Opening.Opened opened) {
        latest.put(opened.batch().publicKey(), opened.batch());
      } else {
        refused++;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    EventCodec.useHandWrittenReaders(true);
    if (mode == Mode.RAW && !sizesShown) {
      sizesShown = true;
      perTopic.forEach((topic, t) -> rows.add(new String[] {"  record value size, " + topic,
          String.format("%,d records, %,d bytes", t[0], t[1]), String.format("%,d B/record", t[1] / Math.max(1, t[0])), "", ""}));
    }
    if (count < total) {
      throw new IllegalStateException(what + ": read only " + count + " of " + total + " records");
    }
    if (refused > 0) {
      throw new IllegalStateException(what + ": " + refused + " sealed batches did not open");
    }
    double rate = count / seconds;
    String check = mode == Mode.RAW ? String.format("%,.0f MB/s", bytes / seconds / 1e6)
        : String.format("%d clusters, %,d affiliates, %,d nodes' latest batch", discovery.size(),
            discovery.values().stream().mapToInt(ClusterState::size).sum(), latest.size());
    rows.add(new String[] {what, check, String.format("%,.0f /s", rate), String.format("%.1f s", seconds),
        raw > 0 ? String.format("%.0f %%", 100 * rate / raw) : ""});
    System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 1)));
    return rate;
  }

  /** One restart of a fresh service instance; returns its seconds. */
  private double restart(String bootstrap, boolean handWritten) throws Exception {
    // a fresh snapshot topic: the instance replays the whole events topic; collector and snapshots
    // far off, so it writes nothing into the history while measured
    DiscoveryTopics noSnapshots = new DiscoveryTopics(topics.events(), "bench-history.snapshots-" + System.nanoTime(),
        topics.deadLetter(), topics.telemetry(), "bench-history.checkpoints-" + System.nanoTime());
    DiscoveryConfig cfg = DiscoveryConfig.defaults(bootstrap, "bench-history")
        .withPorts("127.0.0.1", 0, -1)
        .withTopicNames(noSnapshots, "bench-history.gc-" + System.nanoTime())
        .withGc(Duration.ofHours(6), Duration.ofHours(6));
    noSnapshots.ensure(bootstrap, PARTITIONS);
    EventCodec.useHandWrittenReaders(handWritten);
    long t0 = System.nanoTime();
    DiscoveryServer server = DiscoveryServer.start(cfg);
    double seconds = (System.nanoTime() - t0) / 1e9;
    server.close();
    EventCodec.useHandWrittenReaders(true);
    rows.add(new String[] {"discovery service restart (full replay, to serving), payloads by " + (handWritten ? "hand" : "databind (before)"),
        String.format("%,d events", discoveryEvents), String.format("%,.0f /s", discoveryEvents / seconds),
        String.format("%.1f s", seconds), ""});
    System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 1)));
    return seconds;
  }

  /** The settings the bench histories are written with (the console bench's too). */
  public static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return c;
  }

  /** The settings a replay reads with (the discovery service's reader: 5,000 records a poll). */
  public static Map<String, Object> consumerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  private void print() {
    String format = "| %-66s | %-50s | %14s | %10s | %8s |%n";
    System.out.println();
    System.out.printf(format, "what", "detail", "rate / value", "time", "of raw");
    System.out.printf(format, "-".repeat(66), "-".repeat(50), "-".repeat(14), "-".repeat(10), "-".repeat(8));
    for (String[] r : rows) {
      System.out.printf(format, (Object[]) r);
    }
    System.out.printf("%nJVM: %s, %d CPUs, max heap %d MB%n", System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
  }

  /**
   * The envelope read as the codec read it before its one-pass decoder: the whole record as a JSON
   * tree, then converted (valid records only; the bench writes no others). Kept here to measure
   * the difference in the same run, not in the codec.
   */
  static final class TreeDecoder {
    private static final ObjectReader PAYLOAD = EventCodec.mapper().reader()
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    static Envelope decode(byte[] json) {
      try {
        JsonNode root = EventCodec.mapper().readTree(json);
        for (String f : List.of("type", "schema", "id", "cluster", "subject", "at", "producer", "payload")) {
          if (!root.hasNonNull(f)) {
            throw new IllegalStateException("missing " + f);
          }
        }
        EventType type = EventType.byWireName(root.get("type").textValue()).orElseThrow();
        if (root.get("schema").intValue() != type.schema()) {
          throw new IllegalStateException("schema");
        }
        Instant at = Instant.parse(root.get("at").textValue());
        Event payload = PAYLOAD.forType(type.payloadClass()).readValue(root.get("payload"));
        return new Envelope(root.get("id").textValue(), root.get("cluster").textValue(), root.get("subject").textValue(), at,
            root.get("producer").textValue(), payload);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
