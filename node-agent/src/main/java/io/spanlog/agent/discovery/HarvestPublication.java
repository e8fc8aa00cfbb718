package io.spanlog.agent.discovery;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.net.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which harvested endpoints this node publishes. Talos publishes every up peer's endpoint from
 * every node at every refresh, even when the peer advertises it itself, so discovery load grows
 * with the square of the cluster (talos#8054). Here an endpoint E harvested for peer P is
 * published only when
 *
 * <ul>
 *   <li>this node already publishes it (it keeps refreshing what it started, at the TTL's pace);
 *       or
 *   <li>P's affiliate in the view does not list E: neither P itself nor any other node has
 *       published it (the view merges P's own endpoints and those harvested for it by anyone).
 * </ul>
 *
 * <p>An endpoint harvested for an affiliate that is not in the view is not published: an
 * endpoints-only update would create an empty affiliate for it. An endpoint no longer harvested is
 * dropped from what this node publishes and expires at the service with its TTL; when it has
 * expired and is still worth knowing, the next node that harvests it publishes it again. Two nodes
 * that harvest the same new endpoint before either one's update comes back on Watch both keep it:
 * the duplicates are bounded by the nodes that find it within one Watch round trip, not by the
 * cluster size.
 */
public final class HarvestPublication {
  private HarvestPublication() {}

  /**
   * @param harvested the endpoints found working this pass, by affiliate id
   * @param view the cluster as the Watch shows it now
   * @param published what this node published until now, by affiliate id (the last result)
   * @return what this node publishes from now on, by affiliate id (sorted, no empty lists)
   */
  public static Map<String, List<Endpoint>> select(
      Map<String, List<Endpoint>> harvested, ClusterView view, Map<String, List<Endpoint>> published) {
    Map<String, List<Endpoint>> out = new TreeMap<>();
    harvested.forEach((affiliateId, endpoints) -> {
      Optional<AffiliateView> peer = view.get(affiliateId);
      if (peer.isEmpty()) {
        return;
      }
      List<Endpoint> ours = published.getOrDefault(affiliateId, List.of());
      List<Endpoint> listed = peer.get().endpoints();
      List<Endpoint> keep = new ArrayList<>();
      for (Endpoint e : endpoints) {
        if ((ours.contains(e) || !listed.contains(e)) && !keep.contains(e)) {
          keep.add(e);
        }
      }
      if (!keep.isEmpty()) {
        out.put(affiliateId, List.copyOf(keep));
      }
    });
    return out;
  }
}
