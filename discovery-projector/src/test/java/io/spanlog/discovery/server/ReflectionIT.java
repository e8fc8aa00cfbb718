package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operators poke a running service without .proto files (spec section 19): a reflection client
 * lists the services, fetches their descriptors, and calls Hello from those alone.
 */
class ReflectionIT {
  static final ServiceMethod<ServerReflectionResponse, ServerReflectionRequest> INFO = ServiceMethod.client(
      ServiceName.create("grpc.reflection.v1", "ServerReflection"), "ServerReflectionInfo",
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ServerReflectionResponse.newBuilder()));

  static DiscoveryServer server;
  static Vertx vertx;
  static GrpcClient client;
  static SocketAddress address;

  @BeforeAll
  static void start() throws Exception {
    server = DiscoveryServer.start(TestServers.config(TestServers.newLog(), "reflection"));
    vertx = Vertx.vertx();
    client = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (server != null) {
      server.close();
    }
  }

  static ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
    return client.request(address, INFO).compose(req -> {
      req.timeout(20, TimeUnit.SECONDS);
      req.end(request);
      return req.response().compose(resp -> resp.last());
    }).await(30, TimeUnit.SECONDS);
  }

  @Test
  void reflectionListsBothServices() throws Exception {
    ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder().setListServices("").build());
    assertThat(r.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
        .contains("sidero.discovery.server.Cluster", "spanlog.telemetry.v1.Telemetry");
  }

  @Test
  void helloCanBeCalledFromReflectedDescriptorsAlone() throws Exception {
    ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("sidero.discovery.server.Cluster").build());
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (ByteString bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto p = FileDescriptorProto.parseFrom(bytes);
      protos.put(p.getName(), p);
    }
    FileDescriptorProto serverProto = protos.values().stream().filter(p -> p.getPackage().equals("sidero.discovery.server"))
        .findFirst().orElseThrow(() -> new AssertionError("no descriptor of package sidero.discovery.server in " + protos.keySet()));
    ServiceDescriptor cluster = build(serverProto, protos).findServiceByName("Cluster");
    assertThat(cluster.getMethods()).extracting(MethodDescriptor::getName)
        .containsExactlyInAnyOrder("Hello", "AffiliateUpdate", "AffiliateDelete", "List", "Watch");

    MethodDescriptor hello = cluster.findMethodByName("Hello");
    Descriptor in = hello.getInputType();
    DynamicMessage request = DynamicMessage.newBuilder(in).setField(in.findFieldByName("cluster_id"), "reflected").build();
    ServiceMethod<DynamicMessage, DynamicMessage> call = ServiceMethod.client(ServiceName.create("sidero.discovery.server", "Cluster"),
        "Hello", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(DynamicMessage.newBuilder(hello.getOutputType())));
    DynamicMessage reply = client.request(address, call).compose(req -> {
      req.timeout(20, TimeUnit.SECONDS);
      return req.send(request).compose(resp -> resp.last().map(m -> {
        assertThat(resp.status()).isEqualTo(GrpcStatus.OK);
        return m;
      }));
    }).await(30, TimeUnit.SECONDS);
    ByteString ip = (ByteString) reply.getField(hello.getOutputType().findFieldByName("client_ip"));
    assertThat(InetAddress.getByAddress(ip.toByteArray())).isEqualTo(InetAddress.getByName("127.0.0.1"));
  }

  /** The descriptor of one file, its imports built first from what reflection returned. */
  static FileDescriptor build(FileDescriptorProto proto, Map<String, FileDescriptorProto> all) throws Exception {
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      FileDescriptorProto d = all.get(dep);
      assertThat(d).as("reflection returned the import %s", dep).isNotNull();
      deps.add(build(d, all));
    }
    return FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
  }
}
