package io.spanlog.observer.query;

import io.spanlog.events.LinkMetricsWindow;
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

  /** Any error: the HTTP status and one sentence. */
  public record Error(int status, String error) {}
}
