package io.spanlog.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TempDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spanlog demo --once --memory}: a real broker and the real discovery service, three
 * in-process agents on simulated devices; the printed tables show a full mesh, all up.
 */
class DemoOnceMemoryIT {
  private Path data;

  @AfterEach
  void removeData() {
    if (data != null) {
      TempDirs.deleteRecursively(data);
    }
  }

  @Test
  void bringsUpAThreeNodeMeshAndPrintsItsViews() {
    data = TempDirs.create("spanlog-demo-");
    String bootstrap = KafkaFixture.shared().bootstrapServers();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = DemoMain.run(out, "--once", "--memory", "--data", data.toString(), "--bootstrap", bootstrap,
          "--discovery-port", Integer.toString(FreePorts.next()), "--timeout", "90");
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text).contains("SIMULATED").contains("Kafka: using the broker already on " + bootstrap);

    List<String> identities = section(text, "KubeSpanIdentities");
    assertThat(identities.get(0)).startsWith("NODE").contains("PUBLIC KEY").contains("ADDRESS");
    assertThat(identities.subList(1, identities.size())).hasSize(3)
        .allSatisfy(row -> assertThat(row).matches("node-\\d\\s+local\\s+\\d+\\s+fd[0-9a-f:]+/128\\s+fd[0-9a-f:]+/64\\s+\\S+="));

    List<String> specs = section(text, "KubeSpanPeerSpecs");
    assertThat(specs.subList(1, specs.size())).hasSize(6);

    List<String> statuses = section(text, "KubeSpanPeerStatuses");
    assertThat(statuses.get(0).split("\\s+")).containsExactly("NODE", "ID", "VERSION", "LABEL", "ENDPOINT", "STATE", "RX", "TX");
    List<String> rows = statuses.subList(1, statuses.size());
    assertThat(rows).hasSize(6);
    for (String row : rows) {
      String[] cells = row.split("\\s+");
      assertThat(cells[5]).as(row).isEqualTo("up");
      assertThat(cells[0]).as("a node does not list itself: " + row).isNotEqualTo(cells[3]);
      assertThat(Long.parseLong(cells[6])).as("RX of " + row).isPositive();
      assertThat(Long.parseLong(cells[7])).as("TX of " + row).isPositive();
    }
    // The endpoint observer runs when its build is there (./spanlog builds it with its classpath);
    // the demo says so either way.
    ObserverChild.ClasspathOrReason observer = ObserverChild.classpath();
    if (observer.classpath().isPresent()) {
      List<String> links = section(text, lines(text).stream().filter(l -> l.startsWith("Links (endpoint observer at "))
          .findFirst().orElse("Links (endpoint observer at ...)"));
      assertThat(links.get(0).split("\\s{2,}")).containsExactly("NODE", "PEER", "STATE", "SINCE", "ENDPOINT (SOURCE)",
          "RX/S", "TX/S", "FLAPS");
      assertThat(links.subList(1, links.size())).hasSize(6).allSatisfy(row -> assertThat(row.split("\\s+")[2]).isEqualTo("up"));
      assertThat(text).contains("observer stopped");
    } else {
      assertThat(text).contains("endpoint observer: not started: " + observer.reason());
    }
    assertThat(text).contains("agents stopped").contains("discovery stopped").contains("Kafka left running");
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  /** The header and rows of the table under {@code title}, up to the next blank line. */
  private static List<String> section(String text, String title) {
    List<String> lines = text.lines().toList();
    int start = lines.indexOf(title);
    assertThat(start).as("a '" + title + "' table in:\n" + text).isNotNegative();
    int end = start + 1;
    while (end < lines.size() && !lines.get(end).isBlank()) {
      end++;
    }
    return lines.subList(start + 1, end);
  }
}
