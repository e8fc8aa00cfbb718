package io.spanlog.observer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.observer.ObserverSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line, read before anything starts: defaults, thresholds, and wrong input. */
class ObserverMainTest {
  private static ObserverConfig parse(String... args) {
    ObserverMain main = new ObserverMain();
    new CommandLine(main).parseArgs(args);
    return main.config("k1:9092");
  }

  @Test
  void theDefaultsAreTheSettingsDefaultsOnLoopback() {
    ObserverConfig c = parse();

    assertThat(c.settings()).isEqualTo(ObserverSettings.defaults());
    assertThat(c.api().toString()).isEqualTo("127.0.0.1:7171");
    assertThat(c.metrics()).hasValueSatisfying(m -> assertThat(m.port()).isEqualTo(2123));
    assertThat(c.applicationId()).isEqualTo("spanlog-endpoint-observer");
    assertThat(c.replicas()).isEmpty();
    assertThat(c.threads()).isEqualTo(1);
  }

  @Test
  void thresholdsAreFlags(@TempDir Path dir) throws Exception {
    Path kafka = Files.writeString(dir.resolve("kafka.properties"), "security.protocol=SSL\n");
    ObserverConfig c = parse("--flap-changes", "6", "--flap-window", "15m", "--flap-quiet", "5m",
        "--asymmetric-after", "3m", "--silent-after", "2m", "--silence-check-every", "5s",
        "--metrics-window", "30s", "--metrics-grace", "1m", "--metrics-retention", "2h",
        "--sample-time-tolerance", "1m", "--proven-endpoints-per-peer", "4", "--drift-grace", "2m",
        "--metrics-addr", "", "--kafka-config", kafka.toString(), "--replicas", "3");

    ObserverSettings s = c.settings();
    assertThat(s.flapChanges()).isEqualTo(6);
    assertThat(s.flapWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.flapQuiet()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.asymmetricAfter()).isEqualTo(Duration.ofMinutes(3));
    assertThat(s.silentAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.silenceCheckEvery()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.metricsWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.metricsGrace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.metricsRetention()).isEqualTo(Duration.ofHours(2));
    assertThat(s.sampleTimeTolerance()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.provenEndpointsPerPeer()).isEqualTo(4);
    assertThat(s.driftGrace()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.metrics()).isEmpty();
    assertThat(c.kafka().admin(Map.of())).containsEntry("security.protocol", "SSL");
    assertThat(c.replicas()).contains(3);
  }

  @Test
  void wrongInputIsExit2AndASentenceBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path acks = Files.writeString(dir.resolve("kafka.properties"), "acks=1\n");
    assertThatThrownBy(() -> parse("--kafka-config", acks.toString()))
        .hasMessageContaining("acks cannot be set there");
    assertThatThrownBy(() -> parse("--flap-window", "ten")).hasMessageStartingWith("--flap-window");
    assertThatThrownBy(() -> parse("--metrics-window", "1500ms")).hasMessageContaining("metricsWindow");
    assertThatThrownBy(() -> parse("--api-addr", "localhost:")).hasMessageStartingWith("--api-addr");
    assertThatThrownBy(() -> parse("--drift-grace", "0s"))
        .hasMessage("--drift-grace must be longer than zero, not 0s");
    assertThatThrownBy(() -> parse("--secrets", "/no/such/dir")).hasMessageContaining("not a directory");

    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(ObserverMain.run("--bootstrap", "k1:9092", "--silent-after", "soon")).isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("spanlog observer: --silent-after 'soon' is not a duration");
  }

  @Test
  void durationsPrintAsTheyAreTyped() {
    assertThat(ObserverMain.go(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(ObserverMain.go(Duration.ofHours(24))).isEqualTo("24h");
    assertThat(ObserverMain.go(Duration.ofMillis(500))).isEqualTo("500ms");
  }
}
