package io.spanlog.agent;

import io.spanlog.agent.reconcile.AgentState;
import java.time.Duration;

/**
 * What a running agent tells whoever watches it: a metrics exporter (passes, their duration,
 * affiliate sends), a test waiting for "the next pass", a bench timing a join. Register with
 * {@link NodeAgent#addListener}. Both methods must return quickly; an exception thrown from
 * {@link #onPass} is logged as a failed pass.
 */
public interface AgentEvents {
  /**
   * A reconcile pass finished, on the agent's thread.
   *
   * @param state what it left (the same object {@link NodeAgent#state()} returns from now on)
   * @param took how long the pass ran, publishing and reporting included
   */
  default void onPass(AgentState state, Duration took) {}

  /**
   * A Watch change was applied to the changed peers alone (no whole pass), on the agent's thread.
   *
   * @param state what it left (the same object {@link NodeAgent#state()} returns from now on)
   * @param took how long it ran, the device edit included
   * @param peersEdited how many peers the device edit touched (0: nothing to write)
   */
  default void onPeerChange(AgentState state, Duration took, int peersEdited) {}

  /**
   * An AffiliateUpdate carrying this node's affiliate goes out to the discovery service (first
   * publish, a change, the TTL refresh), on the discovery client's event loop: where the node's
   * propagation to its peers starts.
   */
  default void onAffiliateSent() {}
}
