package io.spanlog.history;

import com.google.protobuf.ByteString;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.AffiliateDeleteRequest;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.ListRequest;
import io.spanlog.discovery.api.ListResponse;
import io.spanlog.discovery.ownership.CheckpointPolicy;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.net.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real discovery service on the test broker (also the console's tests' history), written to by a real gRPC client (AffiliateUpdate,
 * AffiliateDelete), whose List answers are captured live together with the time: what a replay of
 * its log must reproduce. Checkpoints are taken every few events so replays start from them.
 */
public final class RecordedHistory implements AutoCloseable {
  /** One affiliate as List shows it: data and endpoint blobs, base64. */
  record Listed(String data, List<String> endpoints) {}

  /** What List said at an instant. */
  record Capture(String name, java.time.Instant at, Map<String, Listed> affiliates) {}

  public final KafkaFixture kafka = KafkaFixture.shared();
  public final String prefix = "hist-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  public final String cluster = "cluster-" + prefix;
  public final ClusterSecret secret;
  final AffiliateCrypto crypto;
  final DiscoveryServer server;
  private final Vertx vertx = Vertx.vertx();
  private final GrpcClient client;
  private final SocketAddress address;
  final List<Capture> captures = new ArrayList<>();
  final Map<Integer, String> publicKeys = new TreeMap<>();

  public RecordedHistory() throws Exception {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    secret = ClusterSecret.fromBytes(raw);
    crypto = new AffiliateCrypto(secret);
    server = DiscoveryServer.with(DiscoveryConfig.defaults(kafka.bootstrapServers(), prefix)
            .withPorts("127.0.0.1", 0, -1).withTopics(prefix, 3).withGc(Duration.ofHours(1), Duration.ofMillis(200)))
        .checkpoints(new CheckpointPolicy(4, Duration.ofHours(1))).start();
    client = GrpcClient.client(vertx, new GrpcClientOptions(),
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
  }

  public String publicKey(int node) {
    return publicKeys.computeIfAbsent(node, n -> {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      return Base64.getEncoder().encodeToString(k);
    });
  }

  public ByteString data(int node, String hostname) throws Exception {
    DecodedAffiliate a = new DecodedAffiliate("node-" + node, List.of(InetAddress.getByName("10.0.0." + node)),
        hostname, "node-" + node, "worker", "Talos (v1.9.0)",
        Optional.of(new KubeSpanInfo(publicKey(node), InetAddress.getByName("fd00::" + node), List.of(), List.of())));
    return ByteString.copyFrom(crypto.encryptAffiliate(a));
  }

  public ByteString endpoint(String ip, int port) throws Exception {
    return ByteString.copyFrom(crypto.encryptEndpoint(new Endpoint(InetAddress.getByName(ip), port)));
  }

  public void update(String clusterId, int node, ByteString data, ByteString... endpoints) {
    AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder().setClusterId(clusterId)
        .setAffiliateId("node-" + node).addAllAffiliateEndpoints(List.of(endpoints))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800));
    if (data != null) {
      b.setAffiliateData(data);
    }
    call(ClusterGrpcClient.AffiliateUpdate, b.build());
  }

  void delete(int node) {
    call(ClusterGrpcClient.AffiliateDelete,
        AffiliateDeleteRequest.newBuilder().setClusterId(cluster).setAffiliateId("node-" + node).build());
  }

  /** List now, with the time just after its answer; later writes are stamped after it. */
  Capture capture(String name) throws InterruptedException {
    ListResponse list = call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId(cluster).build());
    Map<String, Listed> seen = new TreeMap<>();
    for (Affiliate a : list.getAffiliatesList()) {
      seen.put(a.getId(), new Listed(Base64.getEncoder().encodeToString(a.getData().toByteArray()),
          a.getEndpointsList().stream().map(e -> Base64.getEncoder().encodeToString(e.toByteArray())).toList()));
    }
    Capture c = new Capture(name, java.time.Instant.now(), seen);
    captures.add(c);
    Thread.sleep(15); // the next write's record time is after c.at()
    return c;
  }

  /** A secrets directory as 'gen config' writes it, with the given secret for this cluster. */
  public Path secretsDir(ClusterSecret which) throws Exception {
    Path dir = Files.createTempDirectory("hist-secrets-");
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, ClusterSecretFile.render(new ClusterSecretFile.Entry(cluster, which)));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return dir;
  }

  private <Q, R> R call(ServiceMethod<R, Q> method, Q request) {
    try {
      return client.request(address, method).compose(req -> req.send(request).compose(resp -> resp.last().map(v -> {
        if (resp.status() != GrpcStatus.OK) {
          throw new IllegalStateException(method.methodName() + ": " + resp.status() + " " + resp.statusMessage());
        }
        return v;
      }))).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(method.methodName() + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    server.close();
    client.close();
    vertx.close();
  }
}
