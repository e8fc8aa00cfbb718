package io.spanlog.history.read;

import io.spanlog.events.Envelope;
import java.time.Instant;

/**
 * One event read from the log, with where it sits: the position a replay or a verify can name.
 *
 * @param timestamp the Kafka record's timestamp (what {@code offsetsForTimes} indexes)
 */
public record LogRecord(String topic, int partition, long offset, Instant timestamp, Envelope envelope) {}
