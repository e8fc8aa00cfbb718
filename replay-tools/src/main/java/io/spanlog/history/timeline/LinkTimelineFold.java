package io.spanlog.history.timeline;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.DiscoveryFold;
import io.spanlog.discovery.EndpointState;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointObserved;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkAsymmetric;
import io.spanlog.events.LinkAsymmetryCleared;
import io.spanlog.events.LinkFlapping;
import io.spanlog.events.LinkFlappingCleared;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.NodeReportingAgain;
import io.spanlog.events.NodeSilent;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.events.ReachabilityChanged;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecs;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.SealProblem;
import io.spanlog.telemetry.TelemetrySeal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The story of one link (NODE observing PEER) over a time range, folded from the log's records:
 * a pure function, no I/O.
 *
 * <ul>
 *   <li><b>Discovery</b> ({@code spanlog.discovery.events}): the events are replayed with the
 *       service's own {@link DiscoveryFold} from the state at the start of the range; every change
 *       of either end's affiliate is told, decrypted with the cluster secret: joined, data changed,
 *       endpoints added (with provenance by {@link PeerSpecs}'s rule and the writer's address, named
 *       when it is a node's own address), endpoints expired, the affiliate expired or deleted.
 *   <li><b>Samples</b> ({@code spanlog.telemetry}, sealed batches opened with {@link
 *       TelemetrySeal}): the endpoint NODE uses for PEER and its provenance, cycling to another
 *       candidate, handshake gaps, both ends' discovery reachability, and, where the observer's
 *       output is missing, the link states and RX/TX rates.
 *   <li><b>Observer</b> ({@code spanlog.link.events}, {@code spanlog.link.metrics}): state changes
 *       with their rule, endpoints proven, flapping, asymmetry, ends silent and reporting again,
 *       per-minute RX/TX windows.
 * </ul>
 *
 * <p>Records of other clusters, and records outside the range (except discovery events before it,
 * which only build the starting state), are ignored; the order of records given does not matter
 * except among discovery events, which are applied in the order given (the log's).
 */
public final class LinkTimelineFold {
  private static final Comparator<TimelineEntry> BY_TIME = Comparator.comparing(TimelineEntry::at);

  private LinkTimelineFold() {}

  /**
   * The whole of {@code records} as one link's story: the range is the records' own, and the
   * discovery state starts empty. What a test holding a recorded incident calls.
   *
   * @param link {@code NODE:PEER}, node names or public keys
   * @throws UnknownLinkException when the link is not in the records
   */
  public static LinkTimeline of(String clusterId, String link, ClusterSecret secret, List<Envelope> records) {
    String[] ends = TimelineQuery.parseLink(link);
    Instant from = records.stream().map(Envelope::at).min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    Instant to = records.stream().map(LinkTimelineFold::latestTime).max(Comparator.naturalOrder()).orElse(from);
    return fold(new TimelineQuery(clusterId, ends[0], ends[1], from, to, Optional.of(secret)),
        ClusterState.EMPTY, records);
  }

  /**
   * The story of {@code query}'s link.
   *
   * @param atStart the cluster's discovery state at the start of the range (or before it: the
   *     discovery events in {@code records} up to the range's start are applied silently)
   * @param records the cluster's records of the range, from any of the topics above
   * @throws UnknownLinkException when an end is named by no record, or nothing was recorded of
   *     the link in the range
   */
  public static LinkTimeline fold(TimelineQuery query, ClusterState atStart, List<Envelope> records) {
    return new Run(query, atStart, records).run();
  }

  private static Instant latestTime(Envelope e) {
    return e.payload() instanceof HandshakeSampleBatch b ? b.sampledAtOr(e.at()) : e.at();
  }

  /** One opened batch: a node's samples of all its peers at one instant. */
  private record Batch(Instant sampledAt, Instant appendedAt, HandshakeSampleBatch batch) {}

  /** One run of the fold: the state the steps share. */
  private static final class Run {
    private final TimelineQuery q;
    private final ClusterState atStart;
    private final List<Envelope> discovery = new ArrayList<>();
    private final List<Envelope> observer = new ArrayList<>();
    private final List<Batch> batches = new ArrayList<>();
    private final Optional<AffiliateCrypto> crypto;
    private final Map<Blob, Optional<DecodedAffiliate>> decoded = new HashMap<>();
    private final Map<Blob, Optional<Endpoint>> endpointText = new HashMap<>();
    private final NodeDirectory directory = new NodeDirectory();
    /** Every node's own addresses (and advertised endpoint IPs), by public key: names writers. */
    private final Map<String, Set<String>> addresses = new HashMap<>();
    private final List<TimelineEntry> entries = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<SealProblem, Integer> refused = new EnumMap<>(SealProblem.class);
    private int sealedWithoutSecret;
    private int batchesOpened;
    private int undecryptable;
    private int decrypted;
    private final List<Envelope> records;
    private LinkEnd node;
    private LinkEnd peer;

    Run(TimelineQuery q, ClusterState atStart, List<Envelope> records) {
      this.q = q;
      this.atStart = Objects.requireNonNull(atStart, "atStart");
      this.records = records;
      this.crypto = q.secret().map(AffiliateCrypto::new);
    }

    LinkTimeline run() {
      sortRecords();
      buildDirectory();
      checkSecret();
      node = directory.resolve(q.node(), "NODE", q.clusterId());
      peer = directory.resolve(q.peer(), "PEER", q.clusterId());
      if (node.publicKey().equals(peer.publicKey())) {
        throw new UnknownLinkException("NODE and PEER are the same node (" + node.name()
            + "): a link joins two nodes");
      }
      affiliateStory();
      List<Batch> nodeBatches = batchesOf(node.publicKey());
      List<Batch> peerBatches = batchesOf(peer.publicKey());
      List<Map.Entry<Instant, PeerSample>> samples = samplesOfLink(nodeBatches);
      List<Envelope> linkEvents = observer.stream().filter(this::aboutLink).toList();

      endpointStory(samples);
      handshakeStory(samples);
      List<PresenceSpan> nodePresence = presence(nodeBatches, node, Side.NODE);
      List<PresenceSpan> peerPresence = presence(peerBatches, peer, Side.PEER);
      observerStory(linkEvents);

      // any output of the observer about this link says it was watching it: no change means none happened
      boolean fromObserver = !linkEvents.isEmpty();
      List<StateSpan> states;
      FactSource stateSource;
      if (fromObserver) {
        states = statesFromObserver(linkEvents, samples);
        stateSource = FactSource.OBSERVER;
      } else if (!samples.isEmpty()) {
        notes.add("no link events for " + node.name() + " \u2192 " + peer.name() + " between " + q.from()
            + " and " + q.to() + " (was the endpoint observer running?): states and rates below come from "
            + "the raw samples " + node.name() + " sent");
        states = statesFromSamples(samples);
        stateSource = FactSource.SAMPLES;
      } else {
        states = List.of(new StateSpan(q.from(), q.to(), PeerState.UNKNOWN, "", Optional.empty(),
            EndpointSource.UNKNOWN));
        stateSource = FactSource.NONE;
      }
      List<RatePoint> rates = ratesFromObserver(linkEvents);
      FactSource rateSource = FactSource.OBSERVER;
      if (rates.isEmpty()) {
        rates = ratesFromSamples(samples);
        rateSource = rates.isEmpty() ? FactSource.NONE : FactSource.SAMPLES;
        if (fromObserver && !rates.isEmpty()) {
          notes.add("no RX/TX windows from the observer for this link in the range: rates come from the raw samples");
        }
      }
      openingNotes();
      if (samples.isEmpty() && linkEvents.isEmpty()) {
        throw new UnknownLinkException("there is no link " + node.name() + " \u2192 " + peer.name() + " in cluster "
            + q.clusterId() + " between " + q.from() + " and " + q.to() + ": no sample of " + node.name()
            + " lists " + peer.name() + " and the observer wrote nothing about it"
            + (sealedWithoutSecret > 0 ? " (" + sealedWithoutSecret + " sealed sample batches could not be read: "
            + "give the cluster's secret with --secrets DIR)" : ""));
      }
      entries.sort(BY_TIME);
      List<EndpointMark> marks = new ArrayList<>();
      for (TimelineEntry e : entries) {
        if (e.kind() == EntryKind.ENDPOINT_IN_USE || e.kind() == EntryKind.ENDPOINT_CYCLED) {
          marks.add(new EndpointMark(e.at(), e.details().get("endpoint"),
              EndpointSource.fromWireName(e.details().get("source")),
              Integer.parseInt(e.details().get("candidate")) - 1, Integer.parseInt(e.details().get("candidates"))));
        }
      }
      return new LinkTimeline(q.clusterId(), node, peer, q.from(), q.to(), stateSource, rateSource, states,
          nodePresence, peerPresence, rates, marks, entries, notes);
    }

    // ---------------------------------------------------------------------------------------
    // Sorting the records out; opening batches; naming nodes

    private void sortRecords() {
      Optional<TelemetrySeal> seal = q.secret().map(TelemetrySeal::new);
      for (Envelope e : records) {
        if (!e.clusterId().equals(q.clusterId())) {
          continue;
        }
        Event p = e.payload();
        if (p instanceof AffiliateUpdated || p instanceof AffiliateDeleted || p instanceof AffiliateExpired
            || p instanceof EndpointsExpired) {
          discovery.add(e);
        } else if (p instanceof SealedSampleBatch s) {
          if (seal.isEmpty()) {
            sealedWithoutSecret++;
            continue;
          }
          Opening o = seal.get().open(q.clusterId(), s);
          if (o instanceof Opening.Opened opened) {
            batchesOpened++;
            addBatch(e, opened.batch());
          } else {
            refused.merge(((Opening.Refused) o).problem(), 1, Integer::sum);
          }
        } else if (p instanceof HandshakeSampleBatch b) {
          addBatch(e, b);
        } else {
          observer.add(e);
        }
      }
      batches.sort(Comparator.comparing(Batch::sampledAt));
    }

    private void addBatch(Envelope e, HandshakeSampleBatch b) {
      Instant at = b.sampledAtOr(e.at());
      if (!at.isBefore(q.from()) && !at.isAfter(q.to())) {
        batches.add(new Batch(at, e.at(), b));
      }
    }

    private void buildDirectory() {
      for (AffiliateState a : atStart.affiliates()) {
        noteAffiliate(a);
      }
      ClusterState state = atStart;
      for (Envelope e : discovery) {
        state = DiscoveryFold.apply(state, e).state();
        if (e.payload() instanceof AffiliateUpdated u) {
          state.affiliate(u.affiliateId()).ifPresent(this::noteAffiliate);
        }
      }
      for (Batch b : batches) {
        directory.reporter(b.batch().publicKey(), b.batch().nodeId());
        for (PeerSample s : b.batch().peers()) {
          directory.label(s.publicKey(), s.label());
        }
      }
      for (Envelope e : observer) {
        Event p = e.payload();
        if (p instanceof LinkStateChanged c) {
          names(c.nodeId(), c.nodePublicKey(), c.peerPublicKey(), c.peerLabel());
        } else if (p instanceof ReachabilityChanged c) {
          names(c.nodeId(), c.nodePublicKey(), c.peerPublicKey(), c.peerLabel());
        } else if (p instanceof LinkMetricsWindow c) {
          names(c.nodeId(), c.nodePublicKey(), c.peerPublicKey(), c.peerLabel());
        } else if (p instanceof EndpointObserved c) {
          names(c.nodeId(), c.nodePublicKey(), c.peerPublicKey(), c.peerLabel());
        } else if (p instanceof NodeSilent c) {
          directory.reporter(c.publicKey(), c.nodeId());
        } else if (p instanceof NodeReportingAgain c) {
          directory.reporter(c.publicKey(), c.nodeId());
        }
      }
    }

    private void names(String nodeId, String nodeKey, String peerKey, String peerLabel) {
      directory.reporter(nodeKey, nodeId);
      directory.label(peerKey, peerLabel);
    }

    private void noteAffiliate(AffiliateState a) {
      data(a.data()).ifPresent(d -> {
        directory.affiliate(a.id(), d);
        d.kubeSpan().ifPresent(ks -> {
          Set<String> own = addresses.computeIfAbsent(ks.publicKey(), k -> new HashSet<>());
          d.addresses().forEach(ip -> own.add(IpText.format(ip)));
        });
      });
    }

    private Optional<DecodedAffiliate> data(Blob blob) {
      if (crypto.isEmpty() || blob.isEmpty()) {
        return Optional.empty();
      }
      return decoded.computeIfAbsent(blob, b -> {
        Optional<DecodedAffiliate> d = crypto.get().decryptAffiliate(b.toByteArray()).asOptional();
        if (d.isEmpty()) {
          undecryptable++;
        } else {
          decrypted++;
        }
        return d;
      });
    }

    private Optional<Endpoint> endpoint(Blob blob) {
      if (crypto.isEmpty()) {
        return Optional.empty();
      }
      return endpointText.computeIfAbsent(blob, b -> {
        Optional<Endpoint> d = crypto.get().decryptEndpoint(b.toByteArray()).asOptional();
        if (d.isEmpty()) {
          undecryptable++;
        }
        return d;
      });
    }

    /** A secret that opens nothing of what is sealed is the wrong one: say so before naming nodes fails. */
    private void checkSecret() {
      if (q.secret().isEmpty()) {
        return;
      }
      int foreign = refused.getOrDefault(SealProblem.NOT_SEALED_FOR_CLUSTER, 0)
          + refused.getOrDefault(SealProblem.TAMPERED, 0);
      boolean noBatchOpens = batchesOpened == 0 && foreign > 0;
      boolean noDataOpens = decrypted == 0 && undecryptable > 0;
      if (noBatchOpens || (noDataOpens && batchesOpened == 0)) {
        throw new WrongSecretException("the secret given for cluster " + q.clusterId() + " opens none of its "
            + (noBatchOpens ? foreign + " sealed sample batches" : "")
            + (noBatchOpens && noDataOpens ? " and none of its " : "")
            + (noDataOpens ? undecryptable + " affiliate payloads" : "")
            + ": it is another cluster's secret, or an old one");
      }
    }

    private void openingNotes() {
      if (sealedWithoutSecret > 0) {
        notes.add(sealedWithoutSecret + " sealed sample batches of cluster " + q.clusterId()
            + " could not be read: no secret for the cluster was given (--secrets DIR)");
      }
      refused.forEach((problem, n) -> notes.add(n + " sealed sample batches did not open ("
          + problem.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ") and were skipped"));
      if (undecryptable > 0) {
        notes.add(undecryptable + " affiliate data or endpoint blobs did not decrypt with the cluster's secret "
            + "and were left out");
      }
      if (crypto.isEmpty()) {
        notes.add("no secret for cluster " + q.clusterId() + ": affiliate data, endpoints and samples stay opaque");
      }
    }

    // ---------------------------------------------------------------------------------------
    // Discovery: either end's affiliate

    /** An affiliate as the story tells it: decrypted data (if it opens) and endpoints. */
    private record View(Optional<DecodedAffiliate> data, List<Endpoint> endpoints, int blobs) {}

    private View view(AffiliateState a) {
      List<Endpoint> eps = new ArrayList<>();
      for (EndpointState s : a.endpoints()) {
        endpoint(s.blob()).ifPresent(eps::add);
      }
      return new View(data(a.data()), eps, a.endpoints().size());
    }

    private void affiliateStory() {
      Map<String, Side> watched = new HashMap<>();
      node.affiliateId().ifPresent(id -> watched.put(id, Side.NODE));
      peer.affiliateId().ifPresent(id -> watched.put(id, Side.PEER));
      ClusterState state = atStart;
      for (Envelope e : discovery) {
        String id = affiliateId(e.payload());
        ClusterState next = DiscoveryFold.apply(state, e).state();
        Side side = watched.get(id);
        if (side != null && !e.at().isBefore(q.from()) && !e.at().isAfter(q.to())) {
          tellAffiliate(e, side, state.affiliate(id), next.affiliate(id));
        }
        state = next;
      }
    }

    private static String affiliateId(Event p) {
      if (p instanceof AffiliateUpdated u) {
        return u.affiliateId();
      } else if (p instanceof AffiliateDeleted d) {
        return d.affiliateId();
      } else if (p instanceof AffiliateExpired x) {
        return x.affiliateId();
      } else if (p instanceof EndpointsExpired x) {
        return x.affiliateId();
      }
      return "";
    }

    private void tellAffiliate(Envelope e, Side side, Optional<AffiliateState> before, Optional<AffiliateState> after) {
      LinkEnd end = side == Side.NODE ? node : peer;
      String name = end.name();
      if (before.isPresent() && after.isEmpty()) {
        if (e.payload() instanceof AffiliateExpired x) {
          add(e.at(), EntryKind.AFFILIATE_EXPIRED, side, name + " expired from discovery: its lifetime ran out at "
              + x.expiry() + " without a refresh", ordered("expiry", x.expiry().toString()));
        } else {
          Map<String, String> d = new LinkedHashMap<>();
          Optional<String> origin = e.payload() instanceof AffiliateDeleted del ? del.origin() : Optional.empty();
          origin.ifPresent(o -> d.put("writer", writer(o)));
          add(e.at(), EntryKind.AFFILIATE_DELETED, side, name + " was deleted from discovery"
              + origin.map(o -> " (request from " + writer(o) + ")").orElse(""), d);
        }
        return;
      }
      if (after.isEmpty()) {
        return;
      }
      View was = before.map(this::view).orElse(null);
      View now = view(after.get());
      Optional<String> origin = e.payload() instanceof AffiliateUpdated u ? u.origin() : Optional.empty();
      boolean selfWrite = e.payload() instanceof AffiliateUpdated u && u.data().filter(b -> !b.isEmpty()).isPresent();
      if (was == null) {
        Map<String, String> d = new LinkedHashMap<>();
        now.data().ifPresent(a -> d.put("addresses", addresses(a)));
        origin.ifPresent(o -> d.put("writer", writer(o)));
        add(e.at(), EntryKind.AFFILIATE_JOINED, side, name + " appeared in discovery"
            + now.data().map(a -> " (addresses " + addresses(a) + ")").orElse("")
            + origin.map(o -> ", written from " + writer(o)).orElse(""), d);
      } else if (now.data().isPresent() && was.data().isPresent() && !now.data().equals(was.data())) {
        String what = changes(was.data().get(), now.data().get());
        add(e.at(), EntryKind.AFFILIATE_CHANGED, side, name + " changed its affiliate data: " + what,
            ordered("change", what));
      }
      if (e.payload() instanceof EndpointsExpired) {
        for (Endpoint gone : was.endpoints()) {
          if (!now.endpoints().contains(gone)) {
            add(e.at(), EntryKind.ENDPOINT_EXPIRED, side, "endpoint " + gone + " of " + name
                + " expired (nobody refreshed it)", ordered("endpoint", gone.toString()));
          }
        }
        return;
      }
      Map<Endpoint, EndpointSource> sources = sources(after.get().id(), now);
      for (Endpoint added : now.endpoints()) {
        if (was != null && was.endpoints().contains(added)) {
          continue;
        }
        EndpointSource source = sources.getOrDefault(added, EndpointSource.UNKNOWN);
        Map<String, String> d = new LinkedHashMap<>();
        d.put("endpoint", added.toString());
        d.put("source", source.wireName());
        String by = selfWrite ? "by " + name + " itself" : "by another node";
        d.put("by", selfWrite ? name : "another node");
        origin.ifPresent(o -> d.put("writer", writer(o)));
        add(e.at(), EntryKind.ENDPOINT_ADDED, side, "endpoint " + added + " (" + source.wireName() + ") added for "
            + name + " " + by + origin.map(o -> ", written from " + writer(o)).orElse(""), d);
      }
    }

    /** The provenance of each endpoint of an affiliate, by the rule the agents apply. */
    private Map<Endpoint, EndpointSource> sources(String affiliateId, View v) {
      if (v.data().isEmpty()) {
        return Map.of();
      }
      List<PeerSpec> specs = PeerSpecs.compute("", List.of(new AffiliateView(affiliateId, v.data().get(),
          v.endpoints()))).peers();
      return specs.isEmpty() ? Map.of() : specs.get(0).endpoints().stream()
          .collect(Collectors.toMap(PeerEndpoint::endpoint, PeerEndpoint::source, (a, b) -> a));
    }

    /** An origin address, with the node whose own address it is, when one is. */
    private String writer(String origin) {
      return directory.nameByAddress(origin, addresses).map(n -> origin + " (" + n + ")").orElse(origin);
    }

    private static String addresses(DecodedAffiliate a) {
      return a.addresses().stream().map(IpText::format).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String changes(DecodedAffiliate a, DecodedAffiliate b) {
      List<String> out = new ArrayList<>();
      if (!a.addresses().equals(b.addresses())) {
        out.add("addresses " + addresses(a) + " \u2192 " + addresses(b));
      }
      if (!a.nodename().equals(b.nodename()) || !a.hostname().equals(b.hostname())) {
        out.add("name " + a.nodename() + "/" + a.hostname() + " \u2192 " + b.nodename() + "/" + b.hostname());
      }
      if (!a.kubeSpan().equals(b.kubeSpan())) {
        String ka = a.kubeSpan().map(k -> k.publicKey()).orElse("none");
        String kb = b.kubeSpan().map(k -> k.publicKey()).orElse("none");
        out.add(ka.equals(kb) ? "KubeSpan settings changed" : "KubeSpan key " + ka + " \u2192 " + kb);
      }
      return out.isEmpty() ? "other fields" : String.join("; ", out);
    }

    // ---------------------------------------------------------------------------------------
    // Samples: endpoint in use, cycling, handshakes, reachability, and the fallbacks

    private List<Batch> batchesOf(String publicKey) {
      List<Batch> out = new ArrayList<>();
      Instant last = null;
      for (Batch b : batches) {
        // a backlog sent again after a reconnect repeats sample times: keep each instant once
        if (b.batch().publicKey().equals(publicKey) && !b.sampledAt().equals(last)) {
          out.add(b);
          last = b.sampledAt();
        }
      }
      return out;
    }

    private List<Map.Entry<Instant, PeerSample>> samplesOfLink(List<Batch> nodeBatches) {
      List<Map.Entry<Instant, PeerSample>> out = new ArrayList<>();
      for (Batch b : nodeBatches) {
        for (PeerSample s : b.batch().peers()) {
          if (s.publicKey().equals(peer.publicKey())) {
            out.add(Map.entry(b.sampledAt(), s));
          }
        }
      }
      return out;
    }

    private void endpointStory(List<Map.Entry<Instant, PeerSample>> samples) {
      PeerSample prev = null;
      Instant prevAt = null;
      for (Map.Entry<Instant, PeerSample> e : samples) {
        PeerSample s = e.getValue();
        if (s.endpoint().isPresent()) {
          boolean first = prev == null || prev.endpoint().isEmpty();
          boolean moved = !first && (!prev.endpoint().equals(s.endpoint())
              || (s.lastEndpointChange().isPresent() && !s.lastEndpointChange().equals(prev.lastEndpointChange())));
          if (first || moved) {
            Instant at = e.getKey();
            // the agent's own record of the change, when it falls between the two samples
            Instant sampled = e.getKey();
            Instant after = prevAt;
            Optional<Instant> changed = s.lastEndpointChange()
                .filter(t -> !t.isAfter(sampled) && (after == null || t.isAfter(after)));
            if (moved && changed.isPresent()) {
              at = changed.get();
            }
            Map<String, String> d = new LinkedHashMap<>();
            d.put("endpoint", s.endpoint().get());
            d.put("source", s.endpointSource().wireName());
            d.put("candidate", String.valueOf(s.endpointIndex() + 1));
            d.put("candidates", String.valueOf(s.candidateCount()));
            d.put("state", s.state().wireName());
            d.put("rule", s.rule());
            String where = s.endpoint().get() + " (" + s.endpointSource().wireName() + ", candidate "
                + (s.endpointIndex() + 1) + " of " + s.candidateCount() + ")";
            if (first) {
              add(at, EntryKind.ENDPOINT_IN_USE, Side.LINK, node.name() + " uses " + where + " for " + peer.name(), d);
            } else {
              d.put("previous", prev.endpoint().orElse(""));
              String verb = prev.endpoint().equals(s.endpoint()) ? " set " + where + " again" : " cycled to " + where;
              add(at, EntryKind.ENDPOINT_CYCLED, Side.LINK, node.name() + verb + " for " + peer.name() + ", was "
                  + prev.endpoint().orElse("none") + " (" + prev.state().wireName() + ": " + prev.rule() + ")", d);
            }
          }
        }
        prev = s;
        prevAt = e.getKey();
      }
    }

    private void handshakeStory(List<Map.Entry<Instant, PeerSample>> samples) {
      if (samples.isEmpty()) {
        return;
      }
      Duration limit = q.handshakeGap();
      Optional<Instant> last = samples.get(0).getValue().lastHandshake();
      Instant since = last.orElse(samples.get(0).getKey());
      for (Map.Entry<Instant, PeerSample> e : samples) {
        Optional<Instant> h = e.getValue().lastHandshake();
        if (h.isPresent() && (last.isEmpty() || h.get().isAfter(last.get()))) {
          Duration gap = Duration.between(since, h.get());
          if (gap.compareTo(limit) > 0) {
            add(h.get(), EntryKind.HANDSHAKE_GAP, Side.LINK, "no handshake between " + node.name() + " and "
                + peer.name() + " for " + Wording.duration(gap) + " (" + (last.isPresent() ? "since " + since
                : "none seen since the first sample at " + since) + ", more than " + Wording.duration(limit)
                + "), until a handshake at " + h.get(), ordered("since", since.toString(), "until", h.get().toString(),
                "lasted", Wording.duration(gap)));
          }
          last = h;
          since = h.get();
        }
      }
      Instant end = samples.get(samples.size() - 1).getKey();
      Duration open = Duration.between(since, end);
      if (open.compareTo(limit) > 0) {
        add(end, EntryKind.HANDSHAKE_GAP, Side.LINK, "no handshake between " + node.name() + " and " + peer.name()
            + " for " + Wording.duration(open) + " at the last sample of the range (since " + since + ")",
            ordered("since", since.toString(), "lasted", Wording.duration(open)));
      }
    }

    private List<PresenceSpan> presence(List<Batch> own, LinkEnd end, Side side) {
      List<PresenceSpan> spans = new ArrayList<>();
      Instant cursor = q.from();
      Boolean reachable = null;
      Instant prev = null;
      for (Batch b : own) {
        Instant at = b.sampledAt();
        if (prev == null) {
          if (at.isAfter(cursor)) {
            spans.add(new PresenceSpan(cursor, at, PresenceSpan.Presence.UNKNOWN));
          }
        } else if (Duration.between(prev, at).compareTo(q.silenceGap()) > 0) {
          spans.add(new PresenceSpan(cursor, prev, presenceOf(reachable)));
          spans.add(new PresenceSpan(prev, at, PresenceSpan.Presence.SILENT));
        } else if (reachable != b.batch().discoveryReachable()) {
          spans.add(new PresenceSpan(cursor, at, presenceOf(reachable)));
        } else {
          prev = at;
          continue;
        }
        cursor = at;
        boolean now = b.batch().discoveryReachable();
        if (reachable == null ? !now : reachable != now) {
          add(at, now ? EntryKind.DISCOVERY_REACHABLE : EntryKind.DISCOVERY_UNREACHABLE, side, end.name()
              + (now ? " reaches its discovery service" + (reachable == null ? "" : " again")
              : " cannot reach its discovery service (its samples say so)"), Map.of());
        }
        reachable = now;
        prev = at;
      }
      if (prev == null) {
        spans.add(new PresenceSpan(q.from(), q.to(), PresenceSpan.Presence.UNKNOWN));
      } else {
        spans.add(new PresenceSpan(cursor, prev, presenceOf(reachable)));
        if (Duration.between(prev, q.to()).compareTo(q.silenceGap()) > 0) {
          spans.add(new PresenceSpan(prev, q.to(), PresenceSpan.Presence.SILENT));
        } else if (prev.isBefore(q.to())) {
          spans.add(new PresenceSpan(prev, q.to(), presenceOf(reachable)));
        }
      }
      return merge(spans);
    }

    private static PresenceSpan.Presence presenceOf(Boolean reachable) {
      return reachable == null ? PresenceSpan.Presence.UNKNOWN
          : reachable ? PresenceSpan.Presence.REACHES_DISCOVERY : PresenceSpan.Presence.CANNOT_REACH_DISCOVERY;
    }

    private static List<PresenceSpan> merge(List<PresenceSpan> spans) {
      List<PresenceSpan> out = new ArrayList<>();
      for (PresenceSpan s : spans) {
        if (!s.to().isAfter(s.from())) {
          continue;
        }
        PresenceSpan last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && last.presence() == s.presence() && !last.to().isBefore(s.from())) {
          out.set(out.size() - 1, new PresenceSpan(last.from(), s.to(), s.presence()));
        } else {
          out.add(s);
        }
      }
      return out;
    }

    private List<StateSpan> statesFromSamples(List<Map.Entry<Instant, PeerSample>> samples) {
      List<StateSpan> spans = new ArrayList<>();
      Instant cursor = q.from();
      PeerSample current = null;
      for (Map.Entry<Instant, PeerSample> e : samples) {
        PeerSample s = e.getValue();
        if (current == null) {
          if (e.getKey().isAfter(cursor)) {
            spans.add(new StateSpan(cursor, e.getKey(), PeerState.UNKNOWN, "", Optional.empty(), EndpointSource.UNKNOWN));
          }
        } else if (current.state() != s.state() || !current.endpoint().equals(s.endpoint())) {
          // a new span at a change of state or of the endpoint in use (the endpoint-cycled entry
          // tells the latter), so each span names the endpoint it was really on
          spans.add(span(cursor, e.getKey(), current));
          if (current.state() == s.state()) {
            cursor = e.getKey();
            current = s;
            continue;
          }
          Map<String, String> d = new LinkedHashMap<>();
          d.put("from", current.state().wireName());
          d.put("to", s.state().wireName());
          d.put("rule", s.rule());
          s.endpoint().ifPresent(ep -> d.put("endpoint", ep));
          d.put("source", s.endpointSource().wireName());
          add(e.getKey(), EntryKind.STATE_CHANGED, Side.LINK, node.name() + " \u2192 " + peer.name() + " "
              + current.state().wireName() + " \u2192 " + s.state().wireName() + ": " + s.rule()
              + s.endpoint().map(ep -> " (endpoint " + ep + ", " + s.endpointSource().wireName() + ")").orElse(""), d);
        } else {
          continue;
        }
        cursor = e.getKey();
        current = s;
      }
      if (current != null) {
        spans.add(span(cursor, q.to(), current));
      }
      return spans.stream().filter(s -> s.to().isAfter(s.from()) || spans.size() == 1).toList();
    }

    private static StateSpan span(Instant from, Instant to, PeerSample s) {
      return new StateSpan(from, to, s.state(), s.rule(), s.endpoint(), s.endpointSource());
    }

    private List<RatePoint> ratesFromSamples(List<Map.Entry<Instant, PeerSample>> samples) {
      List<RatePoint> out = new ArrayList<>();
      for (int i = 1; i < samples.size(); i++) {
        Instant a = samples.get(i - 1).getKey();
        Instant b = samples.get(i).getKey();
        double seconds = Duration.between(a, b).toMillis() / 1000.0;
        if (seconds <= 0) {
          continue;
        }
        PeerSample x = samples.get(i - 1).getValue();
        PeerSample y = samples.get(i).getValue();
        // a counter that went backwards was reset: it counts from zero again (as the observer does)
        long rx = y.rxBytes() >= x.rxBytes() ? y.rxBytes() - x.rxBytes() : y.rxBytes();
        long tx = y.txBytes() >= x.txBytes() ? y.txBytes() - x.txBytes() : y.txBytes();
        out.add(new RatePoint(a, b, rx / seconds, tx / seconds));
      }
      return out;
    }

    // ---------------------------------------------------------------------------------------
    // The observer's output

    private boolean aboutLink(Envelope e) {
      String n = node.publicKey();
      String p = peer.publicKey();
      Event x = e.payload();
      String[] keys;
      if (x instanceof LinkStateChanged c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else if (x instanceof ReachabilityChanged c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else if (x instanceof LinkMetricsWindow c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else if (x instanceof EndpointObserved c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else if (x instanceof LinkFlapping c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else if (x instanceof LinkFlappingCleared c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else if (x instanceof LinkAsymmetric c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else if (x instanceof LinkAsymmetryCleared c) {
        keys = new String[] {c.nodePublicKey(), c.peerPublicKey()};
      } else {
        return false;
      }
      return keys[0].equals(n) && keys[1].equals(p);
    }

    private void observerStory(List<Envelope> linkEvents) {
      String link = node.name() + " \u2192 " + peer.name();
      for (Envelope e : linkEvents) {
        Event x = e.payload();
        if (x instanceof LinkStateChanged c) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("from", c.from().wireName());
            d.put("to", c.to().wireName());
            d.put("rule", c.reason());
            c.endpoint().ifPresent(ep -> d.put("endpoint", ep));
            d.put("source", c.endpointSource().wireName());
            d.put("lastSampleInPrevious", c.lastSampleInPrevious().toString());
            d.put("previousLasted", (c.previousStateStartSeen() ? "" : "at least ")
                + Wording.duration(c.previousStateLasted()));
            add(c.firstSampleInNew(), EntryKind.STATE_CHANGED, Side.LINK, link + " " + c.from().wireName()
                + " \u2192 " + c.to().wireName() + ": " + c.reason()
                + c.endpoint().map(ep -> " (endpoint " + ep + ", " + c.endpointSource().wireName() + ")").orElse("")
                + "; " + c.from().wireName() + " for " + d.get("previousLasted"), d);
        } else if (x instanceof EndpointObserved c) {
          add(c.sampledAt(), EntryKind.ENDPOINT_PROVEN, Side.LINK, link + " up through "
              + c.endpoint() + " (" + c.source().wireName() + "): the first time any node saw it work for "
              + peer.name(), ordered("endpoint", c.endpoint(), "source", c.source().wireName()));
        } else if (x instanceof LinkFlapping c) {
          add(e.at(), EntryKind.FLAPPING, Side.LINK, link + " is flapping: " + c.changes()
              + " state changes within " + Wording.duration(c.window()), ordered("changes", String.valueOf(c.changes())));
        } else if (x instanceof LinkFlappingCleared c) {
          add(e.at(), EntryKind.FLAPPING_CLEARED, Side.LINK, link + " stopped flapping: "
              + c.state().wireName() + " and quiet for " + Wording.duration(c.quietFor()), Map.of());
        } else if (x instanceof LinkAsymmetric c) {
          add(e.at(), EntryKind.ASYMMETRIC, Side.LINK, link + " is up this way but "
              + c.reverseState().map(PeerState::wireName).orElse("not sampled") + " the other way, for "
              + Wording.duration(c.lasted()), Map.of());
        } else if (x instanceof LinkAsymmetryCleared c) {
          add(e.at(), EntryKind.ASYMMETRY_CLEARED, Side.LINK, link
              + " agrees with the other way again (" + c.state().wireName() + ")", Map.of());
        }
      }
      for (Envelope e : observer) {
        Event x = e.payload();
        if (x instanceof NodeSilent s && side(s.publicKey()).isPresent()) {
          add(s.detectedAt(), EntryKind.NODE_SILENT,
              side(s.publicKey()).get(), directory.nameOf(s.publicKey()) + " has sent no sample since " + s.lastArrivedAt()
              + " (silent for more than " + Wording.duration(s.threshold()) + "; its last batch said discovery "
              + (s.lastDiscoveryReachable() ? "answered" : "did not answer") + ")",
              ordered("lastArrivedAt", s.lastArrivedAt().toString()));
        } else if (x instanceof NodeReportingAgain r && side(r.publicKey()).isPresent()) {
          add(r.arrivedAt(),
              EntryKind.NODE_REPORTING_AGAIN, side(r.publicKey()).get(), directory.nameOf(r.publicKey())
              + " reports again after " + Wording.duration(r.unheardFor()) + " unheard; no samples for "
              + Wording.duration(r.sampleGap()) + (r.sampleGap().compareTo(r.unheardFor().dividedBy(2)) < 0
              ? " (it was cut off from discovery and sent its backlog)" : " (it was down or not sampling)"),
              ordered("unheardFor", Wording.duration(r.unheardFor()), "sampleGap", Wording.duration(r.sampleGap())));
        }
      }
    }

    private Optional<Side> side(String publicKey) {
      return publicKey.equals(node.publicKey()) ? Optional.of(Side.NODE)
          : publicKey.equals(peer.publicKey()) ? Optional.of(Side.PEER) : Optional.empty();
    }

    private List<StateSpan> statesFromObserver(List<Envelope> linkEvents, List<Map.Entry<Instant, PeerSample>> samples) {
      List<LinkStateChanged> changes = linkEvents.stream().map(Envelope::payload)
          .filter(LinkStateChanged.class::isInstance).map(LinkStateChanged.class::cast)
          .sorted(Comparator.comparing(LinkStateChanged::firstSampleInNew)).toList();
      List<StateSpan> spans = new ArrayList<>();
      Instant cursor = q.from();
      PeerState state;
      String rule = "";
      Optional<String> endpoint = Optional.empty();
      EndpointSource source = EndpointSource.UNKNOWN;
      if (!changes.isEmpty()) {
        state = changes.get(0).from();
        // what the observing node said while in that state, from its last sample before the change
        Instant firstChange = changes.get(0).firstSampleInNew();
        for (Map.Entry<Instant, PeerSample> e : samples) {
          if (e.getKey().isBefore(firstChange) && e.getValue().state() == state) {
            rule = e.getValue().rule();
            endpoint = e.getValue().endpoint();
            source = e.getValue().endpointSource();
          }
        }
        if (changes.get(0).previousStateSince().isAfter(cursor)) {
          spans.add(new StateSpan(cursor, changes.get(0).previousStateSince(), PeerState.UNKNOWN, "",
              Optional.empty(), EndpointSource.UNKNOWN));
          cursor = changes.get(0).previousStateSince();
        }
      } else {
        // no change in the range: the state held throughout, as the first sample or matrix cell says
        Optional<PeerState> held = samples.isEmpty() ? linkEvents.stream().map(Envelope::payload)
            .filter(ReachabilityChanged.class::isInstance).map(ReachabilityChanged.class::cast)
            .flatMap(r -> r.state().stream()).findFirst() : Optional.of(samples.get(0).getValue().state());
        state = held.orElse(PeerState.UNKNOWN);
        if (!samples.isEmpty()) {
          rule = samples.get(0).getValue().rule();
          endpoint = samples.get(0).getValue().endpoint();
          source = samples.get(0).getValue().endpointSource();
        }
      }
      for (LinkStateChanged c : changes) {
        Instant at = c.firstSampleInNew();
        if (at.isAfter(q.to())) {
          break;
        }
        if (at.isAfter(cursor)) {
          spans.add(new StateSpan(cursor, at, state, rule, endpoint, source));
        }
        cursor = at.isAfter(cursor) ? at : cursor;
        state = c.to();
        rule = c.reason();
        endpoint = c.endpoint();
        source = c.endpointSource();
      }
      spans.add(new StateSpan(cursor, q.to().isAfter(cursor) ? q.to() : cursor, state, rule, endpoint, source));
      return spans;
    }

    private List<RatePoint> ratesFromObserver(List<Envelope> linkEvents) {
      return linkEvents.stream().map(Envelope::payload).filter(LinkMetricsWindow.class::isInstance)
          .map(LinkMetricsWindow.class::cast)
          .filter(w -> !w.windowEnd().isBefore(q.from()) && !w.windowStart().isAfter(q.to()))
          .sorted(Comparator.comparing(LinkMetricsWindow::windowStart))
          .map(w -> new RatePoint(w.windowStart(), w.windowEnd(), w.rxBytesPerSecond(), w.txBytesPerSecond()))
          .toList();
    }

    /** Details in the order given (Map.of has none). */
    private static Map<String, String> ordered(String... keysAndValues) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        m.put(keysAndValues[i], keysAndValues[i + 1]);
      }
      return m;
    }

    private void add(Instant at, EntryKind kind, Side side, String text, Map<String, String> details) {
      if (!at.isBefore(q.from()) && !at.isAfter(q.to())) {
        entries.add(new TimelineEntry(at, kind, side, text, details));
      }
    }
  }
}
