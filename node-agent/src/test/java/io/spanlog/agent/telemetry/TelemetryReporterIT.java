package io.spanlog.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.config.TelemetryMode;
import io.spanlog.agent.discovery.SimulatedDiscoveryServer;
import io.spanlog.events.Blob;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import java.util.concurrent.atomic.AtomicInteger;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.telemetry.api.ReportRequest;
import io.spanlog.telemetry.api.ReportResponse;
import io.spanlog.telemetry.api.TelemetryGrpcService;
import io.spanlog.telemetry.api.TelemetryService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.server.GrpcServer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry client over real gRPC sockets: against a fake telemetry server it sends sealed
 * batches that open with the cluster secret, asks first in auto mode, never sends to the public
 * discovery service, and keeps a bounded backlog while the service is down; against the real
 * discovery service its reports land.
 */
class TelemetryReporterIT {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static final String SELF = "U0VMRlNFTEZTRUxGU0VMRlNFTEZTRUxGU0VMRlNFTEY=";
  static final ClusterSecret SECRET = ClusterSecret.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

  private static HandshakeSampleBatch batch() {
    return batch(0, true);
  }

  /** The batch of the pass at second {@code s}, with the discovery reachability it saw. */
  private static HandshakeSampleBatch batch(long s, boolean discoveryReachable) {
    var sample = new PeerSample("UEVFUlBFRVJQRUVSUEVFUlBFRVJQRUVSUEVFUlBFRVI=", "node-2", Optional.of("10.0.0.2:51820"),
        EndpointSource.ADVERTISED, 0, 2, Optional.of(Instant.parse("2026-11-26T00:00:00Z")),
        Optional.of(Instant.parse("2026-11-26T00:00:03Z")), 100 + s, 200 + s, PeerState.UP,
        "handshake since the endpoint change 3 s ago");
    return new HandshakeSampleBatch("node-1", SELF, discoveryReachable, List.of(sample),
        Optional.of(Instant.parse("2026-11-26T00:00:00Z").plusSeconds(s)));
  }

  private static TelemetryReporter.Settings settings(String url, TelemetryMode mode) {
    return new TelemetryReporter.Settings(DiscoveryTarget.parse(url), "c1", SECRET, mode,
        TelemetryReporter.Settings.DEFAULT_BACKLOG);
  }

  /** What a sealed report carries, opened as the observer opens it. */
  private static HandshakeSampleBatch open(ReportRequest r) {
    assertThat(r.getBatchJson().isEmpty()).as("no plaintext").isTrue();
    var sealed = new SealedSampleBatch(r.getNodePublicKey(), r.getSchema(), Blob.of(r.getSealedBatch().toByteArray()));
    Opening o = new TelemetrySeal(SECRET).open(r.getClusterId(), sealed);
    assertThat(o).isInstanceOf(Opening.Opened.class);
    return ((Opening.Opened) o).batch();
  }

  /** A telemetry server that records every request; a probe (no batch) is answered with -1. */
  private static final class FakeTelemetry {
    final List<ReportRequest> probes = new CopyOnWriteArrayList<>();
    final List<ReportRequest> reports = new CopyOnWriteArrayList<>();
    final AtomicInteger httpRequests = new AtomicInteger();
    private final Vertx vertx;
    private final boolean serves;
    private HttpServer server;

    FakeTelemetry(Vertx vertx, boolean serves) {
      this.vertx = vertx;
      this.serves = serves;
    }

    FakeTelemetry listen(int port) {
      GrpcServer grpc = GrpcServer.server(vertx);
      if (serves) {
        grpc.addService(TelemetryGrpcService.of(new TelemetryService() {
          @Override
          public Future<ReportResponse> report(ReportRequest request) {
            if (request.getSealedBatch().isEmpty() && request.getBatchJson().isEmpty()) {
              probes.add(request);
              return Future.succeededFuture(ReportResponse.newBuilder().setOffset(-1).build());
            }
            reports.add(request);
            return Future.succeededFuture(ReportResponse.newBuilder().setOffset(41 + reports.size()).build());
          }
        }));
      }
      server = vertx.createHttpServer().requestHandler(req -> {
        httpRequests.incrementAndGet();
        grpc.handle(req);
      }).listen(port, "127.0.0.1").await();
      return this;
    }

    int port() {
      return server.actualPort();
    }

    void stop() {
      server.close().await();
    }

    List<HandshakeSampleBatch> opened() {
      return reports.stream().map(TelemetryReporterIT::open).toList();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(15, TimeUnit.SECONDS);
  }

  @Test
  void sealsEachBatchForItsClusterAndNodeAfterAskingOnce() throws Exception {
    FakeTelemetry service = new FakeTelemetry(vertx, true).listen(0);
    var reporter = new TelemetryReporter(vertx, settings("http://127.0.0.1:" + service.port(), TelemetryMode.AUTO));

    assertThat(await(reporter.report(batch(0, true)))).contains(42L);
    assertThat(await(reporter.report(batch(30, true)))).contains(43L);

    assertThat(service.probes).as("asked once, with an empty report").singleElement()
        .satisfies(p -> assertThat(p.getClusterId()).isEqualTo("c1"));
    assertThat(service.reports).allSatisfy(r -> {
      assertThat(r.getClusterId()).isEqualTo("c1");
      assertThat(r.getNodePublicKey()).isEqualTo(SELF);
      assertThat(r.getSchema()).isEqualTo(EventType.HANDSHAKE_SAMPLE_BATCH.schema());
      assertThat(r.getSealedBatch().toStringUtf8()).doesNotContain("node-2").doesNotContain("10.0.0.2");
    });
    assertThat(service.opened()).containsExactly(batch(0, true), batch(30, true));
    assertThat(reporter.status()).isEqualTo(new TelemetryReporter.Status(true, "last report at offset 43"));
    reporter.close();
  }

  @Test
  void turnsItselfOffAgainstAServiceWithoutTelemetry() throws Exception {
    // a discovery service that really lacks the telemetry API, as the public one does
    try (var discovery = SimulatedDiscoveryServer.start(vertx)) {
      var reporter = new TelemetryReporter(vertx, settings("http://127.0.0.1:" + discovery.port(), TelemetryMode.AUTO));
      var offset = reporter.report(batch()).await(10, TimeUnit.SECONDS);
      assertThat(offset).isEmpty();
      assertThat(reporter.status().on()).as(reporter.status().detail()).isFalse();
      assertThat(reporter.status().detail()).contains("does not serve spanlog.telemetry.v1.Telemetry");
      assertThat(reporter.report(batch()).await(10, TimeUnit.SECONDS)).isEmpty(); // not even tried
      reporter.close();
    }
  }

  @Test
  void sendsToTheRealDiscoveryServiceWhichServesTelemetry() throws Exception {
    try (RealDiscovery discovery = RealDiscovery.start()) {
      var reporter = new TelemetryReporter(vertx, settings(discovery.url(), TelemetryMode.AUTO));
      assertThat(reporter.report(batch()).await(10, TimeUnit.SECONDS)).isPresent();
      assertThat(reporter.status().on()).isTrue();
      assertThat(reporter.status().detail()).startsWith("last report at offset");
      reporter.close();
    }
  }

  @Test
  void autoAgainstAServiceWithoutTelemetryKeepsSamplesLocalAndAsksAgainAfterAReconnect() throws Exception {
    FakeTelemetry service = new FakeTelemetry(vertx, false).listen(0);
    var reporter = new TelemetryReporter(vertx, settings("http://127.0.0.1:" + service.port(), TelemetryMode.AUTO));

    assertThat(await(reporter.report(batch(0, true)))).isEmpty();
    assertThat(reporter.status().on()).isFalse();
    assertThat(reporter.status().detail()).contains("does not serve spanlog.telemetry.v1.Telemetry");
    assertThat(service.httpRequests).as("only the probe").hasValue(1);
    assertThat(await(reporter.report(batch(30, true)))).isEmpty();
    assertThat(service.httpRequests).as("not asked again while connected").hasValue(1);
    assertThat(reporter.backlog()).as("nothing kept for a service that does not want it").isZero();

    // the discovery client lost its service and found it again: it may be another one now
    assertThat(await(reporter.report(batch(60, false)))).isEmpty();
    assertThat(await(reporter.report(batch(90, true)))).isEmpty();
    assertThat(service.httpRequests).as("asked again after the reconnect").hasValue(2);
    reporter.close();
  }

  @Test
  void neverToThePublicDiscoveryServiceEvenWhenOn() throws Exception {
    // discovery.talos.dev resolves to a local fake service here: a report sent there would arrive
    Vertx resolving = Vertx.vertx(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
        .setHostsValue(Buffer.buffer("127.0.0.1 discovery.talos.dev\n127.0.0.1 spanlog-discovery.example\n"))));
    try {
      FakeTelemetry service = new FakeTelemetry(resolving, true).listen(0);
      for (TelemetryMode mode : TelemetryMode.values()) {
        var reporter = new TelemetryReporter(resolving, settings("http://discovery.talos.dev:" + service.port(), mode));
        assertThat(await(reporter.report(batch(0, true)))).as(mode.configName()).isEmpty();
        assertThat(reporter.status().on()).isFalse();
        assertThat(reporter.backlog()).isZero();
        reporter.close();
      }
      assertThat(service.httpRequests).as("requests that reached the 'public' service").hasValue(0);

      // the same service under another name does get them: the resolver works
      var control = new TelemetryReporter(resolving, settings("http://spanlog-discovery.example:" + service.port(),
          TelemetryMode.AUTO));
      assertThat(await(control.report(batch(0, true)))).isPresent();
      control.close();
    } finally {
      resolving.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void offNeverSends() throws Exception {
    FakeTelemetry service = new FakeTelemetry(vertx, true).listen(0);
    var reporter = new TelemetryReporter(vertx, settings("http://127.0.0.1:" + service.port(), TelemetryMode.OFF));
    assertThat(await(reporter.report(batch(0, true)))).isEmpty();
    assertThat(reporter.status()).isEqualTo(new TelemetryReporter.Status(false, "off (telemetry: off in the node config)"));
    assertThat(service.httpRequests).hasValue(0);
    reporter.close();
  }

  @Test
  void aBacklogKeptWhileTheServiceIsDownIsSentOldestFirstOnReconnect() throws Exception {
    FakeTelemetry service = new FakeTelemetry(vertx, true).listen(0);
    int port = service.port();
    var reporter = new TelemetryReporter(vertx,
        settings("http://127.0.0.1:" + port, TelemetryMode.AUTO).withBacklogLimit(3));
    assertThat(await(reporter.report(batch(0, true)))).isPresent();

    service.stop();
    for (long s = 30; s <= 120; s += 30) { // four passes while discovery is unreachable
      assertThat(await(reporter.report(batch(s, false)))).isEmpty();
    }
    assertThat(reporter.backlog()).isEqualTo(3);
    assertThat(reporter.dropped()).isEqualTo(1);
    assertThat(reporter.status().on()).isTrue();
    assertThat(reporter.status().detail()).startsWith("3 batches waiting: ")
        .endsWith("; 1 batches dropped from a full backlog so far");

    FakeTelemetry back = new FakeTelemetry(vertx, true).listen(port);
    assertThat(await(reporter.report(batch(150, true)))).isPresent();

    assertThat(back.probes).as("asked again after the reconnect").hasSize(1);
    assertThat(back.opened()).extracting(b -> b.sampledAt().orElseThrow())
        .as("the newest three (the limit), oldest first, the current one last")
        .containsExactly(batch(90, false).sampledAt().orElseThrow(), batch(120, false).sampledAt().orElseThrow(),
            batch(150, true).sampledAt().orElseThrow());
    assertThat(back.opened()).extracting(HandshakeSampleBatch::discoveryReachable)
        .as("the gap shows in the batches themselves").containsExactly(false, false, true);
    assertThat(reporter.dropped()).isEqualTo(2);
    assertThat(reporter.backlog()).isZero();
    reporter.close();
  }
}
