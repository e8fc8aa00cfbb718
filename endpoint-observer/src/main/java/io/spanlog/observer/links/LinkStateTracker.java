package io.spanlog.observer.links;

import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The link-state fold: previous link record + one sample → next record and, when the state
 * really changed, one {@link LinkStateChanged}. Repeated samples in the same state change only
 * the record.
 *
 * <p>The first sample the observer sees of a link sets its baseline without an event: nothing
 * proves what the state was before it (the observer may have started mid-stream, or the log's
 * retention cut the beginning). A sample not newer than the link's latest (a duplicate delivery,
 * or an old batch after a newer one) is {@linkplain Step#stale() stale} and changes nothing.
 */
public final class LinkStateTracker {
  private LinkStateTracker() {}

  /**
   * What one sample did to a link.
   *
   * @param next the link's record after the sample
   * @param previous the record before, empty at the baseline
   * @param change the state change, if the sample showed one
   * @param stale the sample was not newer than the link's latest and was ignored
   */
  public record Step(
      LinkRecord next, Optional<LinkRecord> previous, Optional<LinkStateChanged> change,
      boolean stale) {
    public Step {
      Objects.requireNonNull(next, "next");
      Objects.requireNonNull(previous, "previous");
      Objects.requireNonNull(change, "change");
    }

    public boolean baseline() {
      return previous.isEmpty();
    }

    /**
     * Whether the sample showed the link up through an endpoint it was not up through at the
     * previous sample (or at the baseline): the moment to ask if that endpoint is new for the peer.
     */
    public boolean upThroughNewEndpoint() {
      if (stale || next.state() != PeerState.UP || next.endpoint().isEmpty()) {
        return false;
      }
      return previous.isEmpty()
          || previous.get().state() != PeerState.UP
          || !previous.get().endpoint().equals(next.endpoint());
    }
  }

  public static Step observe(
      LinkKey key, Optional<LinkRecord> previous, String nodeId, PeerSample sample, Instant at) {
    if (previous.isEmpty()) {
      LinkRecord first =
          new LinkRecord(nodeId, sample.label(), sample.state(), at, false, at, sample.endpoint(),
              sample.endpointSource(), sample.rule(), sample.rxBytes(), sample.txBytes(),
              FlapHistory.NONE);
      return new Step(first, previous, Optional.empty(), false);
    }
    LinkRecord prev = previous.get();
    if (!at.isAfter(prev.lastSampleAt())) {
      return new Step(prev, previous, Optional.empty(), true);
    }
    if (sample.state() == prev.state()) {
      LinkRecord same =
          new LinkRecord(nodeId, sample.label(), prev.state(), prev.stateSince(),
              prev.stateStartSeen(), at, sample.endpoint(), sample.endpointSource(), sample.rule(),
              sample.rxBytes(), sample.txBytes(), prev.flaps());
      return new Step(same, previous, Optional.empty(), false);
    }
    LinkStateChanged change =
        new LinkStateChanged(
            nodeId,
            key.nodePublicKey(),
            key.peerPublicKey(),
            sample.label(),
            prev.state(),
            sample.state(),
            sample.endpoint(),
            sample.endpointSource(),
            sample.rule(),
            prev.stateSince(),
            prev.stateStartSeen(),
            prev.lastSampleAt(),
            at,
            Duration.between(prev.stateSince(), at));
    LinkRecord changed =
        new LinkRecord(nodeId, sample.label(), sample.state(), at, true, at, sample.endpoint(),
            sample.endpointSource(), sample.rule(), sample.rxBytes(), sample.txBytes(),
            prev.flaps());
    return new Step(changed, previous, Optional.of(change), false);
  }
}
