package io.spanlog.agent.api;

import io.spanlog.agent.discovery.Reachability;
import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.agent.status.PeerStatus;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecWarning;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The four operator views of one node (kubespan-behaviour.md, "operator views"), as JSON
 * records. Field names and shapes are documented in {@code node-agent/docs/status-api.md}; an
 * absent value is JSON {@code null}. No view carries a private key or the cluster secret.
 */
public final class StatusViews {
  private StatusViews() {}

  public record Discovery(String target, String state, Instant since, String detail, Optional<String> publicIp) {}

  public record Telemetry(boolean on, String detail) {}

  public record Identity(
      String nodeId, String publicKey, String address, String subnet, String hostname, String nodename,
      String clusterId, String interfaceName, int listenPort, Discovery discovery, Telemetry telemetry,
      long version) {}

  public record EndpointCandidate(String endpoint, String source) {}

  public record Spec(
      String id, String label, String address, List<String> allowedIps, List<EndpointCandidate> endpoints,
      String affiliateId, long version) {}

  public record Warning(String affiliateId, String publicKey, String message) {}

  public record PeerSpecs(List<Spec> peers, List<Warning> warnings) {}

  public record Status(
      String id, String label, Optional<String> endpoint, Optional<String> lastUsedEndpoint, String state,
      String rule, Optional<Instant> lastHandshake, Optional<Instant> lastEndpointChange, long receiveBytes,
      long transmitBytes, long version) {}

  public record PeerStatuses(Optional<Instant> reconciledAt, List<Status> peers) {}

  public record HarvestedEndpoint(String id, String affiliateId, String endpoint, long version) {}

  public record Endpoints(List<HarvestedEndpoint> endpoints) {}

  public record Error(int status, String error) {}

  /** The answer to {@code POST /v1/leave/challenge}: the nonce a leave proof must sign, good once. */
  public record LeaveChallenge(String nodeId, String nonce, Instant expiresAt) {}

  /** The body of {@code POST /v1/leave}: which node should leave, the challenge's nonce, {@link LeaveProof}. */
  public record LeaveRequest(String nodeId, String nonce, String proof) {}

  /** The answer to a leave the agent carried out; it stops right after sending it. */
  public record Left(String nodeId, String discovery, int peersRemoved) {}

  public static Identity identity(LocalNode self, String discoveryTarget, Reachability reachability,
      Optional<java.net.InetAddress> publicIp, boolean telemetryOn, String telemetryDetail, long version) {
    return new Identity(self.nodeId(), self.identity().publicKey(), self.identity().address().toString(),
        self.identity().subnet().toString(), self.hostname(), self.nodename(), self.clusterId(),
        self.interfaceName(), self.listenPort(),
        new Discovery(discoveryTarget, reachability.state().name().toLowerCase(java.util.Locale.ROOT),
            reachability.since(), reachability.detail(), publicIp.map(IpText::format)),
        new Telemetry(telemetryOn, telemetryDetail), version);
  }

  /** The peer specs of the state {@code versions} describe, each with its version. */
  public static PeerSpecs peerSpecs(ResourceVersions versions) {
    AgentState state = versions.state();
    return new PeerSpecs(
        state.specs().peers().stream().map(p -> spec(p, versions.peerSpec(p.publicKey()))).toList(),
        state.specs().warnings().stream().map(StatusViews::warning).toList());
  }

  public static PeerStatuses peerStatuses(ResourceVersions versions) {
    AgentState state = versions.state();
    return new PeerStatuses(state.reconciledAt(), state.statuses().values().stream()
        .map(s -> status(s, versions.peerStatus(s.publicKey()))).toList());
  }

  public static Endpoints endpoints(ResourceVersions versions) {
    return new Endpoints(versions.state().harvested().stream()
        .map(h -> new HarvestedEndpoint(h.publicKey(), h.affiliateId(), h.endpoint().toString(),
            versions.endpoints(h.publicKey()))).toList());
  }

  private static Spec spec(PeerSpec p, long version) {
    return new Spec(p.publicKey(), p.label(), IpText.format(p.address()),
        p.allowedIps().stream().map(Object::toString).toList(),
        p.endpoints().stream().map(StatusViews::candidate).toList(), p.affiliateId(), version);
  }

  private static EndpointCandidate candidate(PeerEndpoint e) {
    return new EndpointCandidate(e.endpoint().toString(), e.source().wireName());
  }

  private static Warning warning(PeerSpecWarning w) {
    return new Warning(w.affiliateId(), w.publicKey(), w.message());
  }

  private static Status status(PeerStatus s, long version) {
    return new Status(s.publicKey(), s.label(), s.endpoint().map(Endpoint::toString),
        s.lastUsedEndpoint().map(Endpoint::toString), s.state().wireName(), s.rule(), s.lastHandshake(),
        s.lastEndpointChange(), s.rxBytes(), s.txBytes(), version);
  }
}
