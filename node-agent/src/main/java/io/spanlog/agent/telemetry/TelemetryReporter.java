package io.spanlog.agent.telemetry;

import com.google.protobuf.ByteString;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.discovery.DiscoveryConnections;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.telemetry.api.ReportRequest;
import io.spanlog.telemetry.api.ReportResponse;
import io.spanlog.telemetry.api.TelemetryGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one handshake-sample batch per reconcile to {@code spanlog.telemetry.v1.Telemetry/Report},
 * served next to the discovery API. A discovery service without it (the public one, an older
 * Spanlog) answers UNIMPLEMENTED: telemetry is then off for good, with one warning. Other
 * failures are warned about once until a report succeeds again; they never stop the agent.
 */
public final class TelemetryReporter {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryReporter.class);
  private static final long DEADLINE_MS = 10_000;

  /** Whether reports are sent, and why not when they are not. */
  public record Status(boolean on, String detail) {}

  private final DiscoveryTarget target;
  private final String clusterId;
  private final GrpcClient grpc;
  private volatile Status status = new Status(true, "no report sent yet");
  private volatile boolean warnedFailure;

  public TelemetryReporter(Vertx vertx, DiscoveryTarget target, String clusterId) {
    this.target = target;
    this.clusterId = clusterId;
    this.grpc = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true),
        DiscoveryConnections.httpOptions(target));
  }

  public Status status() {
    return status;
  }

  /** Sends the batch unless telemetry is off; completes with the offset, empty when not sent. */
  public Future<Optional<Long>> report(HandshakeSampleBatch batch) {
    if (!status.on()) {
      return Future.succeededFuture(Optional.empty());
    }
    ReportRequest request = ReportRequest.newBuilder()
        .setClusterId(clusterId)
        .setBatchJson(ByteString.copyFrom(EventCodec.encodePayload(batch)))
        .setSchema(EventType.HANDSHAKE_SAMPLE_BATCH.schema())
        .build();
    return grpc.request(SocketAddress.inetSocketAddress(target.port(), target.host()), TelemetryGrpcClient.Report)
        .compose(req -> {
          req.timeout(DEADLINE_MS, TimeUnit.MILLISECONDS);
          return req.send(request).compose(GrpcClientResponse::last);
        })
        .map((ReportResponse r) -> {
          if (warnedFailure) {
            LOG.info("telemetry reports to {} succeed again", target);
            warnedFailure = false;
          }
          status = new Status(true, "last report at offset " + r.getOffset());
          return Optional.of(r.getOffset());
        })
        .recover(e -> {
          Optional<GrpcStatus> code = statusOf(e);
          if (code.isPresent() && code.get() == GrpcStatus.UNIMPLEMENTED) {
            if (status.on()) {
              status = new Status(false, target + " does not serve spanlog.telemetry.v1.Telemetry");
              LOG.warn("telemetry off: {} does not serve spanlog.telemetry.v1.Telemetry (not a Spanlog "
                  + "discovery service, or an older one); handshake samples stay local", target);
            }
          } else if (!warnedFailure) {
            warnedFailure = true;
            LOG.warn("telemetry report to {} failed: {} (warning once until it works again)", target,
                code.map(Object::toString).orElse(DiscoveryConnections.describe(e, target)));
          }
          return Future.succeededFuture(Optional.empty());
        });
  }

  public Future<Void> close() {
    return grpc.close();
  }

  private static Optional<GrpcStatus> statusOf(Throwable e) {
    if (e instanceof InvalidStatusException s) {
      return Optional.of(s.actualStatus());
    }
    if (e instanceof GrpcErrorException g) {
      return Optional.of(g.status());
    }
    return Optional.empty();
  }
}
