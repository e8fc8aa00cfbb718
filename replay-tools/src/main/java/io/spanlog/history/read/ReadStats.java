package io.spanlog.history.read;

import io.spanlog.events.EventDecodingException;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one read went through: records fetched from Kafka, events handed on, and records skipped
 * because they are not events this build reads (truncated, poison, unknown type or schema).
 * Mutable while a read runs; {@link LogReader} returns it at the end.
 */
public final class ReadStats {
  private long records;
  private long events;
  private final Map<EventDecodingException.Problem, Long> skipped = new EnumMap<>(EventDecodingException.Problem.class);

  void fetched() {
    records++;
  }

  void delivered() {
    events++;
  }

  void skipped(EventDecodingException.Problem why) {
    skipped.merge(why, 1L, Long::sum);
  }

  /** Adds another read's counts (a command that reads several times reports once). */
  public void add(ReadStats other) {
    records += other.records;
    events += other.events;
    other.skipped.forEach((k, v) -> skipped.merge(k, v, Long::sum));
  }

  /** Records fetched from Kafka, of any cluster, decodable or not. */
  public long records() {
    return records;
  }

  /** Events handed to the caller (of the requested cluster, decoded). */
  public long events() {
    return events;
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<EventDecodingException.Problem, Long> skipped() {
    return Map.copyOf(skipped);
  }

  /** The line shown at the end when records were skipped, e.g. "skipped 2 records that are not events (1 malformed json, 1 unknown type)". */
  public String skippedSentence() {
    long n = skippedTotal();
    return "skipped " + n + " record" + (n == 1 ? "" : "s") + " that " + (n == 1 ? "is" : "are") + " not events this build reads ("
        + skipped.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', ' '))
            .collect(Collectors.joining(", "))
        + ")";
  }

  @Override
  public String toString() {
    return "read " + records + " records, " + events + " events" + (skippedTotal() == 0 ? "" : "; " + skippedSentence());
  }
}
