package io.spanlog.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.infra.testing.E2eGate;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TempDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spanlog demo --incident} on real WireGuard in network namespaces: the underlay path a
 * link uses is cut, the agent cycles to the peer's other endpoint, and the link's timeline, read
 * back from the log by {@code ctl history timeline}, tells up, the loss with the endpoint change,
 * and the recovery on the second endpoint, in that order and with provenance. One real link cut
 * (about two minutes) serves the demo and the history's timeline of a real incident.
 */
class DemoIncidentIT {
  private Path data;

  @AfterEach
  void removeData() {
    if (data != null) {
      TempDirs.deleteRecursively(data);
    }
  }

  @Test
  void aCutLinkComesBackOnTheSecondEndpointAndTheTimelineTellsItInOrder() throws Exception {
    E2eGate.require("real WireGuard in network namespaces", NetnsLab.unavailableReason());
    data = TempDirs.create("spanlog-incident-");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = DemoMain.run(out, "--incident", "--data", data.toString(),
          "--bootstrap", KafkaFixture.shared().bootstrapServers(),
          "--discovery-port", Integer.toString(FreePorts.next()), "--console-port", "0", "--timeout", "120");
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text).contains("namespaces removed");

    // the state table of the timeline: up on the first endpoint, then (after a loss, unless one
    // pass cycled it straight away) up on the peer's other endpoint
    List<String> states = text.lines().dropWhile(l -> !l.startsWith("STATE ")).skip(1)
        .takeWhile(l -> !l.isBlank()).toList();
    assertThat(states).as(text).isNotEmpty();
    int upFirst = indexOf(states, "up ", ":51820 (advertised)", 0);
    assertThat(upFirst).as("the link up before the cut:\n" + text).isNotNegative();
    String firstEndpoint = states.get(upFirst).split("\\s+")[4];
    int upAgain = -1;
    for (int i = upFirst + 1; i < states.size(); i++) {
      if (states.get(i).startsWith("up ") && !states.get(i).contains(firstEndpoint)
          && states.get(i).contains(":51820 (advertised)")) {
        upAgain = i;
      }
    }
    assertThat(upAgain).as("up again on the peer's other endpoint after the cut:\n" + text).isGreaterThan(upFirst);
    String secondEndpoint = states.get(upAgain).split("\\s+")[4];
    assertThat(states.subList(upFirst + 1, upAgain)).as("between the two: only the loss on the way\n" + text)
        .allSatisfy(row -> assertThat(row).doesNotStartWith("up "));

    // the event list: the endpoint change is there, between the cut and the recovery
    List<String> events = text.lines().dropWhile(l -> !l.startsWith("TIME ")).skip(1)
        .takeWhile(l -> !l.isBlank()).toList();
    int cycled = indexOf(events, "", "cycled to " + secondEndpoint, 0);
    assertThat(cycled).as("the cycle to the second endpoint in the events:\n" + text).isNotNegative();
    assertThat(events.get(cycled)).contains("(advertised, candidate 2 of 2)");

    Path html = data.resolve("demo").resolve("incident.html");
    assertThat(html).exists();
    assertThat(Files.readString(html)).contains("<svg");
  }

  private static int indexOf(List<String> rows, String start, String part, int from) {
    for (int i = Math.max(0, from); i < rows.size(); i++) {
      if (rows.get(i).startsWith(start) && rows.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }
}
