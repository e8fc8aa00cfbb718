package io.spanlog.observer.topology;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.kafka.EnvelopeDeserializer;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.intake.BatchOpener;
import io.spanlog.observer.intake.PlaintextBatchOpener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The observer's topology on a {@link TopologyTestDriver}, fed and read as agents and tools would. */
final class ObserverDriver implements AutoCloseable {
  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> telemetry;
  private final TestInputTopic<byte[], byte[]> discovery;
  private final TestOutputTopic<String, Envelope> events;
  private final TestOutputTopic<String, Envelope> metrics;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final List<Envelope> seenEvents = new ArrayList<>();
  private final List<Envelope> seenMetrics = new ArrayList<>();

  ObserverDriver(ObserverSettings settings) {
    this(settings, new PlaintextBatchOpener());
  }

  ObserverDriver(ObserverSettings settings, BatchOpener opener) {
    this(settings, opener, cluster -> Optional.empty());
  }

  /** With the cluster secrets that open discovery data (peer-spec drift). */
  ObserverDriver(ObserverSettings settings, BatchOpener opener,
      Function<String, Optional<ClusterSecret>> secrets) {
    try {
      stateDir = Files.createTempDirectory("observer-driver");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "observer-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(
        ObserverTopology.build(settings, opener, ObserverEvents.NONE, secrets), props);
    discovery = driver.createInputTopic(settings.discoveryEventsTopic(),
        new ByteArraySerializer(), new ByteArraySerializer());
    telemetry = driver.createInputTopic(settings.telemetryTopic(), new ByteArraySerializer(),
        new ByteArraySerializer());
    events = driver.createOutputTopic(settings.linkEventsTopic(), new StringDeserializer(),
        new EnvelopeDeserializer());
    metrics = driver.createOutputTopic(settings.linkMetricsTopic(), new StringDeserializer(),
        new EnvelopeDeserializer());
    deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  ObserverDriver() {
    this(ObserverSettings.defaults());
  }

  /** A batch appended when it was sampled (no delay). */
  void report(HandshakeSampleBatch batch) {
    Instant at = batch.sampledAt().orElseThrow();
    report(batch, at);
  }

  void report(HandshakeSampleBatch batch, Instant arrivedAt) {
    send(EventCodec.encode(Fleet.appended(batch, arrivedAt)), arrivedAt);
  }

  /** A discovery event as the discovery service appends it (keyed by its cluster id). */
  void discover(Envelope event) {
    discovery.pipeInput(event.clusterId().getBytes(StandardCharsets.UTF_8),
        EventCodec.encode(event), event.at());
  }

  /** Any bytes on the discovery events topic, under any key. */
  void discoverRaw(String key, byte[] value, Instant appendedAt) {
    discovery.pipeInput(key.getBytes(StandardCharsets.UTF_8), value, appendedAt);
  }

  void send(byte[] value, Instant appendedAt) {
    telemetry.pipeInput(Fleet.CLUSTER.getBytes(StandardCharsets.UTF_8), value, appendedAt);
  }

  /** Every link event so far (keys checked to be the cluster id). */
  List<Envelope> events() {
    drain(events, seenEvents);
    return List.copyOf(seenEvents);
  }

  <T> List<T> events(Class<T> type) {
    return events().stream().map(Envelope::payload).filter(type::isInstance).map(type::cast).toList();
  }

  List<Envelope> metrics() {
    drain(metrics, seenMetrics);
    return List.copyOf(seenMetrics);
  }

  List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  <V> KeyValueStore<String, V> store(String name) {
    return driver.getKeyValueStore(name);
  }

  private static void drain(TestOutputTopic<String, Envelope> topic, List<Envelope> into) {
    for (TestRecord<String, Envelope> r : topic.readRecordsToList()) {
      if (!Fleet.CLUSTER.equals(r.key()) || !Fleet.CLUSTER.equals(r.value().clusterId())) {
        throw new AssertionError("derived record not keyed by its cluster: " + r);
      }
      into.add(r.value());
    }
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
