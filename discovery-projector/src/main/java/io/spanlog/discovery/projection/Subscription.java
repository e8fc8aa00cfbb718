package io.spanlog.discovery.projection;

import io.spanlog.discovery.DiscoveryLimits;
import io.spanlog.discovery.api.WatchRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Watch stream: the snapshot, then one message per change, in apply order. Changes wait in a
 * queue of {@link DiscoveryLimits#WATCH_QUEUE_CAPACITY} while the stream cannot take them; a
 * change that finds the queue full ends the stream with ABORTED, as the reference does, and the
 * client reconnects for a fresh snapshot.
 *
 * <p>{@link #enqueue} is called by the projection thread; everything that touches the stream runs
 * on the stream's Vert.x context.
 */
public final class Subscription {
  static final String LOST_UPDATE = "subscription canceled: lost update";

  private final String clusterId;
  private final String address;
  private final Context context;
  private final GrpcServerResponse<WatchRequest, WatchResponse> response;
  private final Optional<WriteStream<Buffer>> http;
  private final Consumer<Subscription> onClose;
  private final boolean protobuf;
  // two slots: an idle stream holds one Watch for hours and most changes find the queue empty; it
  // grows (doubling) only while the stream cannot keep up. ArrayDeque's default is 16 slots.
  private final ArrayDeque<Change> queue = new ArrayDeque<>(1);
  private boolean closed;
  private boolean drainScheduled;
  // the first message, until it is handed to the stream (on the stream's event loop)
  private SharedSnapshot snapshot;
  private SlicedWrite snapshotWrite;
  private boolean snapshotSent;
  private AtomicLong snapshotBytesSent; // set with the snapshot

  /**
   * @param address the client address the per-address Watch cap counts this stream under
   * @param http the HTTP/2 response under {@code response}, when the call is plain gRPC with
   *     protobuf messages: the snapshot is then written to it as slices of bytes shared with the
   *     cluster's other new watchers, pausing whenever its write queue is full; without it, the
   *     snapshot is one message written through {@code response}
   */
  public Subscription(
      String clusterId,
      String address,
      Context context,
      GrpcServerResponse<WatchRequest, WatchResponse> response,
      Optional<WriteStream<Buffer>> http,
      WireFormat format,
      Consumer<Subscription> onClose) {
    this.protobuf = format == WireFormat.PROTOBUF;
    this.clusterId = clusterId;
    this.address = address;
    this.context = context;
    this.response = response;
    this.http = protobuf ? http : Optional.empty();
    this.onClose = onClose;
  }

  String clusterId() {
    return clusterId;
  }

  String address() {
    return address;
  }

  /**
   * The first message; must be set before the subscription is registered.
   *
   * @param sentBytes counts snapshot bytes handed to streams
   */
  synchronized void snapshot(SharedSnapshot first, AtomicLong sentBytes) {
    snapshot = first;
    snapshotBytesSent = sentBytes;
    scheduleDrain();
  }

  /**
   * One change as it goes to every watcher of its cluster, serialized and framed once (flag byte,
   * length, payload): with a thousand watchers, serializing per stream was most of the fan-out's
   * CPU time. A plain gRPC stream writes a slice of the same framed bytes straight to HTTP/2,
   * without the gRPC layer's per-stream frame (a new buffer and a copy of the message).
   */
  record Change(WatchResponse message, Buffer framed, FanoutTiming timing) {
    static Change of(WatchResponse message, FanoutTiming timing) {
      return new Change(message, WireMessages.grpcFrame(message), timing);
    }

    /** The serialized message without its gRPC frame. */
    Buffer encoded() {
      return framed.slice(5, framed.length());
    }
  }

  enum Queued { REFUSED, QUEUED, DRAIN_NEEDED }

  /**
   * Queues one change without scheduling anything: on {@link Queued#DRAIN_NEEDED} the caller
   * runs {@link #drainOnLoop()} on this stream's event loop ({@link #eventLoop()}), so that a
   * change for many streams takes one task per event loop rather than one per stream.
   */
  synchronized Queued enqueue(Change change) {
    if (closed) {
      return Queued.REFUSED;
    }
    if (queue.size() >= DiscoveryLimits.WATCH_QUEUE_CAPACITY) {
      closed = true;
      queue.clear();
      context.runOnContext(v -> end(GrpcStatus.ABORTED, LOST_UPDATE));
      return Queued.REFUSED;
    }
    queue.add(change);
    if (drainScheduled) {
      return Queued.QUEUED;
    }
    drainScheduled = true;
    return Queued.DRAIN_NEEDED;
  }

  /** The event loop thread this stream's writes run on. */
  Executor eventLoop() {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /** Runs {@code task} on this stream's context (so on its event loop). */
  void runOnLoop(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /** Writes what is queued; on this stream's event loop only. */
  void drainOnLoop() {
    drain();
  }

  /** Server shutdown: the stream ends with OK, which clients treat as "reconnect". */
  void close() {
    close(GrpcStatus.OK, "");
  }

  /** Ends the stream with {@code status} and {@code message} (e.g. UNAVAILABLE: the projection stopped). */
  void close(GrpcStatus status, String message) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
    }
    context.runOnContext(v -> end(status, message));
  }

  /** The client went away. */
  public void cancelled() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
    }
    onClose.accept(this);
  }

  private void scheduleDrain() {
    if (!drainScheduled) {
      drainScheduled = true;
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    while (true) {
      Change next = null;
      synchronized (this) {
        if (closed) {
          drainScheduled = false; // a snapshot half written is finished by end(), if it runs
          return;
        }
        if (response.writeQueueFull()) {
          // resumed by the drain handler; queue keeps filling meanwhile
          response.drainHandler(v -> drain());
          return;
        }
        if (snapshotSent) {
          next = queue.poll();
          if (next == null) {
            drainScheduled = false;
            return;
          }
        }
      }
      if (!snapshotSent) {
        boolean all;
        try {
          all = writeSnapshot();
        } catch (IllegalStateException streamGone) {
          release();
          cancelled(); // the stream ended under us (reset, connection closed): nothing left to write to
          return;
        }
        if (!all) {
          response.drainHandler(v -> drain());
          return;
        }
        snapshotSent = true;
        continue;
      }
      Future<Void> written;
      if (http.isPresent()) {
        // the frame built once for every stream, straight to HTTP/2, as the snapshot before it
        written = http.get().write(next.framed().slice());
      } else if (protobuf) {
        written = response.writeMessage(GrpcMessage.message("identity", WireFormat.PROTOBUF, next.encoded()));
      } else {
        written = response.write(next.message());
      }
      if (next.timing().traced()) {
        FanoutTiming timing = next.timing();
        written.onSuccess(v -> timing.written());
      }
    }
  }

  /** Hands the snapshot over, slice by slice while the stream takes them; true once all of it is. */
  private boolean writeSnapshot() {
    SharedSnapshot first;
    synchronized (this) {
      first = snapshot;
    }
    if (first == null) {
      return true;
    }
    if (http.isEmpty()) {
      WatchResponse message = first.message();
      response.write(message);
      snapshotBytesSent.addAndGet(message.getSerializedSize() + 5L);
      release();
      return true;
    }
    if (snapshotWrite == null) {
      response.writeHead(); // gRPC's response headers, before the message's bytes go out directly
      snapshotWrite = new SlicedWrite(first.framed());
    }
    if (!snapshotWrite.writeSome(http.get(), w -> snapshotBytesSent.addAndGet(w.bytes()))) {
      return false;
    }
    release();
    return true;
  }

  private synchronized void release() {
    snapshot = null;
    snapshotWrite = null;
  }

  private void end(GrpcStatus status, String message) {
    onClose.accept(this);
    SlicedWrite partial;
    synchronized (this) {
      partial = snapshotWrite;
    }
    release();
    try {
      if (partial != null && http.isPresent()) {
        partial.writeRest(http.get()); // a status after half a message would read as a broken stream
      }
      response.status(status);
      if (!message.isEmpty()) {
        response.statusMessage(message);
      }
      response.end();
    } catch (IllegalStateException alreadyEnded) {
      // the client reset the stream first: nothing left to tell it
    }
  }
}
