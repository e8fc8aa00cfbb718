package io.spanlog.discovery.rpc;

import io.spanlog.discovery.metrics.DiscoveryMetrics;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much of the server one client address may hold at once: open connections and concurrent
 * calls (HTTP/2 streams, Watch streams included). Addresses are counted as the rate limit counts
 * them ({@link ClientAddress#limitKey}: IPv4 address, IPv6 /64); calls by the client address of
 * the request (proxy headers when trusted), connections by their transport peer.
 *
 * <p>A call over the cap ends at once with RESOURCE_EXHAUSTED and a sentence; a connection over
 * the cap is closed as soon as it opens, and counted in {@code spanlog_discovery_refused_total}.
 */
public final class AddressCaps {
  private static final Logger LOG = LoggerFactory.getLogger(AddressCaps.class);

  /**
   * The caps.
   *
   * @param streamsPerAddress concurrent calls per client address
   * @param connectionsPerAddress open connections per client address
   * @param streamsPerConnection concurrent streams one HTTP/2 connection may open (its SETTINGS)
   */
  public record Limits(int streamsPerAddress, int connectionsPerAddress, int streamsPerConnection) {
    public Limits {
      if (streamsPerAddress < 1 || connectionsPerAddress < 1 || streamsPerConnection < 1) {
        throw new IllegalArgumentException("stream and connection limits must be at least 1");
      }
    }
  }

  private final Limits limits;
  private final ClientAddress addresses;
  private final DiscoveryMetrics metrics;
  private final Map<String, Integer> streams = new HashMap<>();
  private final Map<String, Integer> connections = new HashMap<>();

  public AddressCaps(Limits limits, ClientAddress addresses, DiscoveryMetrics metrics) {
    this.limits = limits;
    this.addresses = addresses;
    this.metrics = metrics;
  }

  /**
   * Counts a new connection until it closes; closes it instead if its address already holds
   * {@link Limits#connectionsPerAddress}.
   *
   * @return whether the connection may be served
   */
  public boolean admit(HttpConnection connection) {
    String key = ClientAddress.limitKey(connection.remoteAddress() == null ? null : connection.remoteAddress().hostAddress());
    if (!take(connections, key, limits.connectionsPerAddress())) {
      metrics.refused("connections_per_address");
      LOG.debug("connection from {} closed: it holds {} connections already", key, limits.connectionsPerAddress());
      connection.close();
      return false;
    }
    connection.closeHandler(v -> release(connections, key));
    return true;
  }

  /**
   * Counts a call until its stream closes; answers it RESOURCE_EXHAUSTED instead if its address
   * already holds {@link Limits#streamsPerAddress} calls.
   *
   * @return whether the call may be served
   */
  public boolean admit(HttpServerRequest request) {
    String key = ClientAddress.limitKey(addresses.of(request.headers(), request.connection()));
    if (!take(streams, key, limits.streamsPerAddress())) {
      metrics.refused("streams_per_address");
      GuardedGrpcRequest.trailersOnly(request.response(), GrpcStatus.RESOURCE_EXHAUSTED, "too many concurrent calls from this address (at most "
          + limits.streamsPerAddress() + ", Watch streams included); end some before opening more");
      return false;
    }
    // HTTP/2: called once the stream is closed, however it ended (answered, reset, connection gone)
    request.response().closeHandler(v -> release(streams, key));
    return true;
  }

  private synchronized boolean take(Map<String, Integer> counts, String key, int max) {
    int held = counts.getOrDefault(key, 0);
    if (held >= max) {
      return false;
    }
    counts.put(key, held + 1);
    return true;
  }

  private synchronized void release(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, held) -> held <= 1 ? null : held - 1);
  }

  /** Calls counted against {@code key} now, for tests. */
  synchronized int streams(String key) {
    return streams.getOrDefault(key, 0);
  }

  /** Connections counted against {@code key} now, for tests. */
  synchronized int connections(String key) {
    return connections.getOrDefault(key, 0);
  }
}
