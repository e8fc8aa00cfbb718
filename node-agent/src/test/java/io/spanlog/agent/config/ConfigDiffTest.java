package io.spanlog.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.config.ConfigDiff.Part;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
  private static final String BASE = """
      cluster: { id: c1, secret: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= }
      discovery: { endpoint: "http://127.0.0.1:3000/" }
      kubespan: { interface: ks1, mtu: 1420 }
      stateFolder: /tmp/x
      """;

  private static NodeConfig parse(String yaml) {
    return NodeConfigParser.parse(yaml);
  }

  @Test
  void anIdenticalConfigChangesNothing() {
    assertThat(ConfigDiff.between(parse(BASE), parse(BASE))).isEmpty();
  }

  @Test
  void eachChangeRestartsOnlyItsPart() {
    NodeConfig old = parse(BASE);
    assertThat(ConfigDiff.between(old, parse(BASE.replace("mtu: 1420", "mtu: 1380"))))
        .containsExactlyInAnyOrder(Part.LINK, Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE.replace("3000", "3001"))))
        .containsExactlyInAnyOrder(Part.DISCOVERY, Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE.replace("endpoint: \"http://127.0.0.1:3000/\"",
            "endpoints: [\"http://127.0.0.1:3000/\", \"http://127.0.0.2:3000/\"]"))))
        .as("a second endpoint").containsExactlyInAnyOrder(Part.DISCOVERY, Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE.replace("interface: ks1", "interface: ks2"))))
        .containsExactlyInAnyOrder(Part.DEVICE, Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE.replace("id: c1", "id: c2"))))
        .containsExactlyInAnyOrder(Part.IDENTITY, Part.DISCOVERY, Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE.replace("mtu: 1420", "mtu: 1420, listenPort: 51821"))))
        .containsExactly(Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE + "statusApi: { port: 51999 }\n")))
        .containsExactlyInAnyOrder(Part.STATUS_API, Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE.replace("mtu: 1420", "mtu: 1420, timings: { reconcileInterval: 5s }"))))
        .containsExactlyInAnyOrder(Part.TIMINGS, Part.NEXT_PASS);
    assertThat(ConfigDiff.between(old, parse(BASE + "telemetry: off\n")))
        .containsExactlyInAnyOrder(Part.TELEMETRY, Part.NEXT_PASS);
  }
}
