package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The observer's answers as an operator reads them: tables, JSON, YAML, and the errors. */
class ObserverQueryTest {
  private static final String LINKS = """
      {"cluster":"prod/eu-1","links":[
        {"nodeName":"node-a","nodeId":"a1","nodePublicKey":"KA=","peerName":"node-b",
         "peerPublicKey":"KB=","state":"up","since":"2026-11-25T10:00:30Z","sinceSeen":true,
         "lastSampleAt":"2026-11-25T10:30:00Z","endpoint":"198.51.100.2:51820",
         "endpointSource":"public-ip","rule":"handshake 12.0 s ago","rxBytesPerSecond":1534.5,
         "txBytesPerSecond":12.0,"rateWindowStart":"2026-11-25T10:26:00Z","flaps":2,
         "flappingSince":null,"asymmetricSince":"2026-11-25T10:10:00Z"},
        {"nodeName":"node-b","nodeId":"b1","nodePublicKey":"KB=","peerName":"node-a",
         "peerPublicKey":"KA=","state":"down","since":"2026-11-25T10:00:00Z","sinceSeen":false,
         "lastSampleAt":"2026-11-25T10:30:00Z","endpoint":null,"endpointSource":"unknown",
         "rule":"no handshake","rxBytesPerSecond":null,"txBytesPerSecond":null,
         "rateWindowStart":null,"flaps":5,"flappingSince":"2026-11-25T10:20:00Z",
         "asymmetricSince":null}]}
      """;

  private static final String MATRIX = """
      {"cluster":"prod/eu-1","nodes":[{"name":"node-a","publicKey":"KA="},
        {"name":"node-b","publicKey":"KB="},{"name":"node-c","publicKey":"KC="}],
       "cells":[
        {"fromPublicKey":"KA=","toPublicKey":"KB=","state":"up","since":"2026-11-25T10:00:30Z",
         "asymmetricSince":"2026-11-25T10:10:00Z"},
        {"fromPublicKey":"KB=","toPublicKey":"KA=","state":"down","since":"2026-11-25T10:00:00Z",
         "asymmetricSince":null},
        {"fromPublicKey":"KA=","toPublicKey":"KC=","state":"up","since":"2026-11-25T10:00:00Z",
         "asymmetricSince":null}]}
      """;

  @Test
  void linksAreOneRowEachWithStateSinceEndpointRatesAndFlaps() {
    ObserverQuery.Result r = ObserverQuery.run(ObserverResource.LINKS, "prod/eu-1",
        (what, cluster) -> LINKS, "table");

    assertThat(r.failures()).isEmpty();
    assertThat(r.output()).isEqualTo(
        "NODE     PEER     STATE          SINCE                    ENDPOINT (SOURCE)                RX/S   TX/S   FLAPS\n"
            + "node-a   node-b   up (one-way)   2026-11-25T10:00:30Z     198.51.100.2:51820 (public-ip)   1.5k   12     2\n"
            + "node-b   node-a   down           <=2026-11-25T10:00:00Z   -                                -      -      5 (flapping)\n");
  }

  @Test
  void theMatrixIsAGridOfHowEachNodeSeesEachPeer() {
    ObserverQuery.Result r = ObserverQuery.run(ObserverResource.MATRIX, "prod/eu-1",
        (what, cluster) -> MATRIX, "table");

    assertThat(r.output()).isEqualTo(
        "NODE \\ PEER   node-a   node-b   node-c\n"
            + "node-a        -        up*      up\n"
            + "node-b        down     -        -\n"
            + "node-c        -        -        -\n"
            + "* up this way, not seen up the other way (asymmetric)\n");
  }

  private static final String DRIFT = """
      {"cluster":"prod/eu-1","secretRegistered":true,"note":null,"grace":"PT1M","drifting":1,
       "nodes":[
        {"nodeName":"node-a","nodeId":"a1","nodePublicKey":"KA=",
         "driftingSince":"2026-11-25T10:01:00Z","lastSampledAt":"2026-11-25T10:03:00Z",
         "discrepancies":[{"kind":"missing-peer","peerPublicKey":"KC=","peerLabel":"node-c",
           "endpoint":null,"since":"2026-11-25T10:01:00Z"}],
         "pending":[{"kind":"endpoint-not-a-candidate","peerPublicKey":"KB=","peerLabel":"node-b",
           "endpoint":"203.0.113.9:40000","since":"2026-11-25T10:02:30Z"}]},
        {"nodeName":"node-b","nodeId":"b1","nodePublicKey":"KB=","driftingSince":null,
         "lastSampledAt":"2026-11-25T10:03:00Z","discrepancies":[],"pending":[]}]}
      """;

  @Test
  void driftIsOneRowPerDiscrepancyAndOkForANodeThatMatchesItsSpecs() {
    ObserverQuery.Result r = ObserverQuery.run(ObserverResource.DRIFT, "prod/eu-1",
        (what, cluster) -> DRIFT, "table");

    assertThat(r.failures()).isEmpty();
    assertThat(r.output()).isEqualTo(
        "NODE     DRIFT         SINCE                  PEER     DISCREPANCY                ENDPOINT\n"
            + "node-a   drifting      2026-11-25T10:01:00Z   node-c   missing-peer               -\n"
            + "node-a   propagating   2026-11-25T10:02:30Z   node-b   endpoint-not-a-candidate   203.0.113.9:40000\n"
            + "node-b   ok            -                      -        -                          -\n");
  }

  @Test
  void driftWithoutTheClustersSecretSaysItIsNeeded() {
    ObserverQuery.Result r = ObserverQuery.run(ObserverResource.DRIFT, "c9", (w, c) ->
        "{\"cluster\":\"c9\",\"secretRegistered\":false,\"note\":\"peer-spec drift needs the"
            + " cluster's secret\",\"grace\":\"PT1M\",\"drifting\":0,\"nodes\":[]}", "table");

    assertThat(r.output()).isEmpty();
    assertThat(r.failures()).containsExactly("cluster 'c9': peer-spec drift needs the cluster's secret");
  }

  @Test
  void jsonAndYamlGiveTheAnswerAsItIs() {
    String json = ObserverQuery.run(ObserverResource.LINKS, "c", (w, c) -> LINKS, "json").output();
    String yaml = ObserverQuery.run(ObserverResource.LINKS, "c", (w, c) -> LINKS, "yaml").output();

    assertThat(json).contains("\"peerName\" : \"node-b\"");
    assertThat(yaml).contains("cluster: prod/eu-1").contains("  peerName: node-b")
        .contains("rxBytesPerSecond: 1534.5");
  }

  @Test
  void aClusterWithoutLinksOrAnErrorIsASentenceOnStderr() {
    ObserverQuery.Result empty = ObserverQuery.run(ObserverResource.LINKS, "c9",
        (w, c) -> "{\"cluster\":\"c9\",\"links\":[]}", "table");
    ObserverQuery.Result refused = ObserverQuery.run(ObserverResource.DRIFT, "c9", (w, c) -> {
      throw new IOException("the observer at 127.0.0.1:7171 answered 503: the cluster moved");
    }, "table");

    assertThat(empty.output()).isEmpty();
    assertThat(empty.failures()).containsExactly("the observer knows no link of cluster 'c9' yet:"
        + " no telemetry from it has been observed (are its agents sending telemetry?)");
    assertThat(refused.failures()).singleElement().asString().contains("answered 503");
  }

  @Test
  void ratesAreShort() {
    var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    assertThat(ObserverTables.rate(f.numberNode(0.0))).isEqualTo("0");
    assertThat(ObserverTables.rate(f.numberNode(999.4))).isEqualTo("999");
    assertThat(ObserverTables.rate(f.numberNode(12_345.0))).isEqualTo("12k");
    assertThat(ObserverTables.rate(f.numberNode(2_340_000.0))).isEqualTo("2.3M");
    assertThat(ObserverTables.rate(f.nullNode())).isEqualTo("-");
  }
}
