package io.spanlog.agent.reconcile;

import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.agent.status.PeerStatus;
import io.spanlog.peers.PeerSpecSet;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the last reconcile pass left behind: the operator views read it, the next pass starts
 * from its statuses. Immutable; replaced as a whole after each pass.
 *
 * @param reconciledAt when the pass ran; empty before the first one
 */
public record AgentState(
    PeerSpecSet specs,
    SortedMap<String, PeerStatus> statuses,
    List<HarvestedEndpoint> harvested,
    Optional<Instant> reconciledAt) {

  public static final AgentState INITIAL =
      new AgentState(new PeerSpecSet(List.of(), List.of()), new TreeMap<>(), List.of(), Optional.empty());

  public AgentState {
    Objects.requireNonNull(specs, "specs");
    statuses = Collections.unmodifiableSortedMap(new TreeMap<>(statuses));
    harvested = List.copyOf(harvested);
    Objects.requireNonNull(reconciledAt, "reconciledAt");
  }
}
