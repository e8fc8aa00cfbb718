package io.spanlog.discovery.server;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One socket flush per event-loop task instead of one per HTTP/2 frame. Vert.x flushes after
 * every stream write made outside a read; a Watch change written to the twenty streams of one
 * connection was twenty flushes (twenty writev calls). Netty's consolidation handler delays the
 * flush to the end of the current task, so the connection's frames leave in one write.
 */
final class FlushBatching {
  private FlushBatching() {}

  static void install(HttpConnection connection) {
    // Vert.x 5.0.7's HTTP connections are ConnectionBase; if a later one is not, we merely lose the batching
    if (connection instanceof ConnectionBase base) {
      base.channel().pipeline().addFirst("spanlog-flush-batching",
          new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
  }
}
