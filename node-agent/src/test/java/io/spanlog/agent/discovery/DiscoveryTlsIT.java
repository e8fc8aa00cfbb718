package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.agent.config.TelemetryMode;
import io.spanlog.agent.telemetry.TelemetryReporter;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.infra.testing.TestPki;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A self-hosted discovery service with a private CA, serving TLS itself: agents configured with
 * {@code discovery.caFile} use it (discovery and telemetry); agents without it, or with another
 * CA, fail with a sentence saying the certificate is not trusted.
 */
class DiscoveryTlsIT {
  private static final String NODE_KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
  private static Path folder;
  private static TestPki pki;
  private static RealDiscovery server;
  private final String secretBase64 = Base64.getEncoder().encodeToString(
      UUID.randomUUID().toString().substring(0, 32).getBytes());
  private final String cluster = "cluster-" + UUID.randomUUID();
  private ClientPool pool;

  @BeforeAll
  static void startServer() throws Exception {
    folder = Files.createTempDirectory("spanlog-agent-tls-it");
    pki = TestPki.create(folder.resolve("pki"));
    server = RealDiscovery.startTls(pki);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
    if (folder != null) {
      TempDirs.deleteRecursively(folder);
    }
  }

  @BeforeEach
  void start() {
    pool = new ClientPool();
  }

  @AfterEach
  void stop() throws Exception {
    pool.close();
  }

  /** The node config a user writes, read by the real parser. */
  private NodeConfig config(String discoveryLines) {
    return NodeConfigParser.parse("cluster:\n  id: " + cluster + "\n  secret: " + secretBase64 + "\n"
        + "discovery:\n" + discoveryLines);
  }

  private DiscoveryClient client(String id, DiscoveryTarget target) {
    return pool.start(target, cluster, id, ClusterSecret.fromBase64(secretBase64));
  }

  @Test
  void agentsWithTheCaFileDiscoverEachOtherAndReportTelemetryOverTls() throws Exception {
    NodeConfig c = config("  endpoint: " + server.url() + "\n  caFile: " + pki.caCertificate() + "\n");
    assertThat(c.discovery().tls()).isTrue();
    DiscoveryClient a = client("a", c.discovery());
    DiscoveryClient b = client("b", c.discovery());
    await("both watching over TLS", () -> a.reachability().reachable() && b.reachability().reachable());
    assertThat(a.outage()).as("a first connection that worked was never an outage").isFalse();
    assertThat(a.publicIp().map(IpText::format)).contains("127.0.0.1");
    a.publish(ClientPool.local("a", "10.0.0.1", a));
    b.publish(ClientPool.local("b", "10.0.0.2", b));
    await("each sees the other", () -> a.view().get("b").isPresent() && b.view().get("a").isPresent());
    assertThat(a.view().get("b").orElseThrow().endpoints()).containsExactly(Endpoint.parse("10.0.0.2:51820"));

    var reporter = new TelemetryReporter(pool.vertx(), TelemetryReporter.Settings.ofNode(c));
    assertThat(reporter.report(new HandshakeSampleBatch("a", NODE_KEY, true, List.of()))
        .await(10, TimeUnit.SECONDS)).as("offset of the report on the telemetry topic").isPresent();
    reporter.close();
  }

  @Test
  void withoutTheCaFileTheClientSaysTheCertificateIsNotTrusted() throws Exception {
    DiscoveryTarget target = config("  endpoint: " + server.url() + "\n").discovery();
    assertThat(target.caFile()).isEmpty();
    DiscoveryClient client = client("untrusting", target);
    await("a failure", () -> client.reachability().state() == Reachability.State.FAILING);
    assertThat(client.reachability().detail())
        .contains("is not trusted")
        .contains("set discovery.caFile");
    assertThat(client.reachability().reachable()).isFalse();
    assertThat(client.outage()).isTrue();
    await("the retry", () -> client.reachability().state() == Reachability.State.CONNECTING);
    assertThat(client.outage()).as("reconnecting after a failure is still an outage").isTrue();

    var reporter = new TelemetryReporter(pool.vertx(), new TelemetryReporter.Settings(target, cluster,
        ClusterSecret.fromBase64(secretBase64), TelemetryMode.AUTO, TelemetryReporter.Settings.DEFAULT_BACKLOG));
    assertThat(reporter.report(new HandshakeSampleBatch("u", NODE_KEY, true, List.of()))
        .await(15, TimeUnit.SECONDS)).as("no report through an untrusted connection").isEmpty();
    reporter.close();
  }

  @Test
  void aCaFileOfAnotherCaIsNamedInTheError() throws Exception {
    TestPki other = TestPki.create(folder.resolve("other"));
    DiscoveryTarget target = config("  endpoint: " + server.url() + "\n  caFile: " + other.caCertificate() + "\n")
        .discovery();
    DiscoveryClient client = client("wrong-ca", target);
    await("a failure", () -> client.reachability().state() == Reachability.State.FAILING);
    assertThat(client.reachability().detail())
        .contains("is not trusted")
        .contains("not signed by the CA in " + other.caCertificate());
  }

  @Test
  void aCertificateForAnotherNameIsRefusedEvenFromTheTrustedCa() throws Exception {
    TestPki elsewhere = TestPki.create(folder.resolve("elsewhere"), TestPki.KeyFormat.PKCS8_EC, "discovery.example");
    try (RealDiscovery misnamed = RealDiscovery.startTls(elsewhere)) {
      DiscoveryTarget target = config("  endpoint: " + misnamed.url() + "\n  caFile: " + elsewhere.caCertificate()
          + "\n").discovery();
      DiscoveryClient client = client("misnamed", target);
      await("a failure", () -> client.reachability().state() == Reachability.State.FAILING);
      assertThat(client.reachability().detail())
          .contains("the certificate of 127.0.0.1:" + misnamed.port() + " is not valid for it")
          .contains("127.0.0.1");
    }
  }

  /**
   * A name the client resolves itself (one of several addresses) is still what TLS checks: the
   * certificate names localhost, so localhost passes and another name for the same address fails.
   */
  @Test
  void aNameResolvedByTheClientIsStillCheckedAgainstTheCertificate() throws Exception {
    DiscoveryRotation.Resolver dns = host -> List.of(IpText.parse("127.0.0.1"));
    String ca = "\n  caFile: " + pki.caCertificate() + "\n";
    DiscoveryTarget named = config("  endpoint: https://localhost:" + server.port() + "/" + ca).discovery();
    DiscoveryClient good = pool.start(named, cluster, "named", ClusterSecret.fromBase64(secretBase64), dns);
    await("watching localhost at 127.0.0.1", () -> good.reachability().reachable());
    assertThat(good.inUse().address()).contains(IpText.parse("127.0.0.1"));

    DiscoveryTarget other = config("  endpoint: https://discovery.test:" + server.port() + "/" + ca).discovery();
    DiscoveryClient bad = pool.start(other, cluster, "other-name", ClusterSecret.fromBase64(secretBase64), dns);
    await("a failure", () -> bad.reachability().state() == Reachability.State.FAILING);
    assertThat(bad.reachability().detail()).contains("is not valid for it");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
