package io.spanlog.history.timeline;

import io.spanlog.discovery.ClusterState;
import io.spanlog.events.Envelope;
import io.spanlog.history.HistoryException;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.ReadStats;
import io.spanlog.history.read.Scan;
import io.spanlog.history.state.DiscoveryReplay;
import io.spanlog.text.PrintableText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what one link's timeline needs from the log and folds it: the discovery state at the
 * range's start (from the newest checkpoint before it), the range's discovery events, and the
 * telemetry and observer records around it. One read for {@code ctl history timeline} and the
 * console's link page.
 */
public final class TimelineLog {
  /** Batches may be appended long after they were sampled (a backlog sent on reconnect). */
  public static final Duration APPEND_LAG = Duration.ofMinutes(10);
  /** Observer windows and events around the range's edges. */
  public static final Duration EDGE = Duration.ofMinutes(2);

  /** The topics a timeline reads. */
  public record Topics(String events, String checkpoints, String telemetry, String linkEvents, String linkMetrics) {}

  private TimelineLog() {}

  /**
   * @throws HistoryException the cluster has no record up to the range's end, or the range starts
   *     before what retention kept
   * @throws UnknownLinkException NODE or PEER is not in the log, or the link never existed
   * @throws WrongSecretException the secret opens none of the cluster's data
   */
  public static LinkTimeline read(LogReader reader, Topics topics, TimelineQuery query, ReadStats stats) {
    String cluster = query.clusterId();
    List<Envelope> records = new ArrayList<>();
    TopicPartition events = reader.partitions(topics.events(), Optional.of(cluster)).get(0);
    long startOffset = reader.offsetAt(events, query.from());
    DiscoveryReplay.Result replay = new DiscoveryReplay(reader, topics.events(), topics.checkpoints())
        .upTo(cluster, query.from(), startOffset, true);
    ClusterState atStart = replay.state();
    stats.add(replay.events());
    checkRetained(reader, topics, cluster, query.from(), replay.checkpoint().isPresent());
    stats.add(reader.read(Scan.of(topics.events()).cluster(cluster).startAt(events, startOffset).to(query.to()),
        r -> records.add(r.envelope())));
    stats.add(reader.read(Scan.of(topics.telemetry(), topics.linkEvents(), topics.linkMetrics())
        .cluster(cluster).from(query.from().minus(EDGE)).to(query.to().plus(APPEND_LAG)), r -> records.add(r.envelope())));
    if (!replay.seen() && records.isEmpty()) {
      throw new HistoryException("cluster " + PrintableText.of(cluster) + " has no record in the log up to "
          + query.to() + " (is the cluster id right, and is this the Kafka Spanlog writes to?)");
    }
    return LinkTimelineFold.fold(query, atStart, records);
  }

  /** A range starting before what retention kept would tell a story with its start missing. */
  private static void checkRetained(LogReader reader, Topics topics, String cluster, Instant start, boolean fromCheckpoint) {
    List<String> checked = new ArrayList<>(List.of(topics.telemetry(), topics.linkEvents()));
    if (!fromCheckpoint) {
      checked.add(0, topics.events());
    }
    for (String topic : checked) {
      TopicPartition tp = reader.partitions(topic, Optional.of(cluster)).get(0);
      if (reader.beginningOffsets(List.of(tp)).get(tp) == 0) {
        continue; // nothing was ever deleted from it
      }
      Optional<Instant> earliest = reader.earliestTime(tp);
      if (earliest.isPresent() && start.isBefore(earliest.get())) {
        throw new HistoryException("the log keeps " + topic + " only from " + earliest.get()
            + " on (older records are past retention): give --from " + earliest.get() + " or later");
      }
    }
  }
}
