package io.spanlog.ctl;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A node's status API over HTTP: on this host's loopback, or at a given host (e.g. through a tunnel). */
public final class HttpStatusSource implements StatusSource {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String host;
  private final int port;

  public HttpStatusSource(int port) {
    this("127.0.0.1", port);
  }

  public HttpStatusSource(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public String get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + authority() + path))
        .timeout(Duration.ofSeconds(3)).GET().build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + authority() + path, e);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect to " + authority() + (e.getMessage() == null ? " (refused)" : " (" + e.getMessage() + ")")
          + "; is the agent running, with its status API on this port?", e);
    } catch (java.net.http.HttpTimeoutException e) {
      throw new IOException("no answer from " + authority() + path + " within 3 s", e);
    } catch (IOException e) {
      // the JDK leaves some messages empty
      throw new IOException("cannot ask " + authority() + path + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(authority() + path + " answered " + response.statusCode() + ": " + response.body().strip());
    }
    return response.body();
  }

  private String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
