package io.spanlog.discovery.ownership;

import java.time.Duration;
import java.util.Objects;

/**
 * When the snapshot writer also appends a checkpoint of a partition: once it has moved {@code
 * everyEvents} events since the last one, or {@code everyTime} has passed and it moved at all
 * (and at the first snapshot an instance writes). A replay to any instant then folds at most about
 * {@code everyEvents} events after a checkpoint, while the checkpoint topic stays a small
 * fraction of the events topic.
 */
public record CheckpointPolicy(long everyEvents, Duration everyTime) {
  /** 50,000 events or an hour: about 50,000 events of fold for any instant. */
  public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(50_000, Duration.ofHours(1));

  /** Every snapshot is also a checkpoint (tests). */
  public static final CheckpointPolicy EVERY_SNAPSHOT = new CheckpointPolicy(1, Duration.ZERO);

  public CheckpointPolicy {
    Objects.requireNonNull(everyTime, "everyTime");
    if (everyEvents < 1 || everyTime.isNegative()) {
      throw new IllegalArgumentException("a checkpoint needs at least one event and a non-negative interval");
    }
  }

  /** Whether a partition at {@code offset}, last checkpointed at {@code lastOffset}, {@code since} ago, is due. */
  public boolean due(long offset, long lastOffset, Duration since) {
    return offset > lastOffset && (offset - lastOffset >= everyEvents || since.compareTo(everyTime) >= 0);
  }
}
