package io.spanlog.discovery.expiry;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.ExpiryPlanner;
import io.spanlog.discovery.log.EventAppender;
import io.spanlog.discovery.projection.ClusterProjection;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One garbage-collection pass over the events partitions this instance owns: {@link ExpiryPlanner}
 * judges every cluster at the pass's instant and each expiry it finds is written as an event, so a
 * replay sees the same expiries at the same instants. Only the owner of a partition runs it (see
 * {@code ownership.PartitionOwnership}), so no expiry is written twice.
 */
public final class ExpiryPass {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryPass.class);

  /** What one pass did, for metrics. */
  public record Result(int affiliatesExpired, int endpointEvents, int clustersEmptied) {}

  private final ClusterProjection view;
  private final EventAppender appender;
  private final Clock clock;
  private final String producerName;
  private final Consumer<Result> onPass;

  /**
   * @param clock the instant each pass judges at, and its events' time
   * @param producerName the events' producer field
   * @param onPass told what each pass did
   */
  public ExpiryPass(ClusterProjection view, EventAppender appender, Clock clock, String producerName, Consumer<Result> onPass) {
    this.view = view;
    this.appender = appender;
    this.clock = clock;
    this.producerName = producerName;
    this.onPass = onPass;
  }

  /** Runs one pass over {@code partitions}; returns once its events are durable (or 30 s passed). */
  public Result run(Set<Integer> partitions) {
    Instant now = clock.instant();
    int affiliates = 0;
    int endpointEvents = 0;
    int emptied = 0;
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int p : partitions) {
      for (Map.Entry<String, ClusterState> c : view.clustersOf(p).entrySet()) {
        List<Event> plan = ExpiryPlanner.plan(c.getValue(), now);
        int expired = 0;
        for (Event e : plan) {
          String subject = e instanceof AffiliateExpired a ? a.affiliateId() : ((EndpointsExpired) e).affiliateId();
          writes.add(appender.append(Envelope.of(c.getKey(), subject, now, producerName, e)));
          if (e instanceof AffiliateExpired) {
            expired++;
          } else {
            endpointEvents++;
          }
        }
        affiliates += expired;
        if (expired > 0 && expired == c.getValue().size()) {
          emptied++;
        }
      }
    }
    try {
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("gc: interrupted while its expiry events were written; the next pass retries");
    } catch (Exception e) {
      LOG.warn("gc: not every expiry event was written ({}); the next pass retries", e.toString());
    }
    Result result = new Result(affiliates, endpointEvents, emptied);
    onPass.accept(result);
    return result;
  }
}
