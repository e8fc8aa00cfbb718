package io.spanlog.demo;

import io.spanlog.events.EndpointObserved;
import io.spanlog.events.Envelope;
import io.spanlog.events.LinkAsymmetric;
import io.spanlog.events.LinkAsymmetryCleared;
import io.spanlog.events.LinkFlapping;
import io.spanlog.events.LinkFlappingCleared;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.read.Scan;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.topics.TopicCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The endpoint observer's events of one link ({@code spanlog.link.events}, read with the history
 * tools' {@link LogReader}: the cluster's partition, read committed, from the offsets of a start
 * time to an end time), in the order the observer derived them.
 */
final class LinkEventLog {
  private LinkEventLog() {}

  /** One event of the link, with the time it is about (the envelope's). */
  record Entry(Instant at, Object event) {}

  static List<Entry> read(String bootstrap, String cluster, String nodeKey, String peerKey, Instant from, Instant to) {
    List<Entry> out = new ArrayList<>();
    try (LogAccess access = LogAccess.of(bootstrap, KafkaClientConfig.NONE);
        LogReader reader = new LogReader(access, Progress.QUIET)) {
      reader.read(Scan.of(TopicCatalogue.LINK_EVENTS).cluster(cluster).from(from).to(to), r -> {
        Envelope e = r.envelope();
        if (about(e.payload(), nodeKey, peerKey)) {
          out.add(new Entry(e.at(), e.payload()));
        }
      });
    }
    return out;
  }

  private static boolean about(Object event, String nodeKey, String peerKey) {
    String node;
    String peer;
    if (event instanceof LinkStateChanged c) {
      node = c.nodePublicKey();
      peer = c.peerPublicKey();
    } else if (event instanceof EndpointObserved o) {
      node = o.nodePublicKey();
      peer = o.peerPublicKey();
    } else if (event instanceof LinkFlapping f) {
      node = f.nodePublicKey();
      peer = f.peerPublicKey();
    } else if (event instanceof LinkFlappingCleared f) {
      node = f.nodePublicKey();
      peer = f.peerPublicKey();
    } else if (event instanceof LinkAsymmetric a) {
      node = a.nodePublicKey();
      peer = a.peerPublicKey();
    } else if (event instanceof LinkAsymmetryCleared a) {
      node = a.nodePublicKey();
      peer = a.peerPublicKey();
    } else {
      return false;
    }
    return node.equals(nodeKey) && peer.equals(peerKey);
  }

  /** One line per event: time, what, and the evidence. */
  static String describe(Entry e) {
    Object event = e.event();
    String what;
    if (event instanceof LinkStateChanged c) {
      what = "state " + lower(c.from()) + " -> " + lower(c.to())
          + " via " + c.endpoint().orElse("(no endpoint)") + " (" + lower(c.endpointSource()) + ")"
          + "; rule: " + c.reason() + "; " + lower(c.from()) + " lasted "
          + (c.previousStateStartSeen() ? "" : ">= ") + seconds(c.previousStateLasted())
          + "; samples " + c.lastSampleInPrevious() + " / " + c.firstSampleInNew();
    } else if (event instanceof EndpointObserved o) {
      what = "endpoint observed working: " + o.endpoint() + " (" + lower(o.source()) + ")";
    } else if (event instanceof LinkFlapping f) {
      what = "flapping: " + f.changes() + " changes within " + seconds(f.window());
    } else if (event instanceof LinkFlappingCleared f) {
      what = "flapping cleared: " + lower(f.state()) + " for " + seconds(f.quietFor());
    } else if (event instanceof LinkAsymmetric a) {
      what = "one-way: the peer sees this link " + a.reverseState().map(LinkEventLog::lower).orElse("not at all");
    } else if (event instanceof LinkAsymmetryCleared) {
      what = "one-way cleared";
    } else {
      what = event.getClass().getSimpleName();
    }
    return e.at() + "  " + what;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
