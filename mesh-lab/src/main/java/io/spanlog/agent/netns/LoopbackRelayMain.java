package io.spanlog.agent.netns;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Runs inside a node's network namespace and fetches from that namespace's loopback on behalf of
 * a controller in the root namespace, which cannot reach it (an agent's status API listens on
 * 127.0.0.1 of its own namespace only). Driven by {@link NamespaceHttp} over stdin/stdout:
 * a request line {@code <port> <path>} is answered by one line {@code <status> <base64 body>},
 * or {@code ERR <base64 message>} when nothing answered.
 */
public final class LoopbackRelayMain {
  private LoopbackRelayMain() {}

  public static void main(String[] args) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getEncoder();
    String line;
    while ((line = in.readLine()) != null) {
      String[] request = line.trim().split(" ", 2);
      try {
        int port = Integer.parseInt(request[0]);
        String path = request.length > 1 && request[1].startsWith("/") ? request[1] : "/";
        HttpResponse<byte[]> response = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(3)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        out.println(response.statusCode() + " " + b64.encodeToString(response.body()));
      } catch (Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        out.println("ERR " + b64.encodeToString(why.getBytes(StandardCharsets.UTF_8)));
      }
      out.flush();
    }
  }
}
