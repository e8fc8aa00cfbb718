package io.spanlog.observer;

import io.spanlog.topics.TopicCatalogue;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the observer's topology is a function of: thresholds, windows and topics. Each
 * setting is defined here once, with its default and valid range; the defaults suit agents that
 * reconcile every 30 s.
 *
 * @param flapChanges a link is flapping when it changes state more than this many times within
 *     {@code flapWindow} (default 4, at least 1)
 * @param flapWindow the window flapping is counted in, on sample time (default 10 min)
 * @param flapQuiet a flapping link is all-clear once it has kept one state this long (default
 *     10 min)
 * @param asymmetricAfter a node seeing a peer up while the peer does not see it up is reported
 *     once that has lasted this long (default 2 min: four reconciles)
 * @param silentAfter a node none of whose batches arrived for this long, while its cluster's
 *     other nodes' did, is reported silent (default 90 s: three reconciles)
 * @param silenceCheckEvery how often, in the cluster's arrival time, nodes are checked for
 *     silence (default 10 s; a silence is reported at most this much after it passes the threshold)
 * @param metricsWindow the tumbling window of RX/TX metrics, on sample time (default 1 min)
 * @param metricsGrace how long after its end a window still takes late samples (default 2 min)
 * @param metricsRetention how long closed windows stay queryable in the observer's own store (the
 *     read API's metric windows; the topic keeps them longer) (default 24 h, at least one window)
 * @param sampleTimeTolerance how far a batch's sample time may be after the time it was appended
 *     (agent clock ahead of the discovery service's) before it is refused: a clock far ahead would
 *     otherwise close every window of its cluster (default 5 min)
 * @param provenEndpointsPerPeer how many endpoints seen working are remembered per peer (default
 *     16; an endpoint forgotten and seen working again is reported again)
 * @param producer the {@code producer} of derived events
 * @param telemetryTopic input: handshake-sample batches
 * @param linkEventsTopic output: link and node events and reachability deltas
 * @param linkMetricsTopic output: per-link metric windows
 * @param deadLetterTopic output: telemetry records that could not be read, with the reason
 * @param driftGrace a node whose device differs from its expected peer specs (a peer missing, a
 *     peer that should be gone, an endpoint that is none of the peer's candidates) is reported
 *     drifting once that has lasted this long, on sample time (default 1 min: two reconciles, so a
 *     join or leave propagating normally, within seconds to the agents and at their next
 *     reconcile, is not reported)
 * @param discoveryEventsTopic input: the discovery events the expected peer specs are folded from
 *     (keyed by cluster id like the telemetry, and with as many partitions, so a cluster's
 *     discovery events and batches meet in one task)
 */
public record ObserverSettings(
    int flapChanges,
    Duration flapWindow,
    Duration flapQuiet,
    Duration asymmetricAfter,
    Duration silentAfter,
    Duration silenceCheckEvery,
    Duration metricsWindow,
    Duration metricsGrace,
    Duration metricsRetention,
    Duration sampleTimeTolerance,
    int provenEndpointsPerPeer,
    String producer,
    String telemetryTopic,
    String linkEventsTopic,
    String linkMetricsTopic,
    String deadLetterTopic,
    Duration driftGrace,
    String discoveryEventsTopic) {

  public ObserverSettings {
    if (flapChanges < 1) {
      throw new IllegalArgumentException("flapChanges must be at least 1, not " + flapChanges);
    }
    positive(flapWindow, "flapWindow");
    positive(flapQuiet, "flapQuiet");
    positive(asymmetricAfter, "asymmetricAfter");
    positive(silentAfter, "silentAfter");
    positive(silenceCheckEvery, "silenceCheckEvery");
    positive(metricsWindow, "metricsWindow");
    if (metricsWindow.toMillis() < 1000 || metricsWindow.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("metricsWindow must be a whole number of seconds");
    }
    Objects.requireNonNull(metricsGrace, "metricsGrace");
    if (metricsGrace.isNegative()) {
      throw new IllegalArgumentException("metricsGrace must not be negative");
    }
    Objects.requireNonNull(metricsRetention, "metricsRetention");
    if (metricsRetention.compareTo(metricsWindow) < 0) {
      throw new IllegalArgumentException(
          "metricsRetention must be at least one metricsWindow (" + metricsWindow + "), not "
              + metricsRetention);
    }
    Objects.requireNonNull(sampleTimeTolerance, "sampleTimeTolerance");
    if (sampleTimeTolerance.isNegative()) {
      throw new IllegalArgumentException("sampleTimeTolerance must not be negative");
    }
    if (provenEndpointsPerPeer < 1) {
      throw new IllegalArgumentException("provenEndpointsPerPeer must be at least 1");
    }
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(telemetryTopic, "telemetryTopic");
    Objects.requireNonNull(linkEventsTopic, "linkEventsTopic");
    Objects.requireNonNull(linkMetricsTopic, "linkMetricsTopic");
    Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    positive(driftGrace, "driftGrace");
    Objects.requireNonNull(discoveryEventsTopic, "discoveryEventsTopic");
  }

  /** The defaults, on the catalogue's topics. */
  public static ObserverSettings defaults() {
    return new ObserverSettings(
        4,
        Duration.ofMinutes(10),
        Duration.ofMinutes(10),
        Duration.ofMinutes(2),
        Duration.ofSeconds(90),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofMinutes(2),
        Duration.ofHours(24),
        Duration.ofMinutes(5),
        16,
        "endpoint-observer",
        TopicCatalogue.TELEMETRY,
        TopicCatalogue.LINK_EVENTS,
        TopicCatalogue.LINK_METRICS,
        TopicCatalogue.DEAD_LETTER,
        Duration.ofMinutes(1),
        TopicCatalogue.DISCOVERY_EVENTS);
  }

  public ObserverSettings withFlapping(int changes, Duration window, Duration quiet) {
    return new ObserverSettings(changes, window, quiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        provenEndpointsPerPeer, producer, telemetryTopic, linkEventsTopic, linkMetricsTopic,
        deadLetterTopic, driftGrace,
        discoveryEventsTopic);
  }

  public ObserverSettings withAsymmetricAfter(Duration after) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, after, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        provenEndpointsPerPeer, producer, telemetryTopic, linkEventsTopic, linkMetricsTopic,
        deadLetterTopic, driftGrace,
        discoveryEventsTopic);
  }

  public ObserverSettings withSilence(Duration after, Duration checkEvery) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, after,
        checkEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        provenEndpointsPerPeer, producer, telemetryTopic, linkEventsTopic, linkMetricsTopic,
        deadLetterTopic, driftGrace,
        discoveryEventsTopic);
  }

  public ObserverSettings withMetrics(Duration window, Duration grace) {
    Duration retention = metricsRetention.compareTo(window) < 0 ? window : metricsRetention;
    return withMetrics(window, grace, retention);
  }

  public ObserverSettings withMetrics(Duration window, Duration grace, Duration retention) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, window, grace, retention, sampleTimeTolerance, provenEndpointsPerPeer,
        producer, telemetryTopic, linkEventsTopic, linkMetricsTopic, deadLetterTopic, driftGrace,
        discoveryEventsTopic);
  }

  public ObserverSettings withSampleTimeTolerance(Duration tolerance) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, tolerance,
        provenEndpointsPerPeer, producer, telemetryTopic, linkEventsTopic, linkMetricsTopic,
        deadLetterTopic, driftGrace,
        discoveryEventsTopic);
  }

  public ObserverSettings withProvenEndpointsPerPeer(int count) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        count, producer, telemetryTopic, linkEventsTopic, linkMetricsTopic, deadLetterTopic, driftGrace,
        discoveryEventsTopic);
  }

  public ObserverSettings withProducer(String name) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        provenEndpointsPerPeer, name, telemetryTopic, linkEventsTopic, linkMetricsTopic,
        deadLetterTopic, driftGrace,
        discoveryEventsTopic);
  }

  /** The same settings on other topics (tests; installations sharing one Kafka cluster). */
  public ObserverSettings withTopics(
      String telemetry, String linkEvents, String linkMetrics, String deadLetter) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        provenEndpointsPerPeer, producer, telemetry, linkEvents, linkMetrics, deadLetter, driftGrace,
        discoveryEventsTopic);
  }

  /** How long a node may differ from its expected peer specs before it is reported drifting. */
  public ObserverSettings withDriftGrace(Duration grace) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        provenEndpointsPerPeer, producer, telemetryTopic, linkEventsTopic, linkMetricsTopic,
        deadLetterTopic, grace, discoveryEventsTopic);
  }

  /** The same settings reading discovery events from another topic (tests; shared Kafka). */
  public ObserverSettings withDiscoveryTopic(String discoveryEvents) {
    return new ObserverSettings(flapChanges, flapWindow, flapQuiet, asymmetricAfter, silentAfter,
        silenceCheckEvery, metricsWindow, metricsGrace, metricsRetention, sampleTimeTolerance,
        provenEndpointsPerPeer, producer, telemetryTopic, linkEventsTopic, linkMetricsTopic,
        deadLetterTopic, driftGrace, discoveryEvents);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, not " + d);
    }
  }
}
