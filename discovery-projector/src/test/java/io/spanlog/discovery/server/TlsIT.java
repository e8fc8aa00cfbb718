package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.infra.testing.TempDirs;
import io.spanlog.infra.testing.TestPki;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service serving TLS itself ({@code --certificate-path}/{@code --key-path}), as a
 * self-hosting user runs it with a private CA: real gRPC clients over real TLS sockets.
 */
class TlsIT {
  static Path folder;
  static TestPki pki;
  static DiscoveryServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    folder = Files.createTempDirectory("spanlog-tls-it");
    pki = TestPki.create(folder.resolve("pkcs8-ec"));
    server = DiscoveryServer.start(tlsConfig(TestServers.newLog(), pki));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
    if (folder != null) {
      TempDirs.deleteRecursively(folder);
    }
  }

  static DiscoveryConfig tlsConfig(String log, TestPki certs) {
    return TestServers.config(log, "tls")
        .withTls(Optional.of(certs.serverCertificate()), Optional.of(certs.serverKey()), true);
  }

  static HttpClientOptions tls(Path ca) {
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setSsl(true).setUseAlpn(true).setVerifyHost(true);
    return ca == null ? options : options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
  }

  static ApiClient client(HttpClientOptions options, String host, int port) {
    return new ApiClient(vertx, options, SocketAddress.inetSocketAddress(port, host));
  }

  @Test
  void helloUpdateAndListWorkOverTlsTrustingThePrivateCa() {
    for (String host : new String[] {"127.0.0.1", "localhost"}) {
      try (ApiClient client = client(tls(pki.caCertificate()), host, server.port())) {
        String cluster = "tls-" + host;
        var hello = client.hello(cluster, "v1.13.2", Map.of()).ok();
        assertThat(hello.getClientIp().size()).as("client IP reported over TLS").isIn(4, 16);
        client.update(cluster, "node-a", "sealed-a", Duration.ofMinutes(5)).ok();
        var list = client.list(cluster).ok();
        assertThat(list.getAffiliatesList()).singleElement().satisfies(a -> {
          assertThat(a.getId()).isEqualTo("node-a");
          assertThat(a.getData().toStringUtf8()).isEqualTo("sealed-a");
        });
      }
    }
  }

  @Test
  void aClientWithoutTheCaIsRefusedWithACertificateError() {
    try (ApiClient client = client(tls(null), "127.0.0.1", server.port())) {
      assertThat(failureOf(() -> client.hello("tls-untrusted", "v1", Map.of())))
          .contains("SSLHandshakeException").containsIgnoringCase("certification path");
    }
  }

  @Test
  void aPlaintextClientOnTheTlsPortFailsPromptlyInsteadOfHanging() {
    HttpClientOptions h2c = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setConnectTimeout(5_000);
    long t0 = System.nanoTime();
    try (ApiClient client = client(h2c, "127.0.0.1", server.port())) {
      assertThat(failureOf(() -> client.hello("tls-plain", "v1", Map.of()))).isNotEmpty();
    }
    // the call's own deadline is 20 s: failing well before it means the server closed on us
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  /** Private keys in every PEM shape users bring: PKCS#8, and the traditional EC and RSA ones. */
  @ParameterizedTest
  @EnumSource(value = TestPki.KeyFormat.class, names = {"SEC1_EC", "PKCS8_RSA", "PKCS1_RSA"})
  void servesWithEveryCommonKeyFormat(TestPki.KeyFormat format) throws Exception {
    TestPki certs = TestPki.create(folder.resolve(format.name().toLowerCase()), format);
    assertThat(Files.readString(certs.serverKey())).startsWith(switch (format) {
      case SEC1_EC -> "-----BEGIN EC PRIVATE KEY-----";
      case PKCS1_RSA -> "-----BEGIN RSA PRIVATE KEY-----";
      default -> "-----BEGIN PRIVATE KEY-----";
    });
    try (DiscoveryServer other = DiscoveryServer.start(tlsConfig(TestServers.newLog(), certs));
         ApiClient client = client(tls(certs.caCertificate()), "localhost", other.port())) {
      client.hello("tls-" + format, "v1", Map.of()).ok();
      client.update("tls-" + format, "n1", "d1", Duration.ofMinutes(1)).ok();
      assertThat(client.list("tls-" + format).ok().getAffiliatesCount()).isEqualTo(1);
    }
  }

  /** A renewed certificate replaced in place is served without a restart (certbot, cert-manager). */
  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    TestPki before = TestPki.create(folder.resolve("renew-before"));
    TestPki after = TestPki.create(folder.resolve("renew-after"));
    Path served = Files.createDirectories(folder.resolve("renew-served"));
    TestPki inPlace = new TestPki(before.caCertificate(), served.resolve("server.pem"), served.resolve("server.key"));
    Files.copy(before.serverCertificate(), inPlace.serverCertificate());
    Files.copy(before.serverKey(), inPlace.serverKey());
    try (DiscoveryServer renewing = DiscoveryServer.start(tlsConfig(TestServers.newLog(), inPlace))) {
      try (ApiClient client = client(tls(before.caCertificate()), "127.0.0.1", renewing.port())) {
        client.hello("tls-renew", "v1", Map.of()).ok();
      }

      Files.copy(after.serverCertificate(), inPlace.serverCertificate(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(after.serverKey(), inPlace.serverKey(), StandardCopyOption.REPLACE_EXISTING);

      long deadline = System.nanoTime() + DiscoveryServer.CERTIFICATE_LOOK_INTERVAL.multipliedBy(4).toNanos();
      boolean renewedServed = false;
      while (!renewedServed && System.nanoTime() < deadline) {
        try (ApiClient client = client(tls(after.caCertificate()), "127.0.0.1", renewing.port())) {
          renewedServed = client.hello("tls-renew", "v1", Map.of()).status() == GrpcStatus.OK;
        } catch (AssertionError stillTheOldCertificate) {
          Thread.sleep(500);
        }
      }
      assertThat(renewedServed).as("the renewed certificate is served within %s", DiscoveryServer.CERTIFICATE_LOOK_INTERVAL.multipliedBy(4)).isTrue();
      try (ApiClient client = client(tls(before.caCertificate()), "127.0.0.1", renewing.port())) {
        assertThat(failureOf(() -> client.hello("tls-renew", "v1", Map.of()))).containsIgnoringCase("certification path");
      }
    }
  }

  /** The failure text of a call that must not succeed: a status other than OK, or a transport error. */
  private static String failureOf(java.util.function.Supplier<ApiClient.Reply<?>> call) {
    try {
      ApiClient.Reply<?> reply = call.get();
      assertThat(reply.status()).as("status of a call that must fail").isNotEqualTo(GrpcStatus.OK);
      return reply.status() + ": " + reply.message();
    } catch (AssertionError e) {
      if (!e.getMessage().startsWith("call failed without a status")) {
        throw e;
      }
      StringBuilder text = new StringBuilder(e.getMessage());
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        text.append(" / ").append(c);
      }
      return text.toString();
    }
  }
}
