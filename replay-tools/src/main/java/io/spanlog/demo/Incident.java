package io.spanlog.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spanlog.agent.netns.LabNode;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.ctl.NodeViews;
import io.spanlog.ctl.ObserverQuery;
import io.spanlog.ctl.ObserverResource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code demo --incident}: on a running namespace mesh, cuts the underlay link node 2 reaches
 * node 1 through (as a pulled cable: node 1's port on that bridge goes down), follows node 2's
 * view of node 1 until it is up again on node 1's other underlay address, restores the link, and
 * prints that link's timeline from the log.
 */
final class Incident {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String NODE = "node-2";
  static final String PEER = "node-1";

  private final PrintStream out;
  private final NamespaceMesh mesh;
  private final Optional<ObserverChild> observer;
  private final String cluster;

  Incident(PrintStream out, NamespaceMesh mesh, Optional<ObserverChild> observer, String cluster) {
    this.out = out;
    this.mesh = mesh;
    this.observer = observer;
    this.cluster = cluster;
  }

  /**
   * Runs the incident.
   *
   * @param peerDown the agents' peer-down interval (how long after the last handshake a peer is down)
   * @return whether the link came back on the other endpoint and the log tells it
   */
  boolean run(Duration peerDown, String bootstrap, Path secrets, Path html) throws IOException, InterruptedException {
    NodeViews.Snapshot node = read(1);
    NodeViews.Snapshot peer = read(0);
    String endpoint = status(node).flatMap(NodeViews.PeerStatus::endpoint)
        .orElseThrow(() -> new IllegalStateException(NODE + " has no endpoint for " + PEER));
    NetnsLab lab = mesh.lab();
    LabNode one = lab.node(1);
    int cut = endpoint.startsWith(one.underlay(1).getHostAddress() + ":") ? 1 : 2;
    String survivor = one.underlay(3 - cut).getHostAddress() + ":";
    out.println();
    out.println("incident: " + NODE + " reaches " + PEER + " at " + endpoint + "; cutting " + PEER + "'s underlay link "
        + LabNode.linkName(cut) + " (" + one.underlay(cut).getHostAddress() + ") as a pulled cable would.");
    out.println("incident: " + NODE + " should see " + PEER + " down " + peerDown.toSeconds()
        + " s after the last handshake (demo timing; KubeSpan's is 275 s), cycle to its other endpoint "
        + survivor + "* and come back up there.");
    out.flush();
    Instant cutAt = Instant.now();
    lab.cut(one, cut);
    boolean recovered = false;
    String last = "";
    long deadline = System.nanoTime() + peerDown.plusSeconds(90).toNanos();
    try {
      while (System.nanoTime() < deadline) {
        Optional<NodeViews.PeerStatus> s = status(read(1));
        String state = s.map(NodeViews.PeerStatus::state).orElse("?");
        String at = s.flatMap(NodeViews.PeerStatus::endpoint).orElse("-");
        String now = state + " @ " + at;
        if (!now.equals(last)) {
          out.printf("  +%3d s  %s sees %s %s%n", Duration.between(cutAt, Instant.now()).toSeconds(), NODE, PEER, now);
          out.flush();
          last = now;
        }
        // up on the other endpoint proves the cycle, whether or not a pass saw the link down
        // (a quick cycle can go from up on one endpoint straight to up on the other)
        if (state.equals("up") && at.startsWith(survivor)) {
          recovered = true;
          break;
        }
        Thread.sleep(1000);
      }
      if (recovered && observer.isPresent()) {
        awaitObserved(observer.get(), node.identity().publicKey(), peer.identity().publicKey(), survivor);
      }
    } finally {
      lab.restore(one, cut);
      out.println("incident: " + LabNode.linkName(cut) + " of " + PEER + " restored.");
    }
    if (!recovered) {
      out.println("incident: " + NODE + " did not come back up on " + survivor + "* within "
          + peerDown.plusSeconds(90).toSeconds() + " s of the cut (last: " + last + ")");
    }
    out.println();
    boolean told = IncidentTimeline.print(out, bootstrap, secrets,
        new IncidentTimeline.Link(cluster, NODE, node.identity().publicKey(), PEER, peer.identity().publicKey()),
        cutAt.minus(peerDown).minusSeconds(30), Instant.now(), html);
    out.flush();
    return recovered && told;
  }

  /** Waits (at most 30 s) until the observer's read API shows the link up on the new endpoint. */
  private void awaitObserved(ObserverChild child, String nodeKey, String peerKey, String survivor)
      throws InterruptedException {
    ObserverQuery.Source source = ObserverQuery.http(child.address());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        for (JsonNode l : JSON.readTree(source.get(ObserverResource.LINKS, cluster)).path("links")) {
          if (l.path("nodePublicKey").asText().equals(nodeKey) && l.path("peerPublicKey").asText().equals(peerKey)
              && l.path("state").asText().equals("up") && l.path("endpoint").asText().startsWith(survivor)) {
            out.println("incident: the endpoint observer has it too: " + NODE + " -> " + PEER + " up via "
                + l.path("endpoint").asText() + " (" + l.path("endpointSource").asText() + ") since " + l.path("since").asText());
            return;
          }
        }
      } catch (IOException notYet) {
        // ask again
      }
      Thread.sleep(500);
    }
    out.println("incident: the endpoint observer does not show " + NODE + " -> " + PEER + " up on " + survivor
        + "* within 30 s (log: " + child.log() + ")");
  }

  private NodeViews.Snapshot read(int index) throws IOException {
    Mesh.Node n = mesh.nodes().get(index);
    return NodeViews.read(n.name(), n.status());
  }

  private static Optional<NodeViews.PeerStatus> status(NodeViews.Snapshot node) {
    return node.statuses().stream().filter(p -> p.label().equals(PEER)).findFirst();
  }
}
