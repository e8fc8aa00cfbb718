package io.spanlog.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.agent.status.PeerStatus;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecSet;
import io.spanlog.peers.PeerSpecWarning;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The JSON shapes of docs/status-api.md: field names, nulls, wire names. Other helpers parse these. */
class StatusViewsTest {
  private static final Instant T = Instant.parse("2026-11-26T02:10:41Z");

  private static AgentState state() {
    var spec = new PeerSpec("KEY2", "node-2", IpText.parse("fd00::2"),
        List.of(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("fd00::2/128")),
        List.of(new PeerEndpoint(Endpoint.parse("10.0.0.2:51820"), EndpointSource.ADVERTISED),
            new PeerEndpoint(Endpoint.parse("198.51.100.2:51820"), EndpointSource.PUBLIC_IP)), "aff-2");
    var up = new PeerStatus("KEY2", "node-2", Optional.of(Endpoint.parse("10.0.0.2:51820")),
        Optional.of(Endpoint.parse("10.0.0.2:51820")), Optional.of(T.minusSeconds(3)), Optional.of(T), 100, 200,
        PeerState.UP, "handshake since the endpoint change 3 s ago");
    var fresh = PeerStatus.initial("KEY3", "node-3");
    var statuses = new TreeMap<String, PeerStatus>();
    statuses.put("KEY2", up);
    statuses.put("KEY3", fresh);
    return new AgentState(new PeerSpecSet(List.of(spec), List.of(new PeerSpecWarning("aff-9", "KEY9", "overlap"))),
        statuses, List.of(new HarvestedEndpoint("KEY2", "aff-2", Endpoint.parse("10.0.0.2:51820"))), Optional.of(T));
  }

  private static JsonNode json(Object view) throws Exception {
    return StatusJson.mapper().readTree(StatusJson.write(view));
  }

  @Test
  void peerSpecsCarryCandidatesWithTheirSourceAndTheWarnings() throws Exception {
    JsonNode specs = json(StatusViews.peerSpecs(ResourceVersions.NONE.next(null, state())));
    JsonNode peer = specs.get("peers").get(0);
    assertThat(peer.get("id").asText()).isEqualTo("KEY2");
    assertThat(peer.get("label").asText()).isEqualTo("node-2");
    assertThat(peer.get("address").asText()).isEqualTo("fd00::2");
    assertThat(peer.get("allowedIps").toString()).isEqualTo("[\"10.0.0.2/32\",\"fd00::2/128\"]");
    assertThat(peer.get("endpoints").get(1).get("source").asText()).isEqualTo("public-ip");
    assertThat(peer.get("affiliateId").asText()).isEqualTo("aff-2");
    assertThat(specs.get("warnings").get(0).get("message").asText()).isEqualTo("overlap");
  }

  @Test
  void peerStatusesUseIsoInstantsWireStatesAndNullForWhatIsNotKnown() throws Exception {
    JsonNode statuses = json(StatusViews.peerStatuses(ResourceVersions.NONE.next(null, state())));
    assertThat(statuses.get("reconciledAt").asText()).isEqualTo("2026-11-26T02:10:41Z");
    JsonNode up = statuses.get("peers").get(0);
    assertThat(up.get("state").asText()).isEqualTo("up");
    assertThat(up.get("endpoint").asText()).isEqualTo("10.0.0.2:51820");
    assertThat(up.get("lastHandshake").asText()).isEqualTo("2026-11-26T02:10:41Z");
    assertThat(up.get("receiveBytes").asLong()).isEqualTo(100);
    assertThat(up.get("transmitBytes").asLong()).isEqualTo(200);
    JsonNode fresh = statuses.get("peers").get(1);
    assertThat(fresh.get("state").asText()).isEqualTo("unknown");
    assertThat(fresh.get("endpoint").isNull()).isTrue();
    assertThat(fresh.get("lastHandshake").isNull()).isTrue();
    assertThat(fresh.get("lastEndpointChange").isNull()).isTrue();
  }

  @Test
  void theViewsReadBackIntoTheirRecords() throws Exception {
    ResourceVersions s = ResourceVersions.NONE.next(null, state());
    var statuses = StatusViews.peerStatuses(s);
    assertThat(StatusJson.mapper().readValue(StatusJson.write(statuses), StatusViews.PeerStatuses.class)).isEqualTo(statuses);
    var endpoints = StatusViews.endpoints(s);
    assertThat(StatusJson.mapper().readValue(StatusJson.write(endpoints), StatusViews.Endpoints.class)).isEqualTo(endpoints);
    assertThat(json(endpoints).get("endpoints").get(0).get("affiliateId").asText()).isEqualTo("aff-2");
  }

  @Test
  void everyResourceCarriesItsVersionAsANumber() throws Exception {
    ResourceVersions v = ResourceVersions.NONE.next(null, state());
    AgentState changed = new AgentState(state().specs(), state().statuses(),
        List.of(new HarvestedEndpoint("KEY2", "aff-2", Endpoint.parse("10.0.0.2:51821"))), state().reconciledAt());
    ResourceVersions w = v.next(null, changed);
    assertThat(json(StatusViews.peerSpecs(w)).get("peers").get(0).get("version").asLong()).isEqualTo(1);
    assertThat(json(StatusViews.peerStatuses(w)).get("peers").get(0).get("version").asLong()).isEqualTo(1);
    assertThat(json(StatusViews.endpoints(w)).get("endpoints").get(0).get("version").asLong()).isEqualTo(2);
  }
}
