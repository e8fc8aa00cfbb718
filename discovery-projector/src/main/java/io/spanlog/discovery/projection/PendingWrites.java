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
  private volatile ProjectionHalted halted;

  /** The outcome of {@code eventId} once applied; failed with {@link ProjectionHalted} if it never will be. */
  public CompletableFuture<WriteOutcome> register(String eventId) {
    CompletableFuture<WriteOutcome> f = new CompletableFuture<>();
    waiting.put(eventId, f);
    ProjectionHalted h = halted; // read after the put: failAll either sees this write or we see its flag
    if (h != null) {
      waiting.remove(eventId);
      f.completeExceptionally(h);
    }
    return f;
  }

  /** The projection stopped: every waiting write, and every later one, fails with {@code why}. */
  void failAll(ProjectionHalted why) {
    halted = why;
    for (String id : waiting.keySet()) {
      CompletableFuture<WriteOutcome> f = waiting.remove(id);
      if (f != null) {
        f.completeExceptionally(why);
      }
    }
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
