package io.spanlog.discovery.rpc;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.UpdateAdmission;
import io.spanlog.discovery.WriteOutcome;
import io.spanlog.discovery.metrics.DiscoveryMetrics;
import io.spanlog.discovery.projection.ClusterProjection;
import io.spanlog.events.Blob;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;

/**
 * What an AffiliateUpdate must pass before its event is appended, judged on this instance's
 * projection: the spec's per-affiliate and per-cluster limits when the update would certainly
 * break them ({@link UpdateAdmission}), and this instance's caps on clusters and affiliates, so
 * that the log, the projection and its snapshots stay bounded. A refused update appends nothing.
 *
 * <p>Never in the fold: a replay must give the same state whatever the caps were when the log was
 * written. The caps are soft by the writes in flight: updates admitted at the same instant are
 * all appended, so the count may pass a cap by as many as are concurrently admitted.
 */
public final class WriteAdmission {
  static final String TOO_MANY_CLUSTERS = "too many clusters on this discovery service";
  static final String TOO_MANY_AFFILIATES = "too many affiliates on this discovery service";

  private final ClusterProjection view;
  private final int maxClusters;
  private final int maxAffiliates;
  private final DiscoveryMetrics metrics;

  public WriteAdmission(ClusterProjection view, int maxClusters, int maxAffiliates, DiscoveryMetrics metrics) {
    if (maxClusters < 1 || maxAffiliates < 1) {
      throw new IllegalArgumentException("the caps on clusters and affiliates must be at least 1");
    }
    this.view = view;
    this.maxClusters = maxClusters;
    this.maxAffiliates = maxAffiliates;
    this.metrics = metrics;
  }

  /** @throws StatusError RESOURCE_EXHAUSTED with the limit's sentence */
  void update(String clusterId, String affiliateId, List<Blob> endpoints) {
    ClusterState cluster = view.cluster(clusterId);
    WriteOutcome spec = UpdateAdmission.judge(cluster, affiliateId, endpoints);
    if (!spec.ok()) {
      throw new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, spec.message());
    }
    if (cluster.affiliate(affiliateId).isPresent()) {
      return; // an update of a known affiliate grows nothing the caps count
    }
    if (cluster.isEmpty() && view.clustersWithAffiliates() >= maxClusters) {
      metrics.capacityRefused("clusters");
      throw new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, TOO_MANY_CLUSTERS);
    }
    if (view.affiliateCount() >= maxAffiliates) {
      metrics.capacityRefused("affiliates");
      throw new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, TOO_MANY_AFFILIATES);
    }
  }
}
