package io.spanlog.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the operator views show of one node, read from its status API (shapes in
 * node-agent/docs/status-api.md). Parsed from JSON rather than shared classes: this is what any
 * client of the API sees.
 */
public final class NodeViews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeViews() {}

  /**
   * {@code kubespanidentities}. {@code version} in each record is talosctl's VERSION, how many
   * times the resource changed on that node; 0 when the agent does not say (an older agent).
   */
  public record Identity(String nodeId, String nodename, String publicKey, String address, String subnet, long version) {}

  /** {@code kubespanpeerspecs}: id = the peer's public key. */
  public record PeerSpec(String id, String label, String address, List<String> endpoints, long version) {}

  /** {@code kubespanpeerstatuses}. */
  public record PeerStatus(String id, String label, Optional<String> endpoint, String state, long rx, long tx,
      long version) {}

  /** {@code kubespanendpoints}: an endpoint harvested for a peer (id = its public key). */
  public record Endpoint(String id, String affiliateId, String endpoint, long version) {}

  /** One node's three views, read in one pass. */
  public record Snapshot(String node, Identity identity, List<PeerSpec> specs, List<PeerStatus> statuses) {}

  /** Reads the three views of a node. */
  public static Snapshot read(String node, StatusSource source) throws IOException {
    return new Snapshot(node, identity(source.get("/v1/identity")), specs(source.get("/v1/peerspecs")),
        statuses(source.get("/v1/peerstatuses")));
  }

  public static Identity identity(String json) throws IOException {
    JsonNode n = JSON.readTree(json);
    return new Identity(text(n, "nodeId"), text(n, "nodename"), text(n, "publicKey"), text(n, "address"),
        text(n, "subnet"), n.path("version").asLong());
  }

  public static List<PeerSpec> specs(String json) throws IOException {
    List<PeerSpec> out = new ArrayList<>();
    for (JsonNode p : JSON.readTree(json).path("peers")) {
      List<String> endpoints = new ArrayList<>();
      for (JsonNode e : p.path("endpoints")) {
        endpoints.add(e.isTextual() ? e.asText() : text(e, "endpoint"));
      }
      out.add(new PeerSpec(text(p, "id"), text(p, "label"), text(p, "address"), List.copyOf(endpoints),
          p.path("version").asLong()));
    }
    return List.copyOf(out);
  }

  public static List<PeerStatus> statuses(String json) throws IOException {
    List<PeerStatus> out = new ArrayList<>();
    for (JsonNode p : JSON.readTree(json).path("peers")) {
      Optional<String> endpoint = p.path("endpoint").isTextual() ? Optional.of(p.path("endpoint").asText()) : Optional.empty();
      out.add(new PeerStatus(text(p, "id"), text(p, "label"), endpoint, text(p, "state"),
          p.path("receiveBytes").asLong(), p.path("transmitBytes").asLong(), p.path("version").asLong()));
    }
    return List.copyOf(out);
  }

  public static List<Endpoint> endpoints(String json) throws IOException {
    List<Endpoint> out = new ArrayList<>();
    for (JsonNode e : JSON.readTree(json).path("endpoints")) {
      out.add(new Endpoint(text(e, "id"), text(e, "affiliateId"), text(e, "endpoint"), e.path("version").asLong()));
    }
    return List.copyOf(out);
  }

  /** A VERSION cell: the number, or "-" when the agent did not say. */
  static String version(long version) {
    return version > 0 ? Long.toString(version) : "-";
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }
}
