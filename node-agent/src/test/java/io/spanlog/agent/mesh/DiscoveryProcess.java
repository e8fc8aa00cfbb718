package io.spanlog.agent.mesh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real discovery service ({@link RealDiscovery}) alone in a child JVM, on the parent's test
 * broker, so that a test can freeze it (SIGSTOP: sockets stay open, nothing answers) or kill it.
 */
public final class DiscoveryProcess implements AutoCloseable {
  static final String READY_PREFIX = "discovery-process serving at ";

  private final Process process;
  private final String url;

  private DiscoveryProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts it on {@code bootstrap} and returns once it serves. */
  public static DiscoveryProcess start(String bootstrap) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder b = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        DiscoveryProcess.class.getName()).redirectErrorStream(true);
    b.environment().put("SPANLOG_KAFKA_BOOTSTRAP", bootstrap);
    Process p = b.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder output = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) {
      output.append(line).append('\n');
      if (line.startsWith(READY_PREFIX)) {
        Thread drain = new Thread(() -> {
          try {
            while (in.readLine() != null) {
              // keep the pipe from filling up
            }
          } catch (IOException e) {
            // gone
          }
        }, "discovery-process-output");
        drain.setDaemon(true);
        drain.start();
        return new DiscoveryProcess(p, line.substring(READY_PREFIX.length()).trim());
      }
    }
    throw new IllegalStateException("the discovery JVM exited before serving:\n" + output);
  }

  public String url() {
    return url;
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing, like a hung host. */
  public void freeze() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroyForcibly(); // SIGKILL works on a stopped process too
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    RealDiscovery discovery = RealDiscovery.start();
    System.out.println(READY_PREFIX + discovery.url());
    System.out.flush();
    Thread.currentThread().join();
  }
}
