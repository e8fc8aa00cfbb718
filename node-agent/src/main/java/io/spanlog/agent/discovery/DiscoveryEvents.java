package io.spanlog.agent.discovery;

/**
 * What a {@link DiscoveryClient} tells its owner, on the client's event loop: return quickly,
 * never block. The agent reconciles on a view change; metrics and benches count sends.
 */
@FunctionalInterface
public interface DiscoveryEvents {
  /** The cluster view changed: a Watch message added, changed or removed an affiliate. */
  void onViewChanged(ClusterView view);

  /**
   * An AffiliateUpdate carrying this node's affiliate goes out (the first publish, a change, the
   * refresh every TTL/2): where the propagation of the node to its peers starts.
   */
  default void onAffiliateSent() {}
}
