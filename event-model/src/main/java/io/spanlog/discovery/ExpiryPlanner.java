package io.spanlog.discovery;

import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Garbage collection as a decision (spec section 7): which expiry events the owner of a
 * cluster's partition appends at {@code now}. The fold re-checks each one when it is applied, so
 * a refresh that lands in between wins.
 */
public final class ExpiryPlanner {
  private ExpiryPlanner() {}

  public static List<Event> plan(ClusterState state, Instant now) {
    List<Event> events = new ArrayList<>();
    for (AffiliateState a : state.affiliates()) {
      if (a.expiry().isBefore(now)) {
        events.add(new AffiliateExpired(a.id(), now, a.expiry()));
        continue;
      }
      List<Blob> stale =
          a.endpoints().stream()
              .filter(e -> !e.expiry().isAfter(now))
              .map(EndpointState::blob)
              .toList();
      if (!stale.isEmpty()) {
        events.add(new EndpointsExpired(a.id(), now, stale));
      }
    }
    return events;
  }
}
