package io.spanlog.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status API's body limit over a real socket, with bodies as a local process could send them. */
class StatusApiServerTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private int port;

  @BeforeEach
  void start() throws Exception {
    StatusApiServer server = new StatusApiServer(vertx, Map.of(), Map.of("/v1/echo", body -> {
      received.add(body);
      return Future.succeededFuture(StatusApiServer.Reply.of(200, Map.of("length", body.length())));
    }));
    port = server.start(0).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static final String CHUNKED_HEAD = "POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

  @Test
  void anEndlessChunkedBodyIsRefusedWith413OnceOverTheCapWithoutWaitingForItsEnd() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      AtomicLong sent = new AtomicLong();
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          out.write(CHUNKED_HEAD.getBytes(StandardCharsets.US_ASCII));
          byte[] chunk = ("400\r\n" + "x".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
          while (sent.get() < 256L << 20) { // never the last chunk: this body has no end
            out.write(chunk);
            sent.addAndGet(1024);
          }
        } catch (IOException e) {
          // the server closed the connection: what it should do
        }
      }, "endless-body");
      writer.setDaemon(true);
      writer.start();
      var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
      StringBuilder rest = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        rest.append(line).append('\n');
      }
      assertThat(rest.toString()).contains("the body is larger than 4096 bytes").containsIgnoringCase("connection: close");
      writer.join(30_000);
      assertThat(writer.isAlive()).as("the server stopped reading (connection closed)").isFalse();
      assertThat(sent.get()).as("bytes sent before the server hung up").isLessThan(256L << 20);
    }
    assertThat(received).as("the action never ran").isEmpty();
  }

  @Test
  void aChunkedBodyUnderTheCapReachesTheAction() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String part = "x".repeat(2000);
      out.write((CHUNKED_HEAD + "7d0\r\n" + part + "\r\n7d0\r\n" + part + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
    }
    assertThat(received).singleElement().satisfies(b -> assertThat(b).hasSize(4000));
  }

  @Test
  void aDeclaredLengthOverTheCapIsRefusedBeforeReading() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    }
    assertThat(received).isEmpty();
  }
}
