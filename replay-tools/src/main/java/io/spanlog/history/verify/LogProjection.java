package io.spanlog.history.verify;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.DiscoveryFold;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The discovery projection rebuilt from the events topic with the service's own fold
 * ({@link DiscoveryFold}): one {@link ClusterState} per cluster, keyed by the envelope's cluster
 * id as the service keys it. A record that does not decode is skipped and counted, as the service
 * skips it (to its dead-letter topic). Pure: records come in, states come out.
 *
 * <p>A <em>window</em> keeps every state each cluster went through since {@link #openWindow()}:
 * the states a service's answer given meanwhile may show.
 */
public final class LogProjection {
  private final Map<String, ClusterState> clusters = new HashMap<>();
  private final Map<String, Integer> partitionOf = new HashMap<>();
  private final Set<String> seen = new TreeSet<>();
  private final Map<String, List<ClusterState>> window = new HashMap<>();
  private long skipped;
  private long applied;

  /** Folds one record of events partition {@code partition}; returns its cluster, empty when it was skipped. */
  public Optional<String> apply(int partition, byte[] value) {
    Envelope envelope;
    try {
      envelope = EventCodec.decode(value);
    } catch (EventDecodingException e) {
      skipped++;
      return Optional.empty();
    }
    String cluster = envelope.clusterId();
    ClusterState before = state(cluster);
    ClusterState after;
    try {
      after = DiscoveryFold.apply(before, envelope).state();
    } catch (RuntimeException e) {
      skipped++; // the service dead-letters an event its fold refuses, and goes on
      return Optional.empty();
    }
    applied++;
    seen.add(cluster);
    partitionOf.put(cluster, partition);
    if (after != before) {
      window.computeIfAbsent(cluster, c -> new ArrayList<>(List.of(before))).add(after);
      if (after.isEmpty()) {
        clusters.remove(cluster);
      } else {
        clusters.put(cluster, after);
      }
    }
    return Optional.of(cluster);
  }

  /** The cluster's state now; empty for one with no affiliate (or no event). */
  public ClusterState state(String cluster) {
    return clusters.getOrDefault(cluster, ClusterState.EMPTY);
  }

  /** Every cluster with at least one event in the log, in id order. */
  public Set<String> clusters() {
    return Collections.unmodifiableSet(seen);
  }

  /** The non-empty clusters of one events partition and their states now (immutable values). */
  public Map<String, ClusterState> partition(int partition) {
    Map<String, ClusterState> out = new LinkedHashMap<>();
    clusters.forEach((c, s) -> {
      if (partitionOf.get(c) == partition) {
        out.put(c, s);
      }
    });
    return out;
  }

  /** Starts keeping the states clusters go through from now on. */
  public void openWindow() {
    window.clear();
  }

  /** The states {@code cluster} was in since {@link #openWindow()}, oldest first (just its state now if it did not change). */
  public List<ClusterState> window(String cluster) {
    return window.getOrDefault(cluster, List.of(state(cluster)));
  }

  public long skipped() {
    return skipped;
  }

  public long applied() {
    return applied;
  }
}
