package io.spanlog.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.agent.status.StatusTimings;
import io.spanlog.infra.testing.TestPki;
import io.spanlog.net.IpText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigParserTest {
  private static final String SECRET = Base64.getEncoder().encodeToString("s3cr3t-s3cr3t-s3cr3t-s3cr3t-0123".getBytes());
  private static final String MINIMAL = "cluster:\n  id: my-cluster\n  secret: " + SECRET + "\n";

  @Test
  void aMinimalConfigGetsTheSpecDefaults() {
    NodeConfig c = NodeConfigParser.parse(MINIMAL);
    assertThat(c.clusterId()).isEqualTo("my-cluster");
    assertThat(c.clusterSecret().revealBase64()).isEqualTo(SECRET);
    assertThat(c.discovery()).isEqualTo(new DiscoveryTarget("discovery.talos.dev", 443, true));
    assertThat(c.interfaceName()).isEqualTo("kubespan");
    assertThat(c.listenPort()).isEqualTo(51820);
    assertThat(c.announcedPort()).isEqualTo(51820);
    assertThat(c.mtu()).isEqualTo(1420);
    assertThat(c.timings()).isEqualTo(StatusTimings.DEFAULTS);
    assertThat(c.harvestExtraEndpoints()).isTrue();
    assertThat(c.backend()).isEqualTo(WireGuardBackendKind.USERSPACE);
    assertThat(c.stateFolder()).isEqualTo(Path.of("/var/lib/spanlog"));
    assertThat(c.endpointFilter().allows(IpText.parse("192.168.1.1"))).isTrue();
    assertThat(c.toString()).doesNotContain(SECRET);
  }

  @Test
  void readsEveryField() {
    NodeConfig c =
        NodeConfigParser.parse(
            MINIMAL
                + "discovery:\n  endpoint: http://10.0.0.1:3000\n"
                + "node:\n  hostname: a.example\n  nodename: a\n"
                + "kubespan:\n  interface: ks1\n  listenPort: 51821\n  announcedPort: 40000\n  mtu: 1380\n"
                + "  advertisedNetworks: [10.244.1.0/24]\n"
                + "  filters:\n    endpoints: ['0.0.0.0/0', '!192.168.0.0/16']\n"
                + "  harvestExtraEndpoints: false\n  backend: memory\n"
                + "  timings: {peerDownInterval: 20s, endpointConnectionTimeout: 3s, reconcileInterval: 500ms}\n"
                + "stateFolder: /tmp/n1\nstatusApi:\n  port: 0\n");
    assertThat(c.discovery()).isEqualTo(new DiscoveryTarget("10.0.0.1", 3000, false));
    assertThat(c.hostname()).contains("a.example");
    assertThat(c.nodename()).contains("a");
    assertThat(c.listenPort()).isEqualTo(51821);
    assertThat(c.announcedPort()).isEqualTo(40000);
    assertThat(c.advertisedNetworks()).extracting(Object::toString).containsExactly("10.244.1.0/24");
    assertThat(c.endpointFilter().allows(IpText.parse("192.168.1.1"))).isFalse();
    assertThat(c.endpointFilter().allows(IpText.parse("10.1.1.1"))).isTrue();
    assertThat(c.endpointFilter().allows(IpText.parse("2001:db8::1"))).isFalse();
    assertThat(c.harvestExtraEndpoints()).isFalse();
    assertThat(c.backend()).isEqualTo(WireGuardBackendKind.MEMORY);
    assertThat(c.timings())
        .isEqualTo(new StatusTimings(Duration.ofSeconds(20), Duration.ofSeconds(3), Duration.ofMillis(500)));
    assertThat(c.statusApiPort()).isZero();
  }

  @Test
  void errorsNameTheField() {
    assertField("cluster:\n  id: x\n", "cluster.secret");
    assertField("kubespan: {}\n", "cluster");
    assertField(MINIMAL + "kubespan:\n  listenPort: 70000\n", "kubespan.listenPort");
    assertField(MINIMAL + "kubespan:\n  listnPort: 1\n", "kubespan.listnPort");
    assertField(MINIMAL + "kubespan:\n  backend: docker\n", "kubespan.backend");
    assertField(MINIMAL + "kubespan:\n  filters:\n    endpoints: ['10.0.0.0/33']\n", "kubespan.filters.endpoints");
    assertField(MINIMAL + "kubespan:\n  interface: this-name-is-too-long\n", "kubespan.interface");
    assertField(MINIMAL + "discovery:\n  endpoint: grpc://x:1\n", "discovery.endpoint");
    assertField(MINIMAL + "kubespan:\n  timings: {endpointConnectionTimeout: 300s}\n", "kubespan.timings");
    assertField(MINIMAL + "kubespan:\n  timings: {reconcileInterval: soon}\n", "kubespan.timings.reconcileInterval");
  }

  @Test
  void anInterfaceNameThatIpOrWgWouldReadAsAnOptionIsRefused() {
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "kubespan:\n  interface: \"-json\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("kubespan.interface: interface name '-json' is not valid: it must not start with '-', which ip "
            + "and wg would read as an option");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "kubespan:\n  interface: \"ks\\e[2J\"\n"))
        .hasMessage("kubespan.interface: interface name 'ks\\x1b[2J' is not valid: 1 to 15 letters, digits, '_', '.', '-'");
    assertThat(NodeConfigParser.parse(MINIMAL + "kubespan:\n  interface: ks-1\n").interfaceName()).isEqualTo("ks-1");
  }

  @Test
  void timingsTakeTheFlagsDurationsAndStillBareSeconds() {
    NodeConfig c = NodeConfigParser.parse(MINIMAL + "kubespan:\n"
        + "  timings: {peerDownInterval: 1h30m, endpointConnectionTimeout: 15, reconcileInterval: 2 s}\n");
    assertThat(c.timings())
        .isEqualTo(new StatusTimings(Duration.ofMinutes(90), Duration.ofSeconds(15), Duration.ofSeconds(2)));
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "kubespan:\n  timings: {reconcileInterval: 1.5s}\n"))
        .hasMessage("kubespan.timings.reconcileInterval: must be a duration like 275s, 500ms, 1h30m or a whole number of seconds");
  }

  @Test
  void aBadSecretIsReportedWithoutQuotingIt() {
    String shortSecret = Base64.getEncoder().encodeToString("only-sixteen-byt".getBytes());
    assertThatThrownBy(() -> NodeConfigParser.parse("cluster:\n  id: x\n  secret: " + shortSecret + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.secret:")
        .hasMessageNotContaining(shortSecret);
  }

  @Test
  void aYamlSyntaxErrorGivesThePositionButNotTheLine() {
    assertThatThrownBy(() -> NodeConfigParser.parse("cluster:\n  id: x\n  secret: [" + SECRET + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aPrivateCaFileForAnHttpsEndpointIsKeptOnTheTarget(@TempDir Path dir) {
    TestPki pki = TestPki.create(dir);
    NodeConfig c = NodeConfigParser.parse(MINIMAL + "discovery:\n  endpoint: https://discovery.example:3000/\n"
        + "  caFile: " + pki.caCertificate() + "\n");
    assertThat(c.discovery()).isEqualTo(new DiscoveryTarget("discovery.example", 3000, true,
        Optional.of(pki.caCertificate())));
    assertThat(NodeConfigParser.parse(MINIMAL).discovery().caFile()).as("default trust store").isEmpty();
  }

  @Test
  void aCaFileThatIsMissingNotACertificateOrForPlaintextIsAnErrorOnTheField(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    String https = MINIMAL + "discovery:\n  endpoint: https://discovery.example/\n  caFile: ";
    assertThatThrownBy(() -> NodeConfigParser.parse(https + dir.resolve("nope.pem") + "\n"))
        .hasMessage("discovery.caFile: no such file: " + dir.resolve("nope.pem"));
    // the private key pasted instead of the CA: refused, and its text is never echoed
    String key = Files.readString(pki.serverKey());
    assertThatThrownBy(() -> NodeConfigParser.parse(https + pki.serverKey() + "\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("discovery.caFile"))
        .hasMessageContaining("holds no PEM certificate")
        .hasMessageNotContaining(key.lines().skip(1).findFirst().orElseThrow());
    Path broken = dir.resolve("broken.pem");
    Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    assertField(https + broken + "\n", "discovery.caFile");
    assertField(https + dir + "\n", "discovery.caFile");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "discovery:\n  endpoint: http://10.0.0.1:3000\n"
            + "  caFile: " + pki.caCertificate() + "\n"))
        .hasMessageStartingWith("discovery.caFile: applies to https:// endpoints only");
    assertField(MINIMAL + "discovery:\n  cafile: x\n", "discovery.cafile");
  }

  @Test
  void telemetryIsAutoByDefaultAndTakesOnOffAuto() {
    assertThat(NodeConfigParser.parse(MINIMAL).telemetry()).isEqualTo(TelemetryMode.AUTO);
    String own = MINIMAL + "discovery:\n  endpoint: http://10.0.0.1:3000\n";
    // a bare on/off is a YAML 1.1 boolean: read as the mode it spells
    assertThat(NodeConfigParser.parse(own + "telemetry: on\n").telemetry()).isEqualTo(TelemetryMode.ON);
    assertThat(NodeConfigParser.parse(own + "telemetry: off\n").telemetry()).isEqualTo(TelemetryMode.OFF);
    assertThat(NodeConfigParser.parse(own + "telemetry: \"on\"\n").telemetry()).isEqualTo(TelemetryMode.ON);
    assertThat(NodeConfigParser.parse(own + "telemetry: Auto\n").telemetry()).isEqualTo(TelemetryMode.AUTO);
    assertField(own + "telemetry: sometimes\n", "telemetry");
    assertField(own + "telemetry: 1\n", "telemetry");
  }

  @Test
  void telemetryOnIsRefusedWithThePublicDiscoveryService() {
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "telemetry: on\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("telemetry"))
        .hasMessage("telemetry: on cannot be used with the public discovery service (discovery.talos.dev): it does "
            + "not serve Spanlog's telemetry, and a cluster's topology must not go to a third party; use auto or off, "
            + "or set discovery.endpoint to a Spanlog discovery service");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "discovery:\n  endpoint: https://Discovery.Talos.Dev.:443/\n"
        + "telemetry: on\n")).hasMessageStartingWith("telemetry: on cannot be used with the public discovery service");
    // auto and off are fine there: auto never sends to it
    assertThat(NodeConfigParser.parse(MINIMAL + "telemetry: auto\n").discovery().isPublicService()).isTrue();
    assertThat(NodeConfigParser.parse(MINIMAL + "telemetry: off\n").telemetry()).isEqualTo(TelemetryMode.OFF);
  }

  @Test
  void severalDiscoveryEndpointsAreKeptInOrderAndTheSingleFormStaysValid(@TempDir Path dir) {
    NodeConfig c = NodeConfigParser.parse(MINIMAL
        + "discovery:\n  endpoints: [http://10.0.0.1:3000/, http://10.0.0.2:3000, https://d.example/]\n");
    assertThat(c.discovery()).isEqualTo(new DiscoveryTarget("10.0.0.1", 3000, false));
    assertThat(c.discoveryEndpoints()).containsExactly(new DiscoveryTarget("10.0.0.1", 3000, false),
        new DiscoveryTarget("10.0.0.2", 3000, false), new DiscoveryTarget("d.example", 443, true));
    NodeConfig one = NodeConfigParser.parse(MINIMAL + "discovery:\n  endpoint: http://10.0.0.1:3000\n");
    assertThat(one.discoveryEndpoints()).containsExactly(new DiscoveryTarget("10.0.0.1", 3000, false));
    assertThat(one.discoveryAlternates()).isEmpty();
    assertThat(NodeConfigParser.parse(MINIMAL).discoveryEndpoints())
        .containsExactly(DiscoveryTarget.parse(DiscoveryTarget.TALOS_DEFAULT));

    TestPki pki = TestPki.create(dir);
    NodeConfig tls = NodeConfigParser.parse(MINIMAL + "discovery:\n  endpoints: [https://a.example/, https://b.example/]\n"
        + "  caFile: " + pki.caCertificate() + "\n");
    assertThat(tls.discoveryEndpoints()).allSatisfy(t -> assertThat(t.caFile()).contains(pki.caCertificate()));

    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL
            + "discovery:\n  endpoint: http://10.0.0.1:3000\n  endpoints: [http://10.0.0.2:3000]\n"))
        .hasMessage("discovery.endpoints: give endpoint or endpoints, not both");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "discovery:\n  endpoints: []\n"))
        .hasMessage("discovery.endpoints: must list at least one URL");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL
            + "discovery:\n  endpoints: [http://10.0.0.1:3000, 'ftp://x']\n"))
        .hasMessageStartingWith("discovery.endpoints[1]: 'ftp://x' must start with https://");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL
            + "discovery:\n  endpoints: [http://10.0.0.1:3000, 'http://10.0.0.1:3000/']\n"))
        .hasMessage("discovery.endpoints[1]: http://10.0.0.1:3000/ is listed twice");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL + "discovery:\n  endpoints: [https://a.example/, "
            + "http://10.0.0.2:3000]\n  caFile: " + pki.caCertificate() + "\n"))
        .hasMessage("discovery.caFile: applies to https:// endpoints only, not http://10.0.0.2:3000/");
    assertField(MINIMAL + "discovery:\n  endpoints: http://10.0.0.1:3000\n", "discovery.endpoints");
    assertThatThrownBy(() -> NodeConfigParser.parse(MINIMAL
            + "discovery:\n  endpoints: [http://10.0.0.1:3000, https://discovery.talos.dev/]\ntelemetry: on\n"))
        .as("telemetry: on with the public service among several").hasMessageStartingWith("telemetry: on cannot be used");
  }

  private static void assertField(String yaml, String field) {
    assertThatThrownBy(() -> NodeConfigParser.parse(yaml))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith(field + ":");
  }
}
