package io.spanlog.agent.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP GETs to {@code 127.0.0.1:<port>} inside a node's network namespace, from the root
 * namespace: a small {@link LoopbackRelayMain} JVM runs in the namespace and fetches for us.
 * One relay per node, started once; requests are serialised.
 */
public final class NamespaceHttp implements AutoCloseable {
  private final String namespace;
  private final Process relay;
  private final BufferedReader out;
  private final Writer in;

  private NamespaceHttp(String namespace, Process relay) {
    this.namespace = namespace;
    this.relay = relay;
    this.out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(relay.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Starts the relay inside {@code node}'s namespace with this JVM's class path. */
  public static NamespaceHttp start(NetnsLab lab, LabNode node) throws IOException {
    List<String> java = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // a relay only shuffles a few kilobytes: keep it small and quick to start
        "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), LoopbackRelayMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(lab.command(node, java));
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new NamespaceHttp(node.namespace(), builder.start());
  }

  /** A reply from the namespace's loopback: HTTP status and body. */
  public record Reply(int status, String body) {}

  /**
   * GET {@code http://127.0.0.1:<port><path>} inside the namespace.
   *
   * @throws IOException when nothing answered there (message says why) or the relay died
   */
  public synchronized Reply get(int port, String path) throws IOException {
    if (!relay.isAlive()) {
      throw new IOException("the relay in " + namespace + " has exited");
    }
    in.write(port + " " + path + "\n");
    in.flush();
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the relay in " + namespace + " has exited");
    }
    int space = line.indexOf(' ');
    String head = space < 0 ? line : line.substring(0, space);
    String body = space < 0 ? "" : new String(Base64.getDecoder().decode(line.substring(space + 1)), StandardCharsets.UTF_8);
    if (head.equals("ERR")) {
      throw new IOException(namespace + " 127.0.0.1:" + port + path + ": " + body);
    }
    return new Reply(Integer.parseInt(head), body);
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // the relay may already be gone
    }
    try {
      if (!relay.waitFor(2, TimeUnit.SECONDS)) {
        relay.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      relay.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
