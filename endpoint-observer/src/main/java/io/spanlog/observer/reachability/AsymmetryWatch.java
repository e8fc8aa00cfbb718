package io.spanlog.observer.reachability;

import io.spanlog.events.Event;
import io.spanlog.events.LinkAsymmetric;
import io.spanlog.events.LinkAsymmetryCleared;
import io.spanlog.events.PeerState;
import io.spanlog.observer.links.LinkKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Asymmetric links from two cells of the matrix: a node sees a peer {@code up} while the peer sees
 * the node otherwise, or has no cell for it at all. Raised on the up side's samples once it has
 * lasted {@code after}; cleared on either side's sample once the two agree.
 *
 * <p>Sample times of two agents are compared here, so a clock skew between them shifts the
 * judged duration by as much.
 */
public final class AsymmetryWatch {
  private final Duration after;

  public AsymmetryWatch(Duration after) {
    this.after = after;
  }

  /** The cell after the check, and the event the check raised, if any. */
  public record Step(ReachabilityCell cell, Optional<Event> event) {}

  /**
   * Checks the direction {@code key} after one of its own samples: may raise or clear.
   *
   * @param cell the cell of {@code key}, already updated with the sample
   * @param reverse the peer's cell for the node, if it has one
   * @param at the sample time
   */
  public Step check(
      LinkKey key, ReachabilityCell cell, Optional<ReachabilityCell> reverse, Instant at) {
    if (disagree(cell, reverse)) {
      if (cell.asymmetricSince().isPresent()) {
        return new Step(cell, Optional.empty());
      }
      Instant since = reverse.map(r -> max(cell.since(), r.since())).orElse(cell.since());
      Duration lasted = Duration.between(since, at);
      if (lasted.compareTo(after) < 0) {
        return new Step(cell, Optional.empty());
      }
      LinkAsymmetric raised =
          new LinkAsymmetric(cell.nodeId(), key.nodePublicKey(), key.peerPublicKey(),
              cell.peerLabel(), reverse.map(ReachabilityCell::state), since, lasted);
      return new Step(cell.withAsymmetricSince(Optional.of(since)), Optional.of(raised));
    }
    return clearIfReported(key, cell, cell.state(), reverse, at);
  }

  /**
   * Checks the reverse direction after a sample of {@code key}'s node changed {@code key}'s cell:
   * only clears (raising waits for the reverse node's own samples).
   *
   * @param reverseCell the cell of {@code key.reverse()}
   * @param cell the cell of {@code key} after the sample, empty when it was removed
   */
  public Step recheckReverse(
      LinkKey key, ReachabilityCell reverseCell, Optional<ReachabilityCell> cell, Instant at) {
    if (reverseCell.asymmetricSince().isEmpty() || disagree(reverseCell, cell)) {
      return new Step(reverseCell, Optional.empty());
    }
    return clearIfReported(key.reverse(), reverseCell, reverseCell.state(), cell, at);
  }

  /** The all-clear of a reported direction whose node no longer lists the peer. */
  public Optional<Event> onRemoval(
      LinkKey key, ReachabilityCell cell, Optional<ReachabilityCell> reverse, Instant at) {
    return clearIfReported(key, cell, PeerState.UNKNOWN, reverse, at).event();
  }

  private static Step clearIfReported(
      LinkKey key, ReachabilityCell cell, PeerState state, Optional<ReachabilityCell> reverse,
      Instant at) {
    if (cell.asymmetricSince().isEmpty()) {
      return new Step(cell, Optional.empty());
    }
    Instant since = cell.asymmetricSince().get();
    LinkAsymmetryCleared cleared =
        new LinkAsymmetryCleared(cell.nodeId(), key.nodePublicKey(), key.peerPublicKey(),
            cell.peerLabel(), state, reverse.map(ReachabilityCell::state), since, at,
            Duration.between(since, at));
    return new Step(cell.withAsymmetricSince(Optional.empty()), Optional.of(cleared));
  }

  private static boolean disagree(ReachabilityCell cell, Optional<ReachabilityCell> reverse) {
    return cell.state() == PeerState.UP
        && (reverse.isEmpty() || reverse.get().state() != PeerState.UP);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
