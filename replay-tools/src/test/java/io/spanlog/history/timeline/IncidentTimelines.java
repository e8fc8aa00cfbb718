package io.spanlog.history.timeline;

import java.util.Optional;

/** The scripted {@link Incident} as timelines, for renderer and browser tests. */
public final class IncidentTimelines {
  private IncidentTimelines() {}

  /** node-1 → node-2 over the whole incident, with the observer's events. */
  public static LinkTimeline incident() {
    Incident incident = new Incident();
    return LinkTimelineFold.of(Incident.CLUSTER, "node-1:node-2", incident.secret, incident.all());
  }

  /** The same story with the peer renamed (what a hostile node could call itself). */
  public static LinkTimeline withPeerNamed(String name) {
    LinkTimeline tl = incident();
    LinkEnd peer = new LinkEnd(name, tl.peer().publicKey(), tl.peer().affiliateId());
    return new LinkTimeline(tl.clusterId(), tl.node(), peer, tl.from(), tl.to(), tl.stateSource(), tl.rateSource(),
        tl.states(), tl.nodePresence(), tl.peerPresence(), tl.rates(), tl.endpointChanges(), tl.entries().stream()
        .map(e -> new TimelineEntry(e.at(), e.kind(), e.about(), e.text().replace("node-2", name), e.details()))
        .toList(), tl.notes());
  }
}
