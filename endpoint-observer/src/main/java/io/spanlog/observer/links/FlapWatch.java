package io.spanlog.observer.links;

import io.spanlog.events.Event;
import io.spanlog.events.LinkFlapping;
import io.spanlog.events.LinkFlappingCleared;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Flapping as a fold over a link's samples: more than {@code maxChanges} state changes within
 * {@code window} raise {@link LinkFlapping}; keeping one state for {@code quiet} afterwards gives
 * {@link LinkFlappingCleared}. All on sample time.
 */
public final class FlapWatch {
  private final int maxChanges;
  private final Duration window;
  private final Duration quiet;

  public FlapWatch(int maxChanges, Duration window, Duration quiet) {
    this.maxChanges = maxChanges;
    this.window = window;
    this.quiet = quiet;
  }

  /**
   * Whether a state change counts toward flapping. A link's first known state (from
   * {@link PeerState#UNKNOWN}: the agent has just learned the peer, or restarted) is how every
   * link starts, not instability; counting it made a link that just came up show one flap.
   */
  public static boolean countsAsFlap(LinkStateChanged change) {
    return change.from() != PeerState.UNKNOWN;
  }

  /** The history after one sample, and the flapping event it raised, if any. */
  public record Step(FlapHistory next, Optional<Event> event) {}

  /**
   * @param key the link
   * @param link the link's record after the sample (state, labels)
   * @param history the link's flapping history before the sample
   * @param changed whether the sample changed the link's state in a way that counts toward
   *     flapping ({@link #countsAsFlap})
   * @param at the sample time
   */
  public Step afterSample(
      LinkKey key, LinkRecord link, FlapHistory history, boolean changed, Instant at) {
    if (changed) {
      Instant horizon = at.minus(window);
      List<Instant> recent = new ArrayList<>();
      for (Instant t : history.recentChanges()) {
        if (t.isAfter(horizon)) {
          recent.add(t);
        }
      }
      recent.add(at);
      if (history.flappingSince().isPresent()) {
        return new Step(
            new FlapHistory(recent, history.flappingSince(), Optional.of(at),
                history.changesWhileFlapping() + 1),
            Optional.empty());
      }
      if (recent.size() > maxChanges) {
        LinkFlapping flapping =
            new LinkFlapping(link.nodeId(), key.nodePublicKey(), key.peerPublicKey(),
                link.peerLabel(), recent.size(), window, recent.get(0), at);
        return new Step(
            new FlapHistory(recent, Optional.of(at), Optional.of(at), recent.size()),
            Optional.of(flapping));
      }
      return new Step(
          new FlapHistory(recent, Optional.empty(), Optional.of(at), 0), Optional.empty());
    }
    if (history.flappingSince().isPresent() && history.lastChangeAt().isPresent()) {
      Duration quietFor = Duration.between(history.lastChangeAt().get(), at);
      if (quietFor.compareTo(quiet) >= 0) {
        return new Step(
            new FlapHistory(List.of(), Optional.empty(), history.lastChangeAt(), 0),
            Optional.of(cleared(key, link, link.state(), history, quietFor)));
      }
    }
    return new Step(history, Optional.empty());
  }

  /** The all-clear of a flapping link whose node no longer lists the peer; empty otherwise. */
  public Optional<Event> onRemoval(LinkKey key, LinkRecord link, Instant at) {
    FlapHistory h = link.flaps();
    if (h.flappingSince().isEmpty()) {
      return Optional.empty();
    }
    Duration quietFor = Duration.between(h.lastChangeAt().orElse(at), at);
    return Optional.of(cleared(key, link, PeerState.UNKNOWN, h, quietFor));
  }

  private static LinkFlappingCleared cleared(
      LinkKey key, LinkRecord link, PeerState state, FlapHistory h, Duration quietFor) {
    return new LinkFlappingCleared(link.nodeId(), key.nodePublicKey(), key.peerPublicKey(),
        link.peerLabel(), state, h.flappingSince().orElseThrow(),
        h.lastChangeAt().orElseThrow(), quietFor, h.changesWhileFlapping());
  }
}
