package io.spanlog.demo;

import io.spanlog.ctl.CtlMain;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What {@code demo --incident} prints at its end: the link's story from the log, told by the same
 * command an operator would type ({@code ctl history timeline}), so the demo shows the tool and
 * not a special printer of its own.
 */
final class IncidentTimeline {
  private IncidentTimeline() {}

  /** The link: its cluster, and observing node and peer by name and public key. */
  record Link(String cluster, String node, String nodeKey, String peer, String peerKey) {}

  /**
   * Prints the link's timeline between {@code from} and {@code to}, read from Kafka, and writes its
   * HTML page.
   *
   * @param secrets the cluster's secrets directory (the timeline decrypts affiliates and samples)
   * @param html where the timeline's self-contained page goes
   * @return whether the timeline was told (the command's exit code was 0)
   */
  static boolean print(PrintStream out, String bootstrap, Path secrets, Link link, Instant from, Instant to, Path html) {
    String[] args = {
      "history", "timeline", "--bootstrap", bootstrap, "--cluster", link.cluster(),
      "--link", link.nodeKey() + ":" + link.peerKey(), "--from", from.toString(), "--to", to.toString(),
      "--secrets", secrets.toString(), "--html", html.toString()
    };
    out.println("Timeline of link " + link.node() + " -> " + link.peer() + " from the log, as "
        + "'./spanlog ctl history timeline --cluster <id> --link " + link.node() + ":" + link.peer()
        + " --from " + from + " --to " + to + " --secrets " + secrets + " --html " + html + "' tells it:");
    out.flush();
    return CtlMain.run(out, out, args) == 0;
  }
}
