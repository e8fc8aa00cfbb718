package io.spanlog.ctl;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A node's status API on this host's loopback. */
public final class HttpStatusSource implements StatusSource {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int port;

  public HttpStatusSource(int port) {
    this.port = port;
  }

  @Override
  public String get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(3)).GET().build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking 127.0.0.1:" + port + path, e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("127.0.0.1:" + port + path + " answered " + response.statusCode() + ": " + response.body().strip());
    }
    return response.body();
  }
}
