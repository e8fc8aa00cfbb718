package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendering one view of several agents; the agents here are canned status API answers. */
class ViewQueryTest {
  private static final String IDENTITY_1 = """
      {"nodeId":"n1","publicKey":"k1=","address":"fd7f::1/128","subnet":"fd7f::/64","hostname":"host-1","nodename":"node-1"}""";
  private static final String IDENTITY_NO_NAMES = """
      {"nodeId":"n2","publicKey":"k2=","address":"fd7f::2/128","subnet":"fd7f::/64","hostname":null,"nodename":""}""";
  private static final String STATUSES_1 = """
      {"reconciledAt":null,"peers":[
        {"id":"k3=","label":"node-3","endpoint":null,"state":"down","receiveBytes":0,"transmitBytes":92,"version":4},
        {"id":"k2=","label":"node-2","endpoint":"10.0.0.2:51820","state":"up","receiveBytes":1200,"transmitBytes":1100,"version":17}]}""";

  private static ViewQuery.Agent canned(String address, Map<String, String> bodies) {
    return new ViewQuery.Agent(AgentAddress.parse(address), path -> {
      String body = bodies.get(path);
      if (body == null) {
        throw new IOException("connection refused");
      }
      return body;
    });
  }

  @Test
  void peerStatusesOfSeveralAgentsAreOneTableLabelledByNodename() {
    ViewQuery.Result result = ViewQuery.run(Resource.PEERSTATUSES, List.of(
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1, "/v1/peerstatuses", STATUSES_1)),
        canned("127.0.0.1:51892", Map.of("/v1/identity", IDENTITY_NO_NAMES, "/v1/peerstatuses", """
            {"peers":[{"id":"k1=","label":"node-1","endpoint":"10.0.0.1:51820","state":"up","receiveBytes":5,"transmitBytes":6}]}"""))),
        ViewQuery.Output.TABLE);
    assertThat(result.failures()).isEmpty();
    assertThat(result.output()).isEqualTo("""
        NODE              ID    VERSION   LABEL    ENDPOINT         STATE   RX     TX
        node-1            k2=   17        node-2   10.0.0.2:51820   up      1200   1100
        node-1            k3=   4         node-3   -                down    0      92
        127.0.0.1:51892   k1=   -         node-1   10.0.0.1:51820   up      5      6
        """);
  }

  @Test
  void anAgentThatFailsIsOneSentenceAndTheOthersRowsRemain() {
    ViewQuery.Result result = ViewQuery.run(Resource.PEERSTATUSES, List.of(
        canned("10.0.0.9:51890", Map.of()),
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1, "/v1/peerstatuses", STATUSES_1))),
        ViewQuery.Output.TABLE);
    assertThat(result.failures()).containsExactly("agent 10.0.0.9:51890 did not answer: connection refused");
    assertThat(result.output().lines().skip(1)).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("node-1 "));
  }

  @Test
  void whenNoAgentAnswersThereIsNoEmptyTableOnlyTheSentences() {
    ViewQuery.Result result = ViewQuery.run(Resource.IDENTITIES, List.of(canned("10.0.0.9:51890", Map.of())), ViewQuery.Output.TABLE);
    assertThat(result.output()).isEmpty();
    assertThat(result.failures()).hasSize(1);
  }

  @Test
  void endpointsAreATableOfTheirOwn() {
    ViewQuery.Result result = ViewQuery.run(Resource.ENDPOINTS, List.of(
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1, "/v1/endpoints", """
            {"endpoints":[{"id":"k2=","affiliateId":"a2","endpoint":"10.0.0.2:51820","version":2}]}"""))),
        ViewQuery.Output.TABLE);
    assertThat(result.output()).isEqualTo("""
        NODE     ID    VERSION   AFFILIATE ID   ENDPOINT
        node-1   k2=   2         a2             10.0.0.2:51820
        """);
  }

  @Test
  void jsonKeepsTheRawViewPerAgent() {
    ViewQuery.Result result = ViewQuery.run(Resource.IDENTITIES, List.of(
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1))), ViewQuery.Output.JSON);
    assertThat(result.output()).contains("\"agent\" : \"127.0.0.1:51891\"").contains("\"node\" : \"node-1\"")
        .contains("\"publicKey\" : \"k1=\"");
  }

  @Test
  void anAnswerThatIsNotTheViewIsAFailureNotACrash() {
    ViewQuery.Result result = ViewQuery.run(Resource.PEERSTATUSES, List.of(
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1, "/v1/peerstatuses", "<html>"))), ViewQuery.Output.TABLE);
    assertThat(result.failures()).hasSize(1).first().asString().contains("/v1/peerstatuses");
  }

  @Test
  void identitiesAreOneRowPerNodeWithIdLocalAndTheirVersion() {
    ViewQuery.Result result = ViewQuery.run(Resource.IDENTITIES, List.of(
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1.replace("}", ",\"version\":3}")))),
        ViewQuery.Output.TABLE);
    assertThat(result.output()).isEqualTo("""
        NODE     ID      VERSION   ADDRESS       SUBNET      PUBLIC KEY
        node-1   local   3         fd7f::1/128   fd7f::/64   k1=
        """);
  }

  @Test
  void yamlIsOneDocumentPerResourceAsTalosctlPrintsIt() throws Exception {
    ViewQuery.Result result = ViewQuery.run(Resource.PEERSTATUSES, List.of(
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1, "/v1/peerstatuses", STATUSES_1))),
        ViewQuery.Output.YAML);
    assertThat(result.failures()).isEmpty();
    assertThat(result.output()).startsWith("""
        node: node-1
        metadata:
            namespace: kubespan
            type: KubeSpanPeerStatuses.kubespan.talos.dev
            id: k3=
            version: 4
        spec:
            label: node-3
            endpoint: null
            state: down
        """);
    List<Object> docs = new java.util.ArrayList<>();
    new org.yaml.snakeyaml.Yaml().loadAll(result.output()).forEach(docs::add);
    assertThat(docs).hasSize(2);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> second = (Map<String, Map<String, Object>>) docs.get(1);
    assertThat(second.get("metadata")).containsEntry("id", "k2=").containsEntry("version", 17);
    assertThat(second.get("spec")).containsEntry("receiveBytes", 1200).doesNotContainKey("id");
  }

  @Test
  void yamlOfTheIdentityHasIdLocal() {
    ViewQuery.Result result = ViewQuery.run(Resource.IDENTITIES, List.of(
        canned("127.0.0.1:51891", Map.of("/v1/identity", IDENTITY_1.replace("}", ",\"version\":1}")))),
        ViewQuery.Output.YAML);
    assertThat(result.output()).contains("type: KubeSpanIdentities.kubespan.talos.dev\n    id: local\n    version: 1\n")
        .contains("    publicKey: k1=\n");
  }
}
