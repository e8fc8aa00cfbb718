package io.spanlog.discovery.rpc;

import io.vertx.grpc.common.GrpcStatus;
import java.util.Objects;

/** A call ends with this gRPC status and message; the message is safe to show to the client. */
final class StatusError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient GrpcStatus status;

  StatusError(GrpcStatus status, String message) {
    super(message, null, false, false);
    this.status = Objects.requireNonNull(status, "status");
  }

  GrpcStatus status() {
    return status;
  }

  static StatusError invalid(String message) {
    return new StatusError(GrpcStatus.INVALID_ARGUMENT, message);
  }
}
