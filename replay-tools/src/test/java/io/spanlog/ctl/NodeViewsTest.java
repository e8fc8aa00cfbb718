package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shapes of node-agent/docs/status-api.md, read as a client reads them. */
class NodeViewsTest {

  @Test
  void readsTheIdentityWithoutNeedingTheConnectionDetails() throws Exception {
    NodeViews.Identity id = NodeViews.identity("""
        {"nodeId":"4bQk","publicKey":"mB0=","address":"fd7f::1/128","subnet":"fd7f::/64",
         "hostname":"node-1","nodename":"node-1","clusterId":"c","interfaceName":"kubespan","listenPort":51820,
         "discovery":{"target":"http://10.60.0.1:3000/","state":"watching","since":null,"detail":"","publicIp":null},
         "telemetry":{"on":true,"detail":""},"version":2}""");
    assertThat(id).isEqualTo(new NodeViews.Identity("4bQk", "node-1", "mB0=", "fd7f::1/128", "fd7f::/64", 2));
  }

  @Test
  void readsPeerSpecsWithTheirEndpointCandidatesInOrder() throws Exception {
    List<NodeViews.PeerSpec> specs = NodeViews.specs("""
        {"peers":[{"id":"Xy1=","label":"node-2","address":"fd7f::2","allowedIps":["fd7f::2/128"],
          "endpoints":[{"endpoint":"10.60.1.2:51820","source":"advertised"},{"endpoint":"10.60.2.2:51820","source":"public-ip"}],
          "affiliateId":"9hT","version":5}],"warnings":[]}""");
    assertThat(specs).containsExactly(
        new NodeViews.PeerSpec("Xy1=", "node-2", "fd7f::2", List.of("10.60.1.2:51820", "10.60.2.2:51820"), 5));
  }

  @Test
  void readsPeerStatusesWithANullEndpointAsAbsent() throws Exception {
    List<NodeViews.PeerStatus> statuses = NodeViews.statuses("""
        {"reconciledAt":null,"peers":[
          {"id":"a=","label":"node-2","endpoint":"10.60.1.2:51820","state":"up","receiveBytes":18400,"transmitBytes":17920,"version":9},
          {"id":"b=","label":"node-3","endpoint":null,"state":"unknown","receiveBytes":0,"transmitBytes":0}]}""");
    assertThat(statuses).containsExactly(
        new NodeViews.PeerStatus("a=", "node-2", Optional.of("10.60.1.2:51820"), "up", 18400, 17920, 9),
        new NodeViews.PeerStatus("b=", "node-3", Optional.empty(), "unknown", 0, 0, 0));
  }
}
