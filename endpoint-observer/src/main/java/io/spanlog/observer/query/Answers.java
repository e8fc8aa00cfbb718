package io.spanlog.observer.query;

import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.PeerSpecDiscrepancy;
import io.spanlog.events.PeerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The read API's answers, as JSON objects. */
public final class Answers {
  private Answers() {}

  /** {@code GET /v1/links}: every link of a cluster, ordered by node then peer name. */
  public record Links(String cluster, List<LinkView> links) {
    public Links {
      links = List.copyOf(links);
    }
  }

  /**
   * {@code GET /v1/matrix}: the reachability matrix of a cluster.
   *
   * @param nodes every node that reports or is reported on, ordered by name
   * @param cells one per ordered pair (node, peer) with a current state
   */
  public record Matrix(String cluster, List<MatrixNode> nodes, List<MatrixCell> cells) {
    public Matrix {
      nodes = List.copyOf(nodes);
      cells = List.copyOf(cells);
    }
  }

  /** A row and column of the matrix. */
  public record MatrixNode(String name, String publicKey) {}

  /** How node {@code from} sees peer {@code to}, since when, and whether the two disagree. */
  public record MatrixCell(
      String fromPublicKey, String toPublicKey, PeerState state, Instant since,
      Optional<Instant> asymmetricSince) {}

  /**
   * {@code GET /v1/link-metrics}: a link's closed metric windows starting within [from, to].
   *
   * @param retention how far back this observer keeps windows; older ones are on the
   *     {@code spanlog.link.metrics} topic only
   */
  public record LinkMetrics(
      String cluster, String nodePublicKey, String peerPublicKey, Instant from, Instant to,
      Duration retention, List<LinkMetricsWindow> windows) {
    public LinkMetrics {
      windows = List.copyOf(windows);
    }
  }

  /**
   * {@code GET /v1/drift}: each node's peer specs against its device.
   *
   * @param secretRegistered whether this observer holds the cluster's secret; without it there is
   *     no expected peer spec, so no drift, and {@code note} says so
   * @param grace how long a discrepancy lasts before the node is reported drifting
   * @param drifting how many nodes drift now
   * @param nodes every node judged, drifting ones first, then by name
   */
  public record Drift(String cluster, boolean secretRegistered, Optional<String> note,
      Duration grace, int drifting, List<DriftNode> nodes) {
    public Drift {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One node's drift.
   *
   * @param driftingSince since when it drifts; empty when it matches its specs (or differs for
   *     less than the grace)
   * @param lastSampledAt the sample time of its latest batch judged
   * @param discrepancies what has differed for longer than the grace (reported)
   * @param pending what differs for less than the grace so far (normal propagation, until it
   *     lasts)
   */
  public record DriftNode(String nodeName, String nodeId, String nodePublicKey,
      Optional<Instant> driftingSince, Instant lastSampledAt,
      List<PeerSpecDiscrepancy> discrepancies, List<PeerSpecDiscrepancy> pending) {
    public DriftNode {
      discrepancies = List.copyOf(discrepancies);
      pending = List.copyOf(pending);
    }
  }

  /** Any error: the HTTP status and one sentence. */
  public record Error(int status, String error) {}
}
