package io.spanlog.history.checkpoint;

import io.spanlog.discovery.PartitionSnapshot;
import java.time.Instant;

/**
 * One whole checkpoint read back: the discovery projection of an events partition as it was
 * when it was taken, covering the events offsets below {@code snapshot.nextOffset()}.
 *
 * @param takenAt when the discovery service took it (the records' timestamp)
 * @param records checkpoint records read to find it (all chunks of all checkpoints looked at)
 */
public record Checkpoint(PartitionSnapshot snapshot, Instant takenAt, long records) {}
