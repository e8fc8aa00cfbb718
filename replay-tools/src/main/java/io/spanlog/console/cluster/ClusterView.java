package io.spanlog.console.cluster;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.ctl.ObserverQuery;
import io.spanlog.ctl.ObserverResource;
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
import java.io.IOException;
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
 * checkpoint before the instant, and the links of the reachability matrix: for "now" with an
 * endpoint observer, the observer's live view (its read API); else from the log: with the secret
 * {@link MeshReplay}'s (every link the peer specs imply, link events else raw samples), without
 * it the link events up to the instant, each with its RX/TX rates at the instant
 * ({@link LinkRates}). The matrix's states come as one string per row ({@code rows}); the links'
 * details (hover) only up to {@link #DETAIL_LIMIT} links.
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

  /** Above this many links the view carries the matrix's states only ({@code rows}), not each link's details. */
  public static final int DETAIL_LIMIT = 50_000;

  /**
   * One cell of the matrix with its details (what the hover shows); JSON only for the page, and
   * only up to {@link #DETAIL_LIMIT} of them.
   *
   * @param from where the state comes from: "observer", "link-events", "samples" or "none"
   */
  record Cell(String node, String peer, String nodeKey, String peerKey, String state, String since, String endpoint,
      String source, String reason, String from, Double rxPerSecond, Double txPerSecond, String rateFrom, String rateTo,
      String asymmetricSince) {
    JsonObject json() {
      JsonObject o = new JsonObject().put("node", node).put("peer", peer).put("nodeKey", nodeKey).put("peerKey", peerKey)
          .put("state", state).put("since", since).put("endpoint", endpoint).put("source", source).put("reason", reason)
          .put("from", from);
      if (rxPerSecond != null) {
        o.put("rxPerSecond", rxPerSecond).put("txPerSecond", txPerSecond).put("rateFrom", rateFrom).put("rateTo", rateTo);
      }
      if (asymmetricSince != null) {
        o.put("asymmetricSince", asymmetricSince);
      }
      return o;
    }
  }

  /** The endpoint observer's read API, for the view of "now". */
  public record Live(ObserverQuery.Source source, String address) {}

  private final LogReader reader;
  private final String eventsTopic;
  private final String checkpointsTopic;
  private final String linkEventsTopic;
  private final String telemetryTopic;
  private final String linkMetricsTopic;

  public ClusterView(LogReader reader, String eventsTopic, String checkpointsTopic, String linkEventsTopic,
      String telemetryTopic, String linkMetricsTopic) {
    this.reader = reader;
    this.eventsTopic = eventsTopic;
    this.checkpointsTopic = checkpointsTopic;
    this.linkEventsTopic = linkEventsTopic;
    this.telemetryTopic = telemetryTopic;
    this.linkMetricsTopic = linkMetricsTopic;
  }

  /**
   * Whether the cluster has a view at the instant, without building it (the page's status).
   *
   * @throws Refusal 404 for an unknown cluster, 400 for a time before the retained history
   */
  public void check(String cluster, Instant at) {
    replay(new DiscoveryReplay(reader, eventsTopic, checkpointsTopic), cluster, at);
  }

  private static DiscoveryReplay.Result replay(DiscoveryReplay discovery, String cluster, Instant at) {
    try {
      return discovery.at(cluster, at);
    } catch (HistoryException e) {
      throw new Refusal(e.getMessage().startsWith("unknown cluster") ? 404 : 400, e.getMessage());
    }
  }

  /** As {@link #at(String, Instant, Optional, Optional)} from the log alone. */
  public JsonObject at(String cluster, Instant at, Optional<ClusterSecret> secret) {
    return at(cluster, at, secret, Optional.empty());
  }

  /**
   * @param live the observer to ask for the links (the view of now), if any: when it cannot be
   *     asked, or knows no link of the cluster, the links come from the log and {@code observer}
   *     says why
   * @throws Refusal 404 for an unknown cluster, 400 for a time before the retained history
   */
  public JsonObject at(String cluster, Instant at, Optional<ClusterSecret> secret, Optional<Live> live) {
    // where the server's time goes, in ms (the page's Server-Timing header; bench console)
    JsonObject timings = new JsonObject();
    DiscoveryReplay discovery = new DiscoveryReplay(reader, eventsTopic, checkpointsTopic);
    long t0 = System.nanoTime();
    DiscoveryReplay.Result replay = replay(discovery, cluster, at);
    timings.put("discovery", ms(t0));
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

    List<Cell> links = null;
    JsonObject observer = null;
    if (live.isPresent()) {
      observer = new JsonObject().put("address", live.get().address());
      try {
        long t1 = System.nanoTime();
        links = observed(live.get().source(), cluster);
        timings.put("observer", ms(t1));
        if (links.isEmpty()) {
          links = null;
          observer.put("notice", "the endpoint observer at " + live.get().address() + " knows no link of this"
              + " cluster yet (no telemetry from it observed): the matrix shows the log's links");
        }
      } catch (IOException e) {
        observer.put("notice", e.getMessage() + " — the matrix shows the log's links instead of the observer's live view");
      }
      observer.put("live", links != null);
    }
    if (links == null) {
      links = logged(cluster, at, secret, discovery, notes, timings);
    }

    Set<String> nodes = new LinkedHashSet<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (Cell l : links) {
      labels.putIfAbsent(l.nodeKey(), l.node());
      labels.putIfAbsent(l.peerKey(), l.peer());
    }
    labels.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> nodes.add(e.getKey()));
    JsonArray nodeArray = new JsonArray();
    Map<String, Integer> index = new java.util.HashMap<>();
    for (String key : nodes) {
      index.put(key, index.size());
      nodeArray.add(new JsonObject().put("publicKey", key).put("label", labels.get(key)));
    }
    char[][] grid = new char[nodes.size()][nodes.size()];
    for (char[] row : grid) {
      java.util.Arrays.fill(row, '-');
    }
    for (Cell l : links) {
      String state = l.state();
      grid[index.get(l.nodeKey())][index.get(l.peerKey())] =
          "up".equals(state) ? 'u' : "down".equals(state) ? 'd' : '?';
    }
    JsonArray rowArray = new JsonArray();
    for (char[] row : grid) {
      rowArray.add(new String(row));
    }
    long t2 = System.nanoTime();
    Optional<Instant> earliest = reader.earliestTime(replay.partition());
    timings.put("earliest", ms(t2));
    JsonObject view = new JsonObject().put("cluster", cluster).put("at", at.toString())
        .put("retainedFrom", earliest.map(Instant::toString).orElse(null))
        .put("checkpoint", replay.checkpoint().map(c -> c.takenAt().toString()).orElse(null))
        .put("decrypted", secret.isPresent())
        .put("nodes", nodeArray).put("rows", rowArray).put("linkCount", links.size());
    if (links.size() <= DETAIL_LIMIT) {
      JsonArray details = new JsonArray();
      links.forEach(l -> details.add(l.json()));
      view.put("links", details);
    } else {
      notes.add("this cluster has " + links.size() + " links, more than the " + DETAIL_LIMIT + " whose details a page"
          + " carries: the matrix shows each link's state; click a cell for the link's page (endpoint, provenance, RX/TX)");
    }
    if (observer != null) {
      view.put("observer", observer);
    }
    timings.put("total", ms(t0));
    return view.put("affiliates", affiliates).put("notes", new JsonArray(notes)).put("timings", timings);
  }

  private static double ms(long since) {
    return Math.round((System.nanoTime() - since) / 1e5) / 10.0;
  }

  /** The observer's live links of the cluster ({@code /v1/links}, {@code /v1/matrix}), as the page's links. */
  static List<Cell> observed(ObserverQuery.Source source, String cluster) throws IOException {
    JsonObject answer;
    JsonObject matrix;
    try {
      answer = new JsonObject(source.get(ObserverResource.LINKS, cluster));
      matrix = new JsonObject(source.get(ObserverResource.MATRIX, cluster));
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IOException("the endpoint observer's answer is not the JSON expected: " + e.getMessage(), e);
    }
    Map<String, JsonObject> cells = new java.util.HashMap<>();
    for (Object o : matrix.getJsonArray("cells", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      cells.put(c.getString("fromPublicKey") + "→" + c.getString("toPublicKey"), c);
    }
    List<Cell> out = new ArrayList<>();
    for (Object o : answer.getJsonArray("links", new JsonArray())) {
      JsonObject l = (JsonObject) o;
      JsonObject cell = cells.get(l.getString("nodePublicKey") + "→" + l.getString("peerPublicKey"));
      boolean rates = l.getValue("rxBytesPerSecond") instanceof Number && l.getValue("txBytesPerSecond") instanceof Number;
      out.add(new Cell(l.getString("nodeName"), l.getString("peerName"), l.getString("nodePublicKey"),
          l.getString("peerPublicKey"), cell != null ? cell.getString("state") : l.getString("state"), l.getString("since"),
          l.getString("endpoint"), l.getString("endpointSource"), l.getString("rule"), "observer",
          rates ? ((Number) l.getValue("rxBytesPerSecond")).doubleValue() : null,
          rates ? ((Number) l.getValue("txBytesPerSecond")).doubleValue() : null,
          rates ? l.getString("rateWindowStart") : null, null, l.getString("asymmetricSince")));
    }
    return out;
  }

  /** The links as the log has them at the instant, with their rates there. */
  private List<Cell> logged(String cluster, Instant at, Optional<ClusterSecret> secret, DiscoveryReplay discovery,
      List<String> notes, JsonObject timings) {
    long t0 = System.nanoTime();
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
    timings.put("links", ms(t0));
    long t1 = System.nanoTime();
    Map<String, LinkRates.Rate> rates = Map.of();
    try {
      if (links.size() <= DETAIL_LIMIT) { // rates are details: a larger view does not carry them
        rates = LinkRates.at(reader, linkMetricsTopic, cluster, at);
      }
    } catch (IllegalStateException noTopic) {
      notes.add("no link metrics topic " + linkMetricsTopic + ": no RX/TX rates (the endpoint observer writes them)");
    }
    timings.put("rates", ms(t1));
    List<Cell> out = new ArrayList<>(links.size());
    for (MeshState.Link l : links) {
      LinkRates.Rate r = rates.get(l.nodePublicKey() + "→" + l.peerPublicKey());
      out.add(new Cell(l.node(), l.peer(), l.nodePublicKey(), l.peerPublicKey(), l.state(),
          l.since().map(Instant::toString).orElse(null), l.endpoint().orElse(null), l.endpointSource().orElse(null),
          l.reason(), l.from(), r == null ? null : r.rxPerSecond(), r == null ? null : r.txPerSecond(),
          r == null ? null : r.from().toString(), r == null ? null : r.to().toString(), null));
    }
    return out;
  }
}
