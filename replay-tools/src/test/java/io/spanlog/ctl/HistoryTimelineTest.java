package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.history.timeline.IncidentTimelines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ctl history timeline}: help, bad usage before Kafka is asked, and the table. */
class HistoryTimelineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CtlMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpSaysWhatTheStoryTellsAndTheExitCodes() {
    assertThat(run("history", "timeline", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--link=NODE:PEER", "--html=<file>", "--secrets=<dir>",
        "cycling to another candidate", "Exit codes: 0 ok, 1 failure");
  }

  @Test
  void aLinkWithoutTwoEndsIsBadUsage() {
    assertThat(run("history", "timeline", "--cluster", "c", "--link", "node-1", "--from", "-5m"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err()).isEqualTo("spanlog ctl: --link must be NODE:PEER (node names or public keys), not 'node-1'\n");
  }

  @Test
  void aBadTimeIsBadUsage() {
    assertThat(run("history", "timeline", "--cluster", "c", "--link", "a:b", "--from", "yesterday"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err()).startsWith("spanlog ctl: --from: 'yesterday' is not a TIME");
  }

  @Test
  void aRangeEndingBeforeItStartsIsBadUsage() {
    assertThat(run("history", "timeline", "--cluster", "c", "--link", "a:b", "--from", "-5m", "--to", "-10m"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("--to (").contains(") is before --from (");
  }

  @Test
  void aBadFormatIsBadUsage() {
    assertThat(run("history", "timeline", "--cluster", "c", "--link", "a:b", "--from", "-5m", "-o", "xml"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err()).isEqualTo("spanlog ctl: -o must be table, json or yaml, not 'xml'\n");
  }

  @Test
  void aMissingSecretsDirectoryIsOneSentence() {
    assertThat(run("history", "timeline", "--cluster", "c", "--link", "a:b", "--from", "-5m", "--secrets",
        "/nonexistent/dir")).isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).startsWith("spanlog ctl: --secrets: the secrets directory /nonexistent/dir does not exist")
        .hasLineCount(1);
  }

  @Test
  void theTableListsStatesAndEventsInOrder() {
    String table = HistoryTimeline.table(IncidentTimelines.incident());

    assertThat(table).contains("node-1 \u2192 node-2", "STATES FROM", "observer");
    int down = table.indexOf("up \u2192 down: no handshake for 280 s");
    int cycled = table.indexOf("node-1 cycled to 198.51.100.2:40000 (harvested, candidate 2 of 2)");
    int up = table.indexOf("down \u2192 up: handshake since the endpoint change");
    assertThat(down).isPositive().isLessThan(cycled);
    assertThat(cycled).isLessThan(up);
    assertThat(table).containsPattern("(?m)^down\\s+2026-11-27T03:06:30Z\\s+2026-11-27T03:07:30Z\\s+1m00s\\s+"
        + "10\\.0\\.0\\.2:51820 \\(advertised\\)");
  }
}
