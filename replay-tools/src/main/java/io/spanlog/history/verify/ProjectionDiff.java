package io.spanlog.history.verify;

import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.EndpointState;
import io.spanlog.events.Blob;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What {@code ctl history verify} finds: the differences between the discovery projection rebuilt
 * from the log and what the service answers (its List), or what its latest snapshot holds. Pure.
 *
 * <p>Affiliate data and endpoints are opaque (sealed with the cluster secret); a value is shown
 * as its size and the first bytes of its SHA-256, enough to tell two values apart and to find
 * the event that wrote one, never the bytes themselves.
 */
public final class ProjectionDiff {
  private ProjectionDiff() {}

  /** One affiliate of a List answer: id, data, endpoint blobs in the order served. */
  public record ListedAffiliate(String id, Blob data, List<Blob> endpoints) {
    public ListedAffiliate {
      endpoints = List.copyOf(endpoints);
    }
  }

  /**
   * One difference.
   *
   * @param field {@code affiliate} (present on one side only), {@code data}, {@code endpoints},
   *     and for snapshots also {@code expiry} and {@code endpoint-expiry}
   * @param log the value rebuilt from the log
   * @param other the value the service answered (or its snapshot holds)
   */
  public record Difference(String cluster, String affiliate, String field, String log, String other) {}

  /** The differences between the log's state of {@code cluster} and the service's List of it. */
  public static List<Difference> againstList(String cluster, ClusterState log, List<ListedAffiliate> listed) {
    List<Difference> out = new ArrayList<>();
    Map<String, ListedAffiliate> served = new LinkedHashMap<>();
    listed.forEach(a -> served.put(a.id(), a));
    for (String id : ids(log, served.keySet())) {
      Optional<AffiliateState> mine = log.affiliate(id);
      ListedAffiliate theirs = served.get(id);
      if (mine.isEmpty() || theirs == null) {
        out.add(new Difference(cluster, id, "affiliate", mine.isPresent() ? "present" : "absent",
            theirs != null ? "present" : "absent"));
        continue;
      }
      if (!mine.get().data().equals(theirs.data())) {
        out.add(new Difference(cluster, id, "data", describe(mine.get().data()), describe(theirs.data())));
      }
      if (!mine.get().endpointBlobs().equals(theirs.endpoints())) {
        out.add(new Difference(cluster, id, "endpoints", describe(mine.get().endpointBlobs()),
            describe(theirs.endpoints())));
      }
    }
    return out;
  }

  /** Whether the service's List of a cluster is exactly the log's state of it. */
  public static boolean agrees(ClusterState log, List<ListedAffiliate> listed) {
    return againstList("", log, listed).isEmpty();
  }

  /**
   * The differences between the log's state of {@code cluster} folded up to a snapshot's offset
   * and that snapshot's state of it: everything List compares, and the expiries.
   */
  public static List<Difference> againstSnapshot(String cluster, ClusterState log, ClusterState snapshot) {
    List<Difference> out = new ArrayList<>(againstList(cluster, log, snapshot.affiliates().stream()
        .map(a -> new ListedAffiliate(a.id(), a.data(), a.endpointBlobs())).toList()));
    for (AffiliateState mine : log.affiliates()) {
      Optional<AffiliateState> theirs = snapshot.affiliate(mine.id());
      if (theirs.isEmpty()) {
        continue; // reported above
      }
      if (!mine.expiry().equals(theirs.get().expiry())) {
        out.add(new Difference(cluster, mine.id(), "expiry", mine.expiry().toString(), theirs.get().expiry().toString()));
      }
      if (mine.endpointBlobs().equals(theirs.get().endpointBlobs())
          && !mine.endpoints().equals(theirs.get().endpoints())) {
        out.add(new Difference(cluster, mine.id(), "endpoint-expiry", expiries(mine.endpoints()),
            expiries(theirs.get().endpoints())));
      }
    }
    return out;
  }

  private static TreeSet<String> ids(ClusterState log, java.util.Set<String> served) {
    TreeSet<String> ids = new TreeSet<>(served);
    log.affiliates().forEach(a -> ids.add(a.id()));
    return ids;
  }

  private static String expiries(List<EndpointState> endpoints) {
    return endpoints.stream().map(e -> e.expiry().toString()).toList().toString();
  }

  /** {@code 42 bytes sha256:1a2b3c4d}; {@code empty} for none. */
  static String describe(Blob blob) {
    if (blob.isEmpty()) {
      return "empty";
    }
    return blob.size() + " bytes sha256:" + HexFormat.of().formatHex(sha256(blob.toByteArray()), 0, 4);
  }

  static String describe(List<Blob> blobs) {
    return blobs.stream().map(ProjectionDiff::describe).toList().toString();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
