package io.spanlog.agent.api;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.reconcile.AgentState;
import java.util.concurrent.CompletionStage;

/**
 * What the status API needs of the agent it serves: the sources of its views and the leave.
 * {@code NodeAgent} provides one; the HTTP side ({@link StatusRoutes}, {@link LeaveAction}) sees
 * nothing else of it.
 */
public interface ServedAgent {
  /** This node; {@link IllegalStateException} before the agent started. */
  LocalNode self();

  /** The identity view: this node with its discovery and telemetry as they are now. */
  StatusViews.Identity identity();

  /** What the last pass left: the peer spec, peer status and endpoint views read it. */
  AgentState state();

  /**
   * What the last pass left with each resource's version ({@link ResourceVersions}): the peer
   * spec, peer status and endpoint views read it. An agent that does not count changes shows every
   * resource at version 1.
   */
  default ResourceVersions versions() {
    return ResourceVersions.NONE.next(self(), state());
  }

  /** The secret a {@link LeaveProof} is made with. */
  ClusterSecret clusterSecret();

  /**
   * Leaves the cluster off the caller's thread: the affiliate deleted, publishing stopped, every
   * peer removed from the device. Completes with what was done, or fails with {@link LeaveRefused}
   * (any other failure is a bug). The agent keeps its status API until {@link #stopAfterLeaving}.
   */
  CompletionStage<StatusViews.Left> leave();

  /** Stops the agent, once the answer to its leave has been sent. */
  void stopAfterLeaving();
}
