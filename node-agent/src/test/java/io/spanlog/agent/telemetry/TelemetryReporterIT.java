package io.spanlog.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.EventCodec;
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
 * The telemetry client over real gRPC sockets: against a simulated telemetry server (the real one
 * is being added to discovery-projector) it sends batches the event codec reads back;
 * against the real discovery service, which does not serve telemetry yet, it turns itself off.
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

  private static HandshakeSampleBatch batch() {
    var sample = new PeerSample("PUB", "node-2", Optional.of("10.0.0.2:51820"), EndpointSource.ADVERTISED, 0, 2,
        Optional.of(Instant.parse("2026-11-26T00:00:00Z")), Optional.of(Instant.parse("2026-11-26T00:00:03Z")),
        100, 200, PeerState.UP, "handshake since the endpoint change 3 s ago");
    return new HandshakeSampleBatch("node-1", "SELF", true, List.of(sample));
  }

  @Test
  void sendsTheBatchAsTheEventPayloadJson() throws Exception {
    List<ReportRequest> received = new CopyOnWriteArrayList<>();
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(TelemetryGrpcService.of(new TelemetryService() {
      @Override
      public Future<ReportResponse> report(ReportRequest request) {
        received.add(request);
        return Future.succeededFuture(ReportResponse.newBuilder().setOffset(41 + received.size()).build());
      }
    }));
    HttpServer server = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1").await();
    var reporter = new TelemetryReporter(vertx, DiscoveryTarget.parse("http://127.0.0.1:" + server.actualPort()), "c1");

    assertThat(reporter.report(batch()).await(10, TimeUnit.SECONDS)).contains(42L);
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.getClusterId()).isEqualTo("c1");
      assertThat(r.getSchema()).isEqualTo(EventType.HANDSHAKE_SAMPLE_BATCH.schema());
      HandshakeSampleBatch decoded = EventCodec.decodePayload(EventType.HANDSHAKE_SAMPLE_BATCH, r.getSchema(),
          r.getBatchJson().toByteArray());
      assertThat(decoded).isEqualTo(batch());
    });
    assertThat(reporter.status().on()).isTrue();
    reporter.close();
  }

  @Test
  void turnsItselfOffAgainstAServiceWithoutTelemetry() throws Exception {
    try (RealDiscovery discovery = RealDiscovery.start()) {
      var reporter = new TelemetryReporter(vertx, DiscoveryTarget.parse(discovery.url()), "c1");
      var offset = reporter.report(batch()).await(10, TimeUnit.SECONDS);
      if (reporter.status().on()) {
        // discovery-projector has gained the telemetry service: then the report must have landed
        assertThat(offset).isPresent();
        assertThat(reporter.status().detail()).startsWith("last report at offset");
        return;
      }
      assertThat(offset).isEmpty();
      assertThat(reporter.status().detail()).contains("does not serve spanlog.telemetry.v1.Telemetry");
      assertThat(reporter.report(batch()).await(10, TimeUnit.SECONDS)).isEmpty(); // not even tried
      reporter.close();
    }
  }
}
