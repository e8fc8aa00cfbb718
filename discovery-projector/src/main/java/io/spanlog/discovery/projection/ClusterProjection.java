package io.spanlog.discovery.projection;

import io.spanlog.discovery.ApplyOutcome;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.DiscoveryFold;
import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.vertx.grpc.common.GrpcStatus;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This instance's projection of the events log: the fold's state of every cluster on every events
 * partition, the offset each partition is folded up to, and the open Watch streams that follow
 * it. (Node agents have their own view of one cluster; this is the service's view of all.)
 *
 * <p>One lock guards it all, so a Watch's snapshot and its registration are atomic with respect
 * to applied events: every change after the snapshot reaches the stream exactly once, in order.
 */
public final class ClusterProjection {
  private record Entry(int partition, ClusterState state) {}

  private final Object lock = new Object();
  private final Map<String, Entry> clusters = new HashMap<>();
  /**
   * The same states by events partition, so a partition's snapshot (every minute, for snapshots
   * and expiry) copies that partition's clusters only, instead of walking every cluster under the
   * lock while writes and Watch changes wait for it.
   */
  private final Map<Integer, Map<String, ClusterState>> byPartition = new HashMap<>();
  private final Map<Integer, Long> nextOffsets = new HashMap<>();
  private final Map<String, Set<Subscription>> subscribers = new HashMap<>();
  private final Map<String, Integer> watchesByAddress = new HashMap<>();
  /** The current snapshot of watched clusters, while some stream still holds it (weakly: no copy outlives its writers). */
  private final Map<String, WeakReference<SharedSnapshot>> sharedSnapshots = new HashMap<>();
  private final AtomicLong snapshotsBuilt = new AtomicLong();
  private final AtomicLong snapshotBytesSent = new AtomicLong();
  private long affiliates;
  private long endpoints;
  private int subscriptions;
  /** Watched clusters that hold no affiliates: with {@code clusters.size()}, the cluster count, kept rather than walked. */
  private int watchedEmpty;
  private final FanoutListener fanoutListener;
  private volatile ProjectionHalted halted;
  private final WatchCaps watchCaps;

  /** A projection that tells nobody how long its fan-outs take. */
  public ClusterProjection() {
    this(FanoutListener.NONE);
  }

  /** @param fanoutListener told when each Watch change has been written to all its streams */
  public ClusterProjection(FanoutListener fanoutListener) {
    this(fanoutListener, WatchCaps.NONE);
  }

  /** @param watchCaps Watch streams it holds per client address and per cluster */
  public ClusterProjection(FanoutListener fanoutListener, WatchCaps watchCaps) {
    this.fanoutListener = java.util.Objects.requireNonNull(fanoutListener, "fanoutListener");
    this.watchCaps = java.util.Objects.requireNonNull(watchCaps, "watchCaps");
  }

  /** Folds one event of {@code partition} at {@code offset} into the view and tells watchers. */
  ApplyOutcome apply(int partition, long offset, Envelope envelope) {
    synchronized (lock) {
      Entry entry = clusters.get(envelope.clusterId());
      ClusterState before = entry == null ? ClusterState.EMPTY : entry.state();
      ApplyOutcome out = DiscoveryFold.apply(before, envelope);
      if (out.state() != before) {
        count(before, out.state(), affiliateOf(envelope.payload()));
        sharedSnapshots.remove(envelope.clusterId());
        if (out.state().isEmpty()) {
          remove(envelope.clusterId());
        } else {
          put(envelope.clusterId(), partition, out.state());
        }
      }
      nextOffsets.put(partition, offset + 1);
      if (!out.notifications().isEmpty()) {
        Set<Subscription> subs = subscribers.get(envelope.clusterId());
        if (subs != null) {
          for (var n : out.notifications()) {
            WatchResponse change = WireMessages.change(n);
            Subscription.Change message = Subscription.Change.of(change, FanoutTiming.of(fanoutListener, change, subs.size()));
            fanOut(subs, message);
          }
        }
      }
      return out;
    }
  }

  /**
   * Queues the change on every stream, then runs one task per event loop that writes to all of
   * that loop's streams: a thousand watchers cost a handful of tasks, not a thousand.
   */
  private static void fanOut(Set<Subscription> subs, Subscription.Change message) {
    Map<Executor, List<Subscription>> byLoop = new HashMap<>();
    for (Subscription s : subs) {
      if (s.enqueue(message) == Subscription.Queued.DRAIN_NEEDED) {
        byLoop.computeIfAbsent(s.eventLoop(), k -> new ArrayList<>()).add(s);
      }
    }
    byLoop.forEach((loop, streams) -> streams.get(0).runOnLoop(() -> streams.forEach(Subscription::drainOnLoop)));
  }

  /** A record that is not an event (sent to the dead-letter topic) still advances the offset. */
  void skip(int partition, long offset) {
    synchronized (lock) {
      nextOffsets.put(partition, offset + 1);
    }
  }

  void load(PartitionSnapshot snapshot) {
    synchronized (lock) {
      Map<String, ClusterState> old = byPartition.remove(snapshot.partition());
      if (old != null) {
        old.keySet().forEach(clusters::remove);
      }
      sharedSnapshots.clear();
      snapshot.clusters().forEach((id, state) -> put(id, snapshot.partition(), state));
      nextOffsets.put(snapshot.partition(), snapshot.nextOffset());
      recount();
    }
  }

  /**
   * The partition's clusters and the offset they are folded up to. Under the lock it only copies
   * that partition's map (states are immutable); serializing and writing it happen outside.
   */
  public PartitionSnapshot snapshot(int partition) {
    synchronized (lock) {
      Map<String, ClusterState> states = byPartition.get(partition);
      return new PartitionSnapshot(partition, nextOffsets.getOrDefault(partition, 0L),
          states == null ? new HashMap<>() : new HashMap<>(states));
    }
  }

  public long nextOffset(int partition) {
    synchronized (lock) {
      return nextOffsets.getOrDefault(partition, 0L);
    }
  }

  /** The clusters of one partition, for garbage collection. */
  public Map<String, ClusterState> clustersOf(int partition) {
    return snapshot(partition).clusters();
  }

  public ClusterState cluster(String clusterId) {
    synchronized (lock) {
      Entry e = clusters.get(clusterId);
      return e == null ? ClusterState.EMPTY : e.state();
    }
  }

  /**
   * Registers a Watch stream and hands it its snapshot, atomically; or refuses it, untouched, when
   * its address or its cluster already has as many streams as the {@link WatchCaps} allow. Streams
   * that subscribe to the same cluster state share one serialized snapshot.
   */
  public Optional<WatchCaps.Refusal> subscribe(Subscription s) {
    synchronized (lock) {
      if (halted != null) {
        s.close(GrpcStatus.UNAVAILABLE, halted.getMessage());
        return Optional.empty();
      }
      Set<Subscription> subs = subscribers.get(s.clusterId());
      if (subs != null && subs.size() >= watchCaps.perCluster()) {
        return Optional.of(WatchCaps.Refusal.CLUSTER);
      }
      if (watchesByAddress.getOrDefault(s.address(), 0) >= watchCaps.perAddress()) {
        return Optional.of(WatchCaps.Refusal.ADDRESS);
      }
      s.snapshot(sharedSnapshot(s.clusterId()), snapshotBytesSent);
      if (subs == null) {
        subs = new LinkedHashSet<>();
        subscribers.put(s.clusterId(), subs);
        if (!clusters.containsKey(s.clusterId())) {
          watchedEmpty++;
        }
      }
      if (subs.add(s)) {
        subscriptions++;
        watchesByAddress.merge(s.address(), 1, Integer::sum);
      }
      return Optional.empty();
    }
  }

  public void unsubscribe(Subscription s) {
    synchronized (lock) {
      Set<Subscription> subs = subscribers.get(s.clusterId());
      if (subs != null && subs.remove(s)) {
        subscriptions--;
        watchesByAddress.computeIfPresent(s.address(), (k, n) -> n == 1 ? null : n - 1);
        if (subs.isEmpty()) {
          subscribers.remove(s.clusterId());
          if (!clusters.containsKey(s.clusterId())) {
            watchedEmpty--;
          }
          sharedSnapshots.remove(s.clusterId());
        }
      }
    }
  }

  /**
   * The projection stopped following the log for good: every Watch stream ends with UNAVAILABLE
   * and {@code why}'s sentence (clients reconnect, to another instance), and no new one starts.
   */
  void halt(ProjectionHalted why) {
    List<Subscription> all = new ArrayList<>();
    synchronized (lock) {
      halted = why;
      subscribers.values().forEach(all::addAll);
    }
    all.forEach(s -> s.close(GrpcStatus.UNAVAILABLE, why.getMessage()));
  }

  /** Why this view no longer follows the log, once it stopped for good; empty while it does. */
  public Optional<ProjectionHalted> halted() {
    return Optional.ofNullable(halted);
  }

  /** The cluster's snapshot as of now: the one already built for this state, or a new one. Under the lock. */
  private SharedSnapshot sharedSnapshot(String clusterId) {
    ClusterState state = cluster(clusterId);
    WeakReference<SharedSnapshot> ref = sharedSnapshots.get(clusterId);
    SharedSnapshot shared = ref == null ? null : ref.get();
    if (shared == null || shared.state() != state) {
      shared = SharedSnapshot.of(state);
      snapshotsBuilt.incrementAndGet();
      sharedSnapshots.put(clusterId, new WeakReference<>(shared));
    }
    return shared;
  }

  /** How many Watch snapshots were serialized: fewer than Watches opened when streams share them. */
  public long snapshotsBuilt() {
    return snapshotsBuilt.get();
  }

  /**
   * Snapshot bytes handed to Watch streams so far. A stream whose reader does not read is handed
   * only what its HTTP/2 window and write queue take; the rest waits, shared, until it drains.
   */
  public long snapshotBytesSent() {
    return snapshotBytesSent.get();
  }

  /** Clusters that hold affiliates: what the log and the snapshots keep (watched empty ones are not). */
  public int clustersWithAffiliates() {
    synchronized (lock) {
      return clusters.size();
    }
  }

  /** Ends every Watch stream with OK (shutdown). */
  public void closeAll() {
    List<Subscription> all = new ArrayList<>();
    synchronized (lock) {
      subscribers.values().forEach(all::addAll);
    }
    all.forEach(Subscription::close);
  }

  /** Clusters that exist: with affiliates, or watched. Counted as they come and go: a metrics scrape walks nothing. */
  public int clusterCount() {
    synchronized (lock) {
      return clusters.size() + watchedEmpty;
    }
  }

  public long affiliateCount() {
    synchronized (lock) {
      return affiliates;
    }
  }

  public long endpointCount() {
    synchronized (lock) {
      return endpoints;
    }
  }

  public int subscriptionCount() {
    synchronized (lock) {
      return subscriptions;
    }
  }

  /** Every cluster's state, for comparing two views (tests, determinism checks). */
  public Map<String, ClusterState> allClusters() {
    synchronized (lock) {
      Map<String, ClusterState> all = new HashMap<>();
      clusters.forEach((id, e) -> all.put(id, e.state()));
      return all;
    }
  }

  private void count(ClusterState before, ClusterState after, String affiliateId) {
    affiliates += after.size() - before.size();
    int was = before.affiliate(affiliateId).map(a -> a.endpoints().size()).orElse(0);
    int is = after.affiliate(affiliateId).map(a -> a.endpoints().size()).orElse(0);
    endpoints += is - was;
  }

  /** Under the lock: the cluster now holds affiliates. */
  private void put(String clusterId, int partition, ClusterState state) {
    Entry was = clusters.put(clusterId, new Entry(partition, state));
    if (was == null && subscribers.containsKey(clusterId)) {
      watchedEmpty--;
    } else if (was != null && was.partition() != partition) {
      byPartition.get(was.partition()).remove(clusterId); // a cluster lives on one partition; only a bad load moves it
    }
    byPartition.computeIfAbsent(partition, p -> new HashMap<>()).put(clusterId, state);
  }

  /** Under the lock: the cluster holds no affiliates any more. */
  private void remove(String clusterId) {
    Entry was = clusters.remove(clusterId);
    if (was != null) {
      Map<String, ClusterState> part = byPartition.get(was.partition());
      part.remove(clusterId);
      if (part.isEmpty()) {
        byPartition.remove(was.partition());
      }
      if (subscribers.containsKey(clusterId)) {
        watchedEmpty++;
      }
    }
  }

  private void recount() {
    watchedEmpty = 0;
    for (String id : subscribers.keySet()) {
      if (!clusters.containsKey(id)) {
        watchedEmpty++;
      }
    }
    affiliates = 0;
    endpoints = 0;
    for (Entry e : clusters.values()) {
      affiliates += e.state().size();
      endpoints += e.state().endpointCount();
    }
  }

  private static String affiliateOf(Event e) {
    if (e instanceof AffiliateUpdated u) {
      return u.affiliateId();
    } else if (e instanceof AffiliateDeleted d) {
      return d.affiliateId();
    } else if (e instanceof AffiliateExpired x) {
      return x.affiliateId();
    } else if (e instanceof EndpointsExpired x) {
      return x.affiliateId();
    }
    return "";
  }
}
