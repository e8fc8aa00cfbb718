package io.spanlog.history.export;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.LogRecord;
import io.spanlog.history.read.ReadStats;
import io.spanlog.history.read.Scan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code ctl history export}: the events of one cluster between two instants, from each topic
 * asked for, as {@link EventRows}, read with the history {@link LogReader} (the cluster's
 * partition of each topic, from the offset of {@code from} up to the last record at or before
 * {@code to}, never past the end captured at start).
 */
public final class EventExport {
  /**
   * What was exported.
   *
   * @param sealedWithoutSecret sealed batches written as their clear header only: no secret of the cluster given
   * @param sealedRefused sealed batches the given secret did not open (header only too)
   */
  public record Summary(long events, long rows, Map<String, Long> eventsByTopic, ReadStats read,
      long sealedWithoutSecret, long sealedRefused) {}

  private EventExport() {}

  public static Summary run(LogReader reader, List<String> topics, String cluster, Instant from, Instant to,
      Function<String, Optional<ClusterSecret>> secrets, RowWriter out) throws IOException {
    long[] counts = new long[4]; // events, rows, without secret, refused
    Map<String, Long> byTopic = new TreeMap<>();
    topics.forEach(t -> byTopic.put(t, 0L));
    ReadStats stats;
    try {
      stats = reader.read(Scan.of(topics).cluster(cluster).from(from).to(to), (LogRecord r) -> {
        List<EventRows.Row> rows = EventRows.of(new EventRows.Position(r.topic(), r.partition(), r.offset()),
            r.envelope(), secrets);
        try {
          for (EventRows.Row row : rows) {
            out.write(row);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        String sealed = rows.isEmpty() ? null : (String) rows.get(0).get("sealed");
        if (EventRows.NO_SECRET.equals(sealed)) {
          counts[2]++;
        } else if (sealed != null && sealed.startsWith(EventRows.NOT_OPENED)) {
          counts[3]++;
        }
        counts[0]++;
        counts[1] += rows.size();
        byTopic.merge(r.topic(), 1L, Long::sum);
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new Summary(counts[0], counts[1], byTopic, stats, counts[2], counts[3]);
  }
}
