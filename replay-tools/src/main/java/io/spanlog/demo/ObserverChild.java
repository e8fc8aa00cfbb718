package io.spanlog.demo;

import io.spanlog.ctl.ObserverAddress;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The endpoint observer ({@code spanlog observer}) as a child JVM of the demo, on the
 * endpoint-observer module's own classpath: this module does not carry Kafka Streams, so the
 * observer's classes and dependencies are found where {@code ./spanlog} builds them
 * ({@code endpoint-observer/target/classes} and {@code target/runtime.classpath}, next to this
 * module's classes). Its read API listens on a free loopback port; its output goes to a log file.
 */
final class ObserverChild implements AutoCloseable {
  static final String OBSERVER_MAIN = "io.spanlog.observer.service.ObserverMain";
  static final String APPLICATION_ID = "spanlog-demo-observer";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final ObserverAddress address;
  private final Path log;

  private ObserverChild(Process process, ObserverAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /**
   * The observer's classpath as {@code ./spanlog} builds it, or why there is none (e.g. the demo
   * runs from an IDE or a test that did not build endpoint-observer).
   */
  static ClasspathOrReason classpath() {
    Optional<Path> root = projectRoot();
    if (root.isEmpty()) {
      return new ClasspathOrReason(Optional.empty(), "cannot tell where the Spanlog build is (run the demo with ./spanlog)");
    }
    Path module = root.get().resolve("endpoint-observer");
    Path classes = module.resolve("target/classes");
    Path dependencies = module.resolve("target/runtime.classpath");
    if (!Files.isDirectory(classes.resolve("io/spanlog/observer/service")) || !Files.isRegularFile(dependencies)) {
      return new ClasspathOrReason(Optional.empty(), "endpoint-observer is not built in " + root.get()
          + " (./spanlog builds it with the runtime classpath)");
    }
    try {
      return new ClasspathOrReason(Optional.of(classes + java.io.File.pathSeparator + Files.readString(dependencies).strip()), "");
    } catch (IOException e) {
      return new ClasspathOrReason(Optional.empty(), "cannot read " + dependencies + ": " + e.getMessage());
    }
  }

  /** A classpath, or the sentence saying why there is none. */
  record ClasspathOrReason(Optional<String> classpath, String reason) {}

  /**
   * The project's root: {@code -Dspanlog.home} (the launcher sets it), else two folders above the
   * folder this class was loaded from ({@code <root>/replay-tools/target/classes}).
   */
  static Optional<Path> projectRoot() {
    String home = System.getProperty("spanlog.home");
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home));
    }
    try {
      var source = ObserverChild.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      Path classes = Path.of(source.getLocation().toURI());
      Path target = classes.getParent();
      if (target == null || target.getParent() == null || target.getParent().getParent() == null) {
        return Optional.empty();
      }
      return Optional.of(target.getParent().getParent());
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts the observer on Kafka at {@code bootstrap}, opening sealed telemetry with the secrets
   * in {@code secrets}; {@code extra} are more of its flags (thresholds).
   */
  static ObserverChild start(String classpath, String bootstrap, Path secrets, Path folder, int apiPort,
      List<String> extra) throws IOException {
    Files.createDirectories(folder);
    // A killed observer's group member is replaced after 10 s at the next run, not 45 s.
    Path kafkaConfig = Files.writeString(folder.resolve("kafka.properties"), "session.timeout.ms=10000\n");
    Path log = folder.resolve("observer.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
        "-cp", classpath, OBSERVER_MAIN,
        "--bootstrap", bootstrap,
        "--secrets", secrets.toString(),
        "--state-dir", folder.resolve("state").toString(),
        "--application-id", APPLICATION_ID,
        "--api-addr", "127.0.0.1:" + apiPort,
        "--metrics-addr", "",
        "--kafka-config", kafkaConfig.toString()));
    command.addAll(extra);
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new ObserverChild(process, new ObserverAddress("127.0.0.1", apiPort), log);
  }

  ObserverAddress address() {
    return address;
  }

  Path log() {
    return log;
  }

  /**
   * Waits until the read API answers {@code /v1/instance} with its streams running.
   *
   * @throws IOException with a sentence when the observer exited or did not answer in time
   */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri = URI.create("http://" + address + "/v1/instance");
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the endpoint observer exited with code " + process.exitValue() + " (log: " + log + ")");
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("RUNNING")) {
          return;
        }
        last = r.statusCode() + " " + r.body().strip();
      } catch (IOException notYet) {
        last = notYet.getClass().getSimpleName();
      }
      Thread.sleep(250);
    }
    throw new IOException("the endpoint observer's read API at " + address + " was not running within "
        + timeout.toSeconds() + " s (last: " + last + "; log: " + log + ")");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM (it commits and leaves its group), forcibly after 15 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
