package io.spanlog.agent.bench;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.agent.discovery.ClusterView;
import io.spanlog.agent.discovery.HarvestPublication;
import io.spanlog.agent.discovery.LocalAffiliate;
import io.spanlog.agent.discovery.RefreshPlan;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.net.Endpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * {@code ./spanlog bench harvest [nodes...]}: AffiliateUpdate requests per second that a cluster of
 * N nodes sends to discovery, before and after the harvested-endpoint rule ({@link
 * HarvestPublication}, {@link RefreshPlan#due}), by simulating the agents' publish logic over one
 * seeded event sequence: no network, no service, simulated time.
 *
 * <p>Model: every node is up with every other; a share of the nodes (10 %) sits behind a NAT whose
 * mapped port is not one the node advertises, so the others harvest that mapping. Each node runs a
 * pass every 30 s (staggered) and its TTL refresh every 15 min (random phase); a NAT mapping
 * changes every 20 s somewhere in the cluster. Publications reach every node's view one second
 * later; the service keeps endpoints 30 min from their last refresh. "Before" is the logic of the
 * agent until this change: every pass hands every up peer's endpoint to the client, which sends the
 * own affiliate and one update per peer whenever anything changed, and all of it at every TTL
 * refresh. Counted: the second half hour to the end (steady state, startup excluded) and the first
 * 30 s (everyone's first pass), separately.
 */
public final class HarvestLoadBench {
  private static final int PASS_SECONDS = 30;
  private static final int TTL_REFRESH_SECONDS = 15 * 60;
  private static final int TTL_SECONDS = 30 * 60;
  private static final int REMAP_EVERY_SECONDS = 20;
  private static final int STEADY_FROM = 30 * 60;
  private static final int END = 90 * 60;
  private static final double NAT_SHARE = 0.10;

  private HarvestLoadBench() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {100, 250, 500, 1000} : java.util.Arrays.stream(args)
        .mapToInt(Integer::parseInt).toArray();
    System.out.printf("%nAffiliateUpdate requests/s of a simulated cluster (all links up, %d %% of nodes behind NAT,"
        + " one NAT remap every %d s; steady state over %d min, startup = the first %d s)%n%n",
        Math.round(NAT_SHARE * 100), REMAP_EVERY_SECONDS, (END - STEADY_FROM) / 60, PASS_SECONDS);
    System.out.printf("| %6s | %12s | %12s | %8s | %14s | %14s | %12s |%n", "nodes", "before /s", "after /s", "ratio",
        "startup before", "startup after", "after/node/h");
    System.out.printf("|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(8), "-".repeat(14), "-".repeat(14), "-".repeat(10),
        "-".repeat(16), "-".repeat(16), "-".repeat(14));
    for (int n : sizes) {
      Counts before = new Cluster(n, false).run();
      Counts after = new Cluster(n, true).run();
      double b = before.steady / (double) (END - STEADY_FROM);
      double a = after.steady / (double) (END - STEADY_FROM);
      System.out.printf("| %,6d | %12.1f | %12.2f | %7.0fx | %,14d | %,14d | %12.2f |%n", n, b, a, b / Math.max(a, 1e-9),
          before.startup, after.startup, a * 3600 / n);
    }
    System.out.println();
    System.out.println("before: own affiliate + one update per up peer at every change and every TTL refresh (N^2);");
    System.out.println("after: only endpoints no one lists, sent when new and at the TTL refresh (own: 1 per node).");
  }

  private record Counts(long steady, long startup) {}

  /**
   * One simulated cluster with one publish logic. A node's pass hands the publish rule only the
   * peers whose harvested endpoint or affiliate in the view changed since that node's last pass:
   * the rule decides each peer from that peer's entries alone ({@link HarvestPublication#select}
   * gives an unchanged peer the same result again, and {@link RefreshPlan#due} sends it only at the
   * TTL refresh), so the counts are those of handing it every peer, while a pass costs what changed
   * instead of the cluster's size (which made the simulation itself grow with nodes² and the
   * 1,000-node row take too long to finish).
   */
  private static final class Cluster {
    private final int n;
    private final boolean newRule;
    private final Random random = new Random(42);
    private final Endpoint[] own;
    private final Endpoint[] mapped; // null: not behind NAT
    private final int[] ttlPhase;
    private final String[] ids;
    private final DecodedAffiliate[] data;
    private final Optional<LocalAffiliate>[] locals;
    // the service: per affiliate, endpoint -> expiry second
    private final List<Map<Endpoint, Integer>> served = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    // per node: what it publishes and what it sent
    private final List<Map<String, List<Endpoint>>> published = new ArrayList<>();
    private final RefreshPlan.Sent[] sent;
    // the second each affiliate's harvested endpoint or listed endpoints last changed (new rule), or
    // its NAT mapping (old rule); the second of each node's last pass (new rule) or send (old rule)
    private final int[] changedAt;
    private final int[] lastSeen;
    private final TreeMap<String, AffiliateView> viewEntries = new TreeMap<>();
    private final java.util.Set<Integer> viewDirty = new java.util.HashSet<>();
    private ClusterView view;

    private record Pending(int affiliate, List<Endpoint> endpoints) {}

    @SuppressWarnings("unchecked")
    Cluster(int n, boolean newRule) throws UnknownHostException {
      this.n = n;
      this.newRule = newRule;
      own = new Endpoint[n];
      mapped = new Endpoint[n];
      ttlPhase = new int[n];
      ids = new String[n];
      data = new DecodedAffiliate[n];
      locals = new Optional[n];
      sent = new RefreshPlan.Sent[n];
      changedAt = new int[n];
      lastSeen = new int[n];
      for (int i = 0; i < n; i++) {
        InetAddress a = InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
        own[i] = new Endpoint(a, 51820);
        if (random.nextDouble() < NAT_SHARE) {
          mapped[i] = remap(i);
        }
        ttlPhase[i] = random.nextInt(TTL_REFRESH_SECONDS);
        ids[i] = "node-" + i;
        data[i] = new DecodedAffiliate(ids[i], List.of(a), ids[i], ids[i], "worker", "t", Optional.empty());
        locals[i] = Optional.of(new LocalAffiliate(data[i], List.of(own[i])));
        sent[i] = RefreshPlan.Sent.NOTHING;
        Map<Endpoint, Integer> endpoints = new LinkedHashMap<>();
        endpoints.put(own[i], TTL_SECONDS);
        served.add(endpoints);
        published.add(Map.of());
        lastSeen[i] = -1;
        viewDirty.add(i);
      }
    }

    private Endpoint remap(int i) throws UnknownHostException {
      InetAddress publicIp = InetAddress.getByAddress(new byte[] {(byte) 198, 51, (byte) (i >> 8), (byte) i});
      return new Endpoint(publicIp, 20000 + random.nextInt(40000));
    }

    /** The affiliate's listed endpoints changed at second t (seen by the passes of t on). */
    private void listedChanged(int affiliate, int t) {
      changedAt[affiliate] = t;
      viewDirty.add(affiliate);
    }

    Counts run() throws UnknownHostException {
      long steady = 0;
      long startup = 0;
      for (int t = 0; t < END; t++) {
        // what was sent last second is on every Watch now
        for (Pending p : pending) {
          final int expiry = t + TTL_SECONDS;
          for (Endpoint e : p.endpoints()) {
            if (served.get(p.affiliate()).put(e, expiry) == null) {
              listedChanged(p.affiliate(), t);
            }
          }
        }
        pending.clear();
        if (newRule && t % 60 == 0) { // the old rule reads nothing the service holds
          for (int j = 0; j < n; j++) {
            final int now = t;
            if (served.get(j).values().removeIf(expiry -> expiry < now)) {
              listedChanged(j, t);
            }
          }
        }
        if (t % REMAP_EVERY_SECONDS == 0 && t > 0) {
          int i;
          do {
            i = random.nextInt(n);
          } while (mapped[i] == null);
          Endpoint next = remap(i);
          if (!next.equals(mapped[i])) {
            changedAt[i] = t;
          }
          mapped[i] = next;
        }
        long requests = 0;
        for (int i = 0; i < n; i++) {
          if ((t + i) % PASS_SECONDS == 0) {
            requests += pass(i, t, false);
          }
          if (t % TTL_REFRESH_SECONDS == ttlPhase[i]) {
            requests += pass(i, t, true);
          }
        }
        if (t >= STEADY_FROM) {
          steady += requests;
        }
        if (t < PASS_SECONDS) {
          startup += requests;
        }
      }
      return new Counts(steady, startup);
    }

    /** One node hands its harvest to its client; returns the requests the client sends. */
    private long pass(int i, int t, boolean ttlRefresh) {
      return newRule ? passNewRule(i, t, ttlRefresh) : passOldRule(i, t, ttlRefresh);
    }

    private long passNewRule(int i, int t, boolean ttlRefresh) {
      List<HarvestedEndpoint> harvest = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i && changedAt[j] > lastSeen[i]) {
          harvest.add(new HarvestedEndpoint("K" + j, ids[j], mapped[j] != null ? mapped[j] : own[j]));
        }
      }
      lastSeen[i] = t;
      Map<String, List<Endpoint>> changed = RefreshPlan.group(harvest);
      Map<String, List<Endpoint>> before = published.get(i);
      Map<String, List<Endpoint>> ours = new TreeMap<>();
      changed.keySet().forEach(id -> Optional.ofNullable(before.get(id)).ifPresent(e -> ours.put(id, e)));
      Map<String, List<Endpoint>> selected = HarvestPublication.select(changed, view(), ours);
      Map<String, List<Endpoint>> publishing = new TreeMap<>(before);
      publishing.keySet().removeAll(changed.keySet());
      publishing.putAll(selected);
      published.set(i, publishing);
      RefreshPlan.Due due = RefreshPlan.due(sent[i], locals[i], ttlRefresh ? publishing : selected, ttlRefresh);
      if (due.isEmpty()) {
        return 0;
      }
      sent[i] = RefreshPlan.afterSending(sent[i], locals[i], publishing, due);
      if (due.own()) {
        pending.add(new Pending(i, List.of(own[i])));
      }
      for (String id : due.harvestedFor()) {
        pending.add(new Pending(Integer.parseInt(id.substring("node-".length())), publishing.get(id)));
      }
      return (due.own() ? 1 : 0) + due.harvestedFor().size();
    }

    /**
     * Before: at every change of its harvest (a peer remapped since it last sent), at its first
     * pass and at every TTL refresh, a node sends its own affiliate and one update per peer. What
     * it sends changes nothing the old rule reads, so it is counted, not delivered.
     */
    private long passOldRule(int i, int t, boolean ttlRefresh) {
      boolean harvestChanged = false;
      for (int j = 0; j < n && !harvestChanged; j++) {
        harvestChanged = j != i && changedAt[j] > lastSeen[i];
      }
      if (!ttlRefresh && !harvestChanged && lastSeen[i] >= 0) {
        return 0;
      }
      lastSeen[i] = t;
      return 1 + (n - 1);
    }

    private ClusterView view() {
      if (!viewDirty.isEmpty()) {
        for (int j : viewDirty) {
          viewEntries.put(ids[j], new AffiliateView(ids[j], data[j], List.copyOf(served.get(j).keySet())));
        }
        viewDirty.clear();
        view = ClusterView.of(viewEntries);
      }
      return view;
    }
  }
}
