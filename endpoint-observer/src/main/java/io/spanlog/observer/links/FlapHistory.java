package io.spanlog.observer.links;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a link remembers to judge flapping.
 *
 * @param recentChanges first-sample times of its state changes within the flapping window
 * @param flappingSince when it was reported flapping; empty when it is not
 * @param lastChangeAt its latest state change, if any was seen
 * @param changesWhileFlapping changes counted since it was reported flapping
 */
public record FlapHistory(
    List<Instant> recentChanges,
    Optional<Instant> flappingSince,
    Optional<Instant> lastChangeAt,
    int changesWhileFlapping) {
  public static final FlapHistory NONE =
      new FlapHistory(List.of(), Optional.empty(), Optional.empty(), 0);

  public FlapHistory {
    recentChanges = List.copyOf(recentChanges);
    Objects.requireNonNull(flappingSince, "flappingSince");
    Objects.requireNonNull(lastChangeAt, "lastChangeAt");
  }
}
