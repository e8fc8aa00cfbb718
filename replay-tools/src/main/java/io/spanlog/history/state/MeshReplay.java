package io.spanlog.history.state;

import io.spanlog.peers.AffiliateViews;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.Envelope;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerSample;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.ReadStats;
import io.spanlog.history.read.Scan;
import io.spanlog.net.IpPrefix;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecSet;
import io.spanlog.peers.PeerSpecs;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every node's peer specs, every link's state and the reachability matrix of one cluster at an
 * instant: the discovery state from {@link DiscoveryReplay}, opened with the cluster secret,
 * through the agents' own {@link PeerSpecs#compute}; link states from the observer's link events
 * up to the instant, and, for a link without any, from the latest raw telemetry sample in the
 * {@link #SAMPLE_LOOKBACK} before it (sealed batches opened with the secret, {@link TelemetrySeal}).
 */
public final class MeshReplay {
  /** How far before the instant raw samples are looked for when link events are missing. */
  public static final Duration SAMPLE_LOOKBACK = Duration.ofMinutes(10);

  private final LogReader reader;
  private final DiscoveryReplay discovery;
  private final String linkEventsTopic;
  private final String telemetryTopic;

  public MeshReplay(LogReader reader, DiscoveryReplay discovery, String linkEventsTopic, String telemetryTopic) {
    this.reader = reader;
    this.discovery = discovery;
    this.linkEventsTopic = linkEventsTopic;
    this.telemetryTopic = telemetryTopic;
  }

  /** What was read to answer, for the command's closing line and the tests. */
  public record Answer(MeshState state, DiscoveryReplay.Result discovery, ReadStats linkEvents, ReadStats samples) {}

  public Answer at(String cluster, Instant at, ClusterSecret secret) {
    DiscoveryReplay.Result replay = discovery.at(cluster, at);
    AffiliateCrypto crypto = new AffiliateCrypto(secret);
    AffiliateDecoding.rows(replay, Optional.of(crypto)); // a wrong secret: one sentence, here
    List<AffiliateView> views = AffiliateViews.of(replay.state(), crypto);
    List<String> notes = new ArrayList<>();

    List<MeshState.Node> nodes = new ArrayList<>();
    Map<String, String> labelOf = new HashMap<>();
    Map<String, List<String>> expected = new LinkedHashMap<>(); // node key -> peer keys
    for (AffiliateView self : views) {
      if (self.affiliate().kubeSpan().isEmpty()) {
        continue;
      }
      String key = self.affiliate().kubeSpan().get().publicKey();
      List<AffiliateView> others = views.stream().filter(v -> !v.affiliateId().equals(self.affiliateId())).toList();
      PeerSpecSet specs = PeerSpecs.compute(key, others);
      String label = self.affiliate().nodename().isEmpty() ? self.affiliate().hostname() : self.affiliate().nodename();
      labelOf.put(key, label);
      nodes.add(new MeshState.Node(self.affiliateId(), label, key,
          self.affiliate().kubeSpan().get().address().getHostAddress(),
          specs.peers().stream().map(MeshReplay::peer).toList(),
          specs.warnings().stream().map(w -> w.affiliateId() + ": " + w.message()).toList()));
      expected.put(key, specs.peers().stream().map(PeerSpec::publicKey).toList());
    }

    // link events: the latest change of each link up to the instant
    Map<String, MeshState.Link> fromEvents = new HashMap<>();
    ReadStats linkStats = new ReadStats();
    try {
      linkStats = reader.read(Scan.of(linkEventsTopic).cluster(cluster).to(at), rec -> {
        if (rec.envelope().payload() instanceof LinkStateChanged c) {
          fromEvents.put(c.nodePublicKey() + "→" + c.peerPublicKey(), new MeshState.Link(
              labelOf.getOrDefault(c.nodePublicKey(), c.nodeId()), c.peerLabel(), c.nodePublicKey(), c.peerPublicKey(),
              c.to().wireName(), Optional.of(c.firstSampleInNew()), c.endpoint(),
              Optional.of(c.endpointSource().wireName()), c.reason(), "link-events"));
        }
      });
    } catch (IllegalStateException noTopic) {
      notes.add("no link events topic " + linkEventsTopic + " (the endpoint observer never ran on this Kafka)");
    }

    // raw samples, for the links without a link event
    boolean missing = expected.entrySet().stream()
        .anyMatch(e -> e.getValue().stream().anyMatch(p -> !fromEvents.containsKey(e.getKey() + "→" + p)));
    Map<String, MeshState.Link> fromSamples = new HashMap<>();
    ReadStats sampleStats = new ReadStats();
    int[] refused = {0};
    if (missing) {
      // only each node's latest batch tells the state at the instant: keep it sealed while reading
      // and open one batch per node at the end (opening is most of a replay's cost)
      Map<String, Envelope> latest = new HashMap<>();
      sampleStats = reader.read(Scan.of(telemetryTopic).cluster(cluster).from(at.minus(SAMPLE_LOOKBACK)).to(at), rec -> {
        String node = reportingNode(rec.envelope());
        if (node != null) {
          latest.put(node, rec.envelope());
        }
      });
      TelemetrySeal seal = new TelemetrySeal(secret);
      for (Envelope envelope : latest.values()) {
        HandshakeSampleBatch batch = opened(envelope, seal, refused);
        if (batch == null) {
          continue;
        }
        Instant sampledAt = batch.sampledAtOr(envelope.at());
        for (PeerSample s : batch.peers()) {
          fromSamples.put(batch.publicKey() + "→" + s.publicKey(), new MeshState.Link(
              labelOf.getOrDefault(batch.publicKey(), batch.nodeId()), s.label(), batch.publicKey(), s.publicKey(),
              s.state().wireName(), Optional.of(sampledAt), s.endpoint(), Optional.of(s.endpointSource().wireName()),
              s.rule(), "samples"));
        }
      }
    }

    List<MeshState.Link> links = new ArrayList<>();
    int fellBack = 0;
    int unknown = 0;
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      for (String peer : e.getValue()) {
        String id = e.getKey() + "→" + peer;
        MeshState.Link link = fromEvents.get(id);
        if (link == null) {
          link = fromSamples.get(id);
          if (link != null) {
            fellBack++;
          } else {
            unknown++;
            link = new MeshState.Link(labelOf.get(e.getKey()), labelOf.getOrDefault(peer, peer), e.getKey(), peer,
                "unknown", Optional.empty(), Optional.empty(), Optional.empty(),
                "no link event and no sample in the " + SAMPLE_LOOKBACK.toMinutes() + " min before", "none");
          }
        }
        links.add(link);
      }
    }
    if (fellBack > 0) {
      notes.add(fellBack + " link(s) have no link event up to " + at + " (is the endpoint observer running?):"
          + " their state is the latest raw telemetry sample before it");
    }
    if (unknown > 0) {
      notes.add(unknown + " link(s) have neither a link event nor a telemetry sample in the "
          + SAMPLE_LOOKBACK.toMinutes() + " min before " + at + ": unknown");
    }
    if (refused[0] > 0) {
      notes.add(refused[0] + " telemetry batch(es) did not open with the secret given (forged, or sealed with another secret): skipped");
    }
    Map<String, Map<String, String>> matrix = new LinkedHashMap<>();
    for (MeshState.Node n : nodes) {
      Map<String, String> row = new LinkedHashMap<>();
      for (MeshState.Node p : nodes) {
        if (p != n) {
          row.put(p.label(), "-");
        }
      }
      matrix.put(n.label(), row);
    }
    for (MeshState.Link l : links) {
      Map<String, String> row = matrix.get(labelOf.get(l.nodePublicKey()));
      String peer = labelOf.get(l.peerPublicKey());
      if (row != null && peer != null) {
        row.put(peer, l.state());
      }
    }
    MeshState state = new MeshState(cluster, at, nodes, links, matrix, notes);
    return new Answer(state, replay, linkStats, sampleStats);
  }

  /** The node a telemetry record reports for, read from its clear header; null for other records. */
  private static String reportingNode(Envelope envelope) {
    if (envelope.payload() instanceof SealedSampleBatch sealed) {
      return sealed.nodePublicKey();
    }
    if (envelope.payload() instanceof HandshakeSampleBatch plain) {
      return plain.publicKey();
    }
    return null;
  }

  private static HandshakeSampleBatch opened(Envelope envelope, TelemetrySeal seal, int[] refused) {
    if (envelope.payload() instanceof HandshakeSampleBatch plain) {
      return plain; // older agents' plaintext batches
    }
    if (envelope.payload() instanceof SealedSampleBatch sealed) {
      Opening o = seal.open(envelope.clusterId(), sealed);
      if (o instanceof Opening.Opened opened) {
        return opened.batch();
      }
      refused[0]++;
    }
    return null;
  }

  private static MeshState.Peer peer(PeerSpec p) {
    return new MeshState.Peer(p.label(), p.publicKey(), p.address().getHostAddress(),
        p.allowedIps().stream().map(IpPrefix::toString).toList(),
        p.endpoints().stream().map(e -> new AffiliateRow.EndpointRow(e.endpoint().toString(), e.source().wireName())).toList());
  }
}
