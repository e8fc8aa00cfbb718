package io.spanlog.discovery.projection;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.api.WatchResponse;
import io.vertx.core.buffer.Buffer;

/**
 * The first message of a Watch, built once per cluster state and shared by every stream that
 * subscribes while that state is current: serialized once, framed once as a gRPC message (flag
 * byte, length, payload), and written to each stream as slices of the same bytes.
 *
 * @param state the cluster state it shows; compared by identity (every change makes a new one)
 * @param framed the gRPC length-prefixed message, uncompressed
 */
record SharedSnapshot(ClusterState state, Buffer framed) {
  static SharedSnapshot of(ClusterState state) {
    return new SharedSnapshot(state, WireMessages.grpcFrame(WireMessages.snapshot(state)));
  }

  /** The message itself, for a stream that cannot take pre-framed bytes (another wire format). */
  WatchResponse message() {
    return WireMessages.snapshot(state);
  }
}
