package io.spanlog.discovery.rpc;

import com.google.protobuf.Descriptors;
import io.micrometer.core.instrument.Counter;
import io.spanlog.discovery.log.EventAppender;
import io.spanlog.events.Envelope;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.api.ReportRequest;
import io.spanlog.telemetry.api.ReportResponse;
import io.spanlog.telemetry.api.TelemetryGrpcService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spanlog.telemetry.v1.Telemetry}: node agents report one handshake-sample batch per
 * reconcile, sealed with their cluster secret; each well-framed report is appended to the
 * telemetry topic as a {@code telemetry.sealed-batch} event (key = cluster id, subject = the
 * node's public key) and answered with its offset once durable. Plaintext batches are refused
 * ({@link TelemetryReports}); a report without a batch is a probe, answered with offset -1.
 * Nothing here is folded into the discovery view.
 */
public final class TelemetryApi implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryApi.class);

  private final Vertx vertx;
  private final EventAppender appender;
  private final RpcCalls calls;
  private final Clock clock;
  private final String producerName;
  private final Counter appended;

  public TelemetryApi(Vertx vertx, EventAppender appender, RpcCalls calls, Clock clock, String producerName) {
    this.vertx = vertx;
    this.appender = appender;
    this.calls = calls;
    this.clock = clock;
    this.producerName = producerName;
    this.appended = Counter.builder("spanlog.telemetry.reports.appended")
        .description("telemetry reports appended to the telemetry topic")
        .register(calls.metrics().registry());
  }

  @Override
  public ServiceName name() {
    return TelemetryGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return TelemetryGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    server.callHandler(TelemetryGrpcService.Report, req -> calls.unary(req, TelemetryGrpcService.Report, this::report));
  }

  private Future<ReportResponse> report(ReportRequest r, RpcCalls.Caller caller) {
    Optional<SealedSampleBatch> sealed = TelemetryReports.read(r);
    if (sealed.isEmpty()) {
      return Future.succeededFuture(ReportResponse.newBuilder().setOffset(-1).build());
    }
    SealedSampleBatch batch = sealed.get();
    Envelope env = Envelope.of(r.getClusterId(), batch.nodePublicKey(), clock.instant(), producerName, batch);
    Context ctx = vertx.getOrCreateContext();
    Promise<ReportResponse> result = Promise.promise();
    appender.appendAt(env, caller.answerWithin(EventAppender.DEFAULT_BUDGET)).whenComplete((offset, error) -> ctx.runOnContext(v -> {
      if (error != null) {
        LOG.warn("telemetry report {} not appended: {}", env.eventId(), error.toString());
        result.fail(RpcCalls.logUnavailable(error, "telemetry log", "report"));
      } else {
        appended.increment();
        result.complete(ReportResponse.newBuilder().setOffset(offset).build());
      }
    }));
    return result.future();
  }
}
