package io.spanlog.discovery;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The discovery projection as a left fold: one cluster's state and one event give the next
 * state, what watchers are told, and what the event's writer is answered.
 *
 * <p>Pure: the envelope's {@code at} is "now" for an update, and expiry events carry the
 * instant they were judged against, so replaying a log yields the same states, notifications
 * and outcomes on every instance.
 *
 * <p>One deliberate difference from the reference service: when expiry drops some endpoints of
 * a live affiliate, watchers get an upsert with the remaining endpoints, not a deletion (spec
 * section 6 allows both; a deletion would make Talos forget a live peer until its next
 * refresh).
 */
public final class DiscoveryFold {
  private DiscoveryFold() {}

  public static ApplyOutcome apply(ClusterState state, Envelope envelope) {
    Event payload = envelope.payload();
    if (payload instanceof AffiliateUpdated u) {
      return update(state, u, envelope.at());
    } else if (payload instanceof AffiliateDeleted d) {
      return remove(state, d.affiliateId());
    } else if (payload instanceof AffiliateExpired e) {
      return expireAffiliate(state, e);
    } else if (payload instanceof EndpointsExpired e) {
      return expireEndpoints(state, e);
    }
    return ApplyOutcome.unchanged(state);
  }

  /** Spec section 5.2, steps 1 to 5. */
  private static ApplyOutcome update(ClusterState state, AffiliateUpdated u, Instant now) {
    Instant exp = now.plus(u.ttl());
    AffiliateState current = state.affiliate(u.affiliateId()).orElse(null);
    boolean changed = false;
    if (current == null) {
      if (state.size() >= DiscoveryLimits.MAX_AFFILIATES_PER_CLUSTER) {
        return new ApplyOutcome(state, List.of(), WriteOutcome.TOO_MANY_AFFILIATES);
      }
      current = AffiliateState.created(u.affiliateId());
      changed = true;
    }

    Blob data = current.data();
    Instant expiry = current.expiry();
    if (u.data().isPresent() && !u.data().get().isEmpty()) {
      data = u.data().get();
      expiry = exp;
      changed = true;
    }

    WriteOutcome outcome = WriteOutcome.OK;
    List<EndpointState> endpoints = new ArrayList<>(current.endpoints());
    for (Blob blob : u.endpoints()) {
      int index = indexOf(endpoints, blob);
      if (index >= 0) {
        EndpointState known = endpoints.get(index);
        endpoints.set(index, new EndpointState(blob, max(known.expiry(), exp)));
      } else if (endpoints.size() >= DiscoveryLimits.MAX_ENDPOINTS_PER_AFFILIATE) {
        outcome = WriteOutcome.TOO_MANY_ENDPOINTS;
        break;
      } else {
        endpoints.add(new EndpointState(blob, exp));
        changed = true;
      }
    }
    if (outcome.ok()) {
      expiry = max(expiry, exp);
    }

    AffiliateState next = new AffiliateState(current.id(), data, expiry, endpoints);
    List<Notification> notifications =
        changed ? List.of(new Notification.Upsert(next)) : List.of();
    return new ApplyOutcome(state.with(next), notifications, outcome);
  }

  private static ApplyOutcome remove(ClusterState state, String affiliateId) {
    if (state.affiliate(affiliateId).isEmpty()) {
      return ApplyOutcome.unchanged(state);
    }
    return new ApplyOutcome(
        state.without(affiliateId),
        List.of(new Notification.Deletion(affiliateId)),
        WriteOutcome.OK);
  }

  /** Removes the affiliate only if it is still expired at the instant GC judged it. */
  private static ApplyOutcome expireAffiliate(ClusterState state, AffiliateExpired e) {
    return state
        .affiliate(e.affiliateId())
        .filter(a -> a.expiry().isBefore(e.now()))
        .map(a -> remove(state, a.id()))
        .orElseGet(() -> ApplyOutcome.unchanged(state));
  }

  /** Drops each listed endpoint that is still expired at the instant GC judged it. */
  private static ApplyOutcome expireEndpoints(ClusterState state, EndpointsExpired e) {
    AffiliateState current = state.affiliate(e.affiliateId()).orElse(null);
    if (current == null) {
      return ApplyOutcome.unchanged(state);
    }
    Set<Blob> listed = new HashSet<>(e.endpoints());
    List<EndpointState> kept = new ArrayList<>(current.endpoints().size());
    for (EndpointState endpoint : current.endpoints()) {
      boolean expired = !endpoint.expiry().isAfter(e.now());
      if (!(expired && listed.contains(endpoint.blob()))) {
        kept.add(endpoint);
      }
    }
    if (kept.size() == current.endpoints().size()) {
      return ApplyOutcome.unchanged(state);
    }
    AffiliateState next =
        new AffiliateState(current.id(), current.data(), current.expiry(), kept);
    return new ApplyOutcome(
        state.with(next), List.of(new Notification.Upsert(next)), WriteOutcome.OK);
  }

  private static int indexOf(List<EndpointState> endpoints, Blob blob) {
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).blob().equals(blob)) {
        return i;
      }
    }
    return -1;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
