package io.spanlog.history.timeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One time-ordered story of a link (NODE observing PEER) over a time range: what {@code spanlog
 * ctl history timeline} prints and draws. Built by {@link LinkTimelineFold}.
 *
 * @param clusterId the cluster
 * @param node the observing node
 * @param peer the peer it observes
 * @param from start of the range, inclusive
 * @param to end of the range, inclusive
 * @param stateSource where the link states came from
 * @param rateSource where the RX/TX rates came from
 * @param states the link's state bands, covering {@code from..to} without gaps
 * @param nodePresence the observing node's reporting and discovery reachability, {@code from..to}
 * @param peerPresence the same for the peer
 * @param rates RX/TX of the link, in time order
 * @param endpointChanges when the observing node started using each endpoint for the peer
 * @param entries the story, in time order
 * @param notes what the reader should know about the story's gaps (missing link events, batches
 *     that did not open...), one sentence each
 */
public record LinkTimeline(
    String clusterId,
    LinkEnd node,
    LinkEnd peer,
    Instant from,
    Instant to,
    FactSource stateSource,
    FactSource rateSource,
    List<StateSpan> states,
    List<PresenceSpan> nodePresence,
    List<PresenceSpan> peerPresence,
    List<RatePoint> rates,
    List<EndpointMark> endpointChanges,
    List<TimelineEntry> entries,
    List<String> notes) {
  public LinkTimeline {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(stateSource, "stateSource");
    Objects.requireNonNull(rateSource, "rateSource");
    states = List.copyOf(states);
    nodePresence = List.copyOf(nodePresence);
    peerPresence = List.copyOf(peerPresence);
    rates = List.copyOf(rates);
    endpointChanges = List.copyOf(endpointChanges);
    entries = List.copyOf(entries);
    notes = List.copyOf(notes);
  }

  /** "node → peer", for titles. */
  public String title() {
    return node.name() + " \u2192 " + peer.name();
  }

  /** The entries of one kind, in time order (what tests and scripts look for). */
  public List<TimelineEntry> entries(EntryKind kind) {
    return entries.stream().filter(e -> e.kind() == kind).toList();
  }
}
