package io.spanlog.history.verify;

import io.spanlog.history.verify.ProjectionDiff.ListedAffiliate;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.ListRequest;
import io.spanlog.discovery.api.ListResponse;
import io.spanlog.events.Blob;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A running discovery service as {@code ctl history verify} asks it: its List, over real gRPC.
 * {@code --discovery} is the URL agents are configured with ({@code http://host:port/},
 * {@code https://host:port/}, or {@code host:port} for plain HTTP/2).
 */
public final class DiscoveryService implements DiscoveryVerify.Lister, AutoCloseable {
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  private static final long ANSWER_SECONDS = 10;

  /** Where the service answers. */
  public record Address(String host, int port, boolean tls) {
    /** Parses {@code --discovery}; {@link IllegalArgumentException} with a sentence when it is not a URL of a service. */
    public static Address parse(String url) {
      String text = url == null ? "" : url.strip();
      String withScheme = text.contains("://") ? text : "http://" + text;
      URI uri;
      try {
        uri = new URI(withScheme);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--discovery must be a URL like http://127.0.0.1:3000/, not '" + url + "'");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("--discovery must be a URL like http://127.0.0.1:3000/, not '" + url + "'");
      }
      boolean tls = scheme.equals("https");
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
      String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
      return new Address(host, port, tls);
    }

    @Override
    public String toString() {
      return (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final Address address;
  private final GrpcClient client;

  public DiscoveryService(Address address) {
    this.address = address;
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setConnectTimeout(5_000);
    if (address.tls()) {
      http.setSsl(true).setUseAlpn(true);
    }
    this.client = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true)
        .setMaxMessageSize(MAX_MESSAGE_BYTES), http);
  }

  @Override
  public List<ListedAffiliate> list(String cluster) throws IOException {
    ListResponse answer;
    try {
      answer = client.request(SocketAddress.inetSocketAddress(address.port(), address.host()), ClusterGrpcClient.List)
          .compose(req -> {
            req.timeout(ANSWER_SECONDS, TimeUnit.SECONDS);
            return req.send(ListRequest.newBuilder().setClusterId(cluster).build());
          })
          .compose(resp -> resp.status() != null && resp.status() != GrpcStatus.OK
              ? io.vertx.core.Future.failedFuture(status(resp))
              : resp.last().recover(e -> io.vertx.core.Future.failedFuture(status(resp))))
          .await(ANSWER_SECONDS + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("cannot List cluster '" + cluster + "' at the discovery service " + address + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    return answer.getAffiliatesList().stream().map(DiscoveryService::listed).toList();
  }

  private static IOException status(GrpcClientResponse<?, ?> resp) {
    return new IOException("it answered " + resp.status() + (resp.statusMessage() == null ? "" : ": " + resp.statusMessage()));
  }

  private static ListedAffiliate listed(Affiliate a) {
    return new ListedAffiliate(a.getId(), Blob.of(a.getData().toByteArray()),
        a.getEndpointsList().stream().map(b -> Blob.of(b.toByteArray())).toList());
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
