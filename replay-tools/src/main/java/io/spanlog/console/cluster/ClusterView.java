package io.spanlog.console.cluster;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.history.HistoryException;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Scan;
import io.spanlog.history.state.AffiliateDecoding;
import io.spanlog.history.state.AffiliateRow;
import io.spanlog.history.state.DiscoveryReplay;
import io.spanlog.history.state.MeshReplay;
import io.spanlog.history.state.MeshState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One cluster at an instant, as the cluster page draws it (JSON): the affiliates (decrypted with
 * the cluster's secret, opaque otherwise) rebuilt by {@link DiscoveryReplay} from the newest
 * checkpoint before the instant, and the links of the reachability matrix: with the secret
 * {@link MeshReplay}'s (every link the peer specs imply, link events else raw samples); without
 * it, the link events up to the instant.
 */
public final class ClusterView {
  /** Why a view cannot be given: 404 (no such cluster or link) or 400 (a time outside the log). */
  public static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public Refusal(int status, String sentence) {
      super(sentence, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final LogReader reader;
  private final String eventsTopic;
  private final String checkpointsTopic;
  private final String linkEventsTopic;
  private final String telemetryTopic;

  public ClusterView(LogReader reader, String eventsTopic, String checkpointsTopic, String linkEventsTopic,
      String telemetryTopic) {
    this.reader = reader;
    this.eventsTopic = eventsTopic;
    this.checkpointsTopic = checkpointsTopic;
    this.linkEventsTopic = linkEventsTopic;
    this.telemetryTopic = telemetryTopic;
  }

  /**
   * @throws Refusal 404 for an unknown cluster, 400 for a time before the retained history
   */
  public JsonObject at(String cluster, Instant at, Optional<ClusterSecret> secret) {
    DiscoveryReplay discovery = new DiscoveryReplay(reader, eventsTopic, checkpointsTopic);
    DiscoveryReplay.Result replay;
    try {
      replay = discovery.at(cluster, at);
    } catch (HistoryException e) {
      throw new Refusal(e.getMessage().startsWith("unknown cluster") ? 404 : 400, e.getMessage());
    }
    List<String> notes = new ArrayList<>();
    List<AffiliateRow> rows;
    try {
      rows = AffiliateDecoding.rows(replay, secret.map(AffiliateCrypto::new));
    } catch (HistoryException wrongSecret) {
      notes.add(wrongSecret.getMessage());
      rows = AffiliateDecoding.rows(replay, Optional.empty());
      secret = Optional.empty();
    }
    JsonArray affiliates = new JsonArray();
    for (AffiliateRow r : rows) {
      JsonObject a = new JsonObject().put("id", r.id()).put("dataBytes", r.dataBytes())
          .put("endpointCount", r.endpointCount()).put("expiry", r.expiry().toString())
          .put("lastChange", r.lastChange().map(Instant::toString).orElse(null));
      r.decoded().ifPresent(d -> a.put("hostname", d.hostname()).put("nodename", d.nodename())
          .put("kubeSpanAddress", d.kubeSpanAddress().orElse(null)).put("publicKey", d.publicKey().orElse(null))
          .put("endpoints", new JsonArray(d.endpoints().stream()
              .map(e -> new JsonObject().put("endpoint", e.endpoint()).put("source", e.source())).toList())));
      r.problem().ifPresent(p -> a.put("problem", p));
      affiliates.add(a);
    }

    List<MeshState.Link> links = new ArrayList<>();
    if (secret.isPresent()) {
      MeshReplay.Answer answer = new MeshReplay(reader, discovery, linkEventsTopic, telemetryTopic)
          .at(cluster, at, secret.get());
      links.addAll(answer.state().links());
      notes.addAll(answer.state().notes());
    } else {
      Map<String, MeshState.Link> latest = new LinkedHashMap<>();
      try {
        reader.read(Scan.of(linkEventsTopic).cluster(cluster).to(at), rec -> {
          if (rec.envelope().payload() instanceof LinkStateChanged c) {
            latest.put(c.nodePublicKey() + "→" + c.peerPublicKey(), new MeshState.Link(c.nodeId(), c.peerLabel(),
                c.nodePublicKey(), c.peerPublicKey(), c.to().wireName(), Optional.of(c.firstSampleInNew()), c.endpoint(),
                Optional.of(c.endpointSource().wireName()), c.reason(), "link-events"));
          }
        });
      } catch (IllegalStateException noTopic) {
        notes.add("no link events topic " + linkEventsTopic + " (the endpoint observer never ran on this Kafka)");
      }
      links.addAll(latest.values());
      notes.add("no secret for this cluster: affiliates are opaque, and the matrix shows the links the endpoint"
          + " observer reported (give --secrets DIR for every link the peer specs imply)");
    }
    Set<String> nodes = new LinkedHashSet<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (MeshState.Link l : links) {
      labels.putIfAbsent(l.nodePublicKey(), l.node());
      labels.putIfAbsent(l.peerPublicKey(), l.peer());
    }
    labels.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> nodes.add(e.getKey()));
    JsonArray nodeArray = new JsonArray();
    for (String key : nodes) {
      nodeArray.add(new JsonObject().put("publicKey", key).put("label", labels.get(key)));
    }
    JsonArray linkArray = new JsonArray();
    for (MeshState.Link l : links) {
      linkArray.add(new JsonObject().put("node", l.node()).put("peer", l.peer()).put("nodeKey", l.nodePublicKey())
          .put("peerKey", l.peerPublicKey()).put("state", l.state())
          .put("since", l.since().map(Instant::toString).orElse(null)).put("endpoint", l.endpoint().orElse(null))
          .put("source", l.endpointSource().orElse(null)).put("reason", l.reason()).put("from", l.from()));
    }
    Optional<Instant> earliest = reader.earliestTime(replay.partition());
    return new JsonObject().put("cluster", cluster).put("at", at.toString())
        .put("retainedFrom", earliest.map(Instant::toString).orElse(null))
        .put("checkpoint", replay.checkpoint().map(c -> c.takenAt().toString()).orElse(null))
        .put("decrypted", secret.isPresent())
        .put("nodes", nodeArray).put("links", linkArray).put("affiliates", affiliates)
        .put("notes", new JsonArray(notes));
  }
}
