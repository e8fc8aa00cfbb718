package io.spanlog.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What {@code demo --incident} prints at its end: one link's story from the log. The one place
 * that tells it, so that the history's {@code ctl history timeline} replaces the body of
 * {@link #print} in one call when it exists; until then it is the observer's events of the link.
 */
final class IncidentTimeline {
  private IncidentTimeline() {}

  /** The link: its cluster, and observing node and peer by name and public key. */
  record Link(String cluster, String node, String nodeKey, String peer, String peerKey) {}

  /**
   * Prints the link's timeline between {@code from} and {@code to}, read from Kafka.
   *
   * @param secrets the cluster's secrets directory (the timeline decrypts affiliates with it)
   * @param html where a page of the timeline goes, when the timeline can write one
   * @return how many events of the link the log holds in the range
   */
  static int print(PrintStream out, String bootstrap, Path secrets, Link link, Instant from, Instant to, Path html) {
    List<LinkEventLog.Entry> events = LinkEventLog.read(bootstrap, link.cluster(), link.nodeKey(), link.peerKey(), from, to);
    out.println("Timeline of link " + link.node() + " -> " + link.peer() + " from the log (the endpoint observer's events on "
        + io.spanlog.topics.TopicCatalogue.LINK_EVENTS + ", " + from + " .. " + to + "):");
    if (events.isEmpty()) {
      out.println("  (no event of this link in the log)");
    }
    events.forEach(e -> out.println("  " + LinkEventLog.describe(e)));
    out.println("(the full timeline, with affiliate changes and RX/TX, and its HTML page come with 'ctl history timeline')");
    return events.size();
  }
}
