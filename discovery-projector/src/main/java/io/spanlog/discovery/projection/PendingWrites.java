package io.spanlog.discovery.projection;

import io.spanlog.discovery.WriteOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Writes of this instance waiting for their event to come back through the projection: the RPC
 * is answered with the fold's outcome for its own event (read-your-writes, and the same verdict
 * on the state-dependent limits as every replay).
 */
public final class PendingWrites {
  private final ConcurrentMap<String, CompletableFuture<WriteOutcome>> waiting =
      new ConcurrentHashMap<>();

  public CompletableFuture<WriteOutcome> register(String eventId) {
    CompletableFuture<WriteOutcome> f = new CompletableFuture<>();
    waiting.put(eventId, f);
    return f;
  }

  void applied(String eventId, WriteOutcome outcome) {
    CompletableFuture<WriteOutcome> f = waiting.remove(eventId);
    if (f != null) {
      f.complete(outcome);
    }
  }

  public void forget(String eventId) {
    waiting.remove(eventId);
  }

  public int size() {
    return waiting.size();
  }
}
