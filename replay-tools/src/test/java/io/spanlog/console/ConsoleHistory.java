package io.spanlog.console;

import io.spanlog.console.server.BasicAuth;
import io.spanlog.console.server.ConsoleServer;
import io.spanlog.ctl.ObserverAddress;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.NodeReportingAgain;
import io.spanlog.events.NodeSilent;
import io.spanlog.events.PeerState;
import io.spanlog.history.RecordedHistory;
import io.spanlog.history.read.LogAccess;
import io.spanlog.kafka.KafkaClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A recorded history for the console's tests: a real discovery service on the test broker with
 * three nodes in a cluster (and one node in a second cluster whose id has a '/'), link events as
 * the endpoint observer writes them (all four links of nodes 1-3 up), and a console on a free port.
 */
final class ConsoleHistory implements AutoCloseable {
  final RecordedHistory h;
  final String slashCluster;
  final Instant allUp;
  ConsoleServer console;

  ConsoleHistory() throws Exception {
    h = new RecordedHistory();
    slashCluster = "team/" + h.cluster;
    h.update(h.cluster, 1, h.data(1, "host-1"), h.endpoint("10.0.0.1", 51820));
    h.update(h.cluster, 2, h.data(2, "host-2"), h.endpoint("10.0.0.2", 51820));
    h.update(h.cluster, 3, h.data(3, "host-3"), h.endpoint("10.0.0.3", 51820));
    h.update(slashCluster, 1, h.data(1, "host-s1"), h.endpoint("10.0.1.1", 51820));
    try (Admin admin = h.kafka.newAdmin()) {
      admin.createTopics(List.of(new NewTopic(h.prefix + ".link-events", 3, (short) 1),
          new NewTopic(h.prefix + ".link-metrics", 3, (short) 1))).all().get();
    }
    link(h.cluster, 1, 2, PeerState.UP);
    link(h.cluster, 2, 1, PeerState.UP);
    link(h.cluster, 1, 3, PeerState.UP);
    link(h.cluster, 3, 1, PeerState.UP);
    link(slashCluster, 1, 2, PeerState.UP);
    allUp = Instant.now();
    Thread.sleep(20); // later records are stamped after allUp
  }

  /** Appends one link event node → peer, as the endpoint observer writes it. */
  void link(String cluster, int node, int peer, PeerState to) throws Exception {
    Instant now = Instant.now();
    PeerState from = to == PeerState.UP ? PeerState.UNKNOWN : PeerState.UP;
    LinkStateChanged change = new LinkStateChanged("node-" + node, h.publicKey(node), h.publicKey(peer), "node-" + peer,
        from, to, Optional.of("10.0.0." + peer + ":51820"), EndpointSource.ADVERTISED,
        to == PeerState.UP ? "handshake 2 s ago" : "no handshake for 275 s", now.minusSeconds(60), true,
        now.minusSeconds(5), now, Duration.ofSeconds(60));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
      p.send(new ProducerRecord<>(h.prefix + ".link-events", cluster.getBytes(StandardCharsets.UTF_8),
          EventCodec.encode(Envelope.of(cluster, "node-" + node + "/node-" + peer, now, "test", change)))).get();
    }
  }

  /** Appends a link's RX/TX window node → peer to the link metrics topic, as the endpoint observer writes it (record time: its end). */
  void metrics(String cluster, int node, int peer, Instant from, Instant to, double rxPerSecond, double txPerSecond)
      throws Exception {
    double seconds = Duration.between(from, to).toMillis() / 1000.0;
    LinkMetricsWindow w = new LinkMetricsWindow("node-" + node, h.publicKey(node), h.publicKey(peer), "node-" + peer, from, to,
        (long) (rxPerSecond * seconds), (long) (txPerSecond * seconds), rxPerSecond, txPerSecond, 6, 0, 0);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
      p.send(new ProducerRecord<>(h.prefix + ".link-metrics", null, to.toEpochMilli(), cluster.getBytes(StandardCharsets.UTF_8),
          EventCodec.encode(Envelope.of(cluster, "node-" + node + "/node-" + peer, to, "test", w)))).get();
    }
  }

  /** Appends node.silent (or, {@code back}, node.reporting-again) for a node, as the endpoint observer writes it. */
  void silent(String cluster, int node, boolean back) throws Exception {
    Instant now = Instant.now();
    io.spanlog.events.Event fact = back
        ? new NodeReportingAgain("node-" + node, h.publicKey(node), now.minusSeconds(120), now, Duration.ofSeconds(120),
            now.minusSeconds(121), now.minusSeconds(90), Duration.ofSeconds(31), false)
        : new NodeSilent("node-" + node, h.publicKey(node), now.minusSeconds(95), now.minusSeconds(96), true, now,
            Duration.ofSeconds(90));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
      p.send(new ProducerRecord<>(h.prefix + ".link-events", cluster.getBytes(StandardCharsets.UTF_8),
          EventCodec.encode(Envelope.of(cluster, "node-" + node, now, "test", fact)))).get();
    }
  }

  /** A console on 127.0.0.1 and a free port, with the secret of the main cluster (not the other's). */
  ConsoleServer start(Optional<BasicAuth> auth) throws Exception {
    return start(auth, Optional.empty());
  }

  /** The same, asking the endpoint observer at {@code observer} for the view of now. */
  ConsoleServer start(Optional<BasicAuth> auth, Optional<ObserverAddress> observer) throws Exception {
    console = another(auth, observer);
    return console;
  }

  /** One more console over this history (the caller closes it). */
  ConsoleServer another(Optional<ObserverAddress> observer) throws Exception {
    return another(Optional.empty(), observer);
  }

  private ConsoleServer another(Optional<BasicAuth> auth, Optional<ObserverAddress> observer) throws Exception {
    LogAccess access = LogAccess.of(h.kafka.bootstrapServers(), KafkaClientConfig.NONE);
    return ConsoleServer.start(new ConsoleServer.Config("127.0.0.1", 0, access, h.prefix + ".events",
        h.prefix + ".checkpoints", h.prefix + ".link-events", h.prefix + ".telemetry", h.prefix + ".link-metrics",
        c -> c.equals(h.cluster) ? Optional.of(h.secret) : Optional.empty(), auth, Clock.systemUTC(), observer));
  }

  @Override
  public void close() {
    if (console != null) {
      console.close();
    }
    h.close();
  }
}
