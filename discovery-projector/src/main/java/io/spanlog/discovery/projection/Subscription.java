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
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
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
  private final Context context;
  private final GrpcServerResponse<WatchRequest, WatchResponse> response;
  private final Consumer<Subscription> onClose;
  private final boolean protobuf;
  private final ArrayDeque<Change> queue = new ArrayDeque<>();
  private WatchResponse snapshot;
  private boolean closed;
  private boolean drainScheduled;

  public Subscription(
      String clusterId,
      Context context,
      GrpcServerResponse<WatchRequest, WatchResponse> response,
      WireFormat format,
      Consumer<Subscription> onClose) {
    this.protobuf = format == WireFormat.PROTOBUF;
    this.clusterId = clusterId;
    this.context = context;
    this.response = response;
    this.onClose = onClose;
  }

  String clusterId() {
    return clusterId;
  }

  /** The first message; must be set before the subscription is registered. */
  synchronized void snapshot(WatchResponse first) {
    snapshot = first;
    scheduleDrain();
  }

  /**
   * One change as it goes to every watcher of its cluster, serialized once: with a thousand
   * watchers, serializing per stream was most of the fan-out's CPU time.
   */
  record Change(WatchResponse message, Buffer encoded, FanoutTiming timing) {
    static Change of(WatchResponse message, FanoutTiming timing) {
      return new Change(message, Buffer.buffer(message.toByteArray()), timing);
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
      WatchResponse first = null;
      Change next = null;
      synchronized (this) {
        if (closed) {
          drainScheduled = false;
          return;
        }
        if (response.writeQueueFull()) {
          // resumed by the drain handler; queue keeps filling meanwhile
          response.drainHandler(v -> drain());
          return;
        }
        if (snapshot != null) {
          first = snapshot;
          snapshot = null;
        } else {
          next = queue.poll();
          if (next == null) {
            drainScheduled = false;
            return;
          }
        }
      }
      if (first != null) {
        response.write(first);
        continue;
      }
      Future<Void> written = protobuf
          ? response.writeMessage(GrpcMessage.message("identity", WireFormat.PROTOBUF, next.encoded()))
          : response.write(next.message());
      if (next.timing().traced()) {
        FanoutTiming timing = next.timing();
        written.onSuccess(v -> timing.written());
      }
    }
  }

  private void end(GrpcStatus status, String message) {
    onClose.accept(this);
    try {
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
