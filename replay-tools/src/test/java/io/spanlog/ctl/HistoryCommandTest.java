package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ctl history}: help, and the exit codes of wrong command lines, before Kafka is asked. */
class HistoryCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CtlMain.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  @Test
  void helpNamesTimeFormsAndExitCodes() {
    assertThat(run("history", "--help")).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("TIME: RFC 3339", "-15m", "Exit codes: 0 ok, 1 failure", "3 differences found (verify)");
  }

  @Test
  void noSubcommandIsBadUsage() {
    assertThat(run("history")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("say which history");
  }

  @Test
  void anUnknownFlagIsBadUsage() {
    assertThat(run("history", "--nope")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aBadTimeIsExit2AndOneSentenceBeforeKafkaIsAsked() {
    assertThat(run("history", "affiliates", "--cluster", "c1", "--at", "yesterday", "--bootstrap", "127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
        "spanlog ctl: --at: 'yesterday' is not a TIME; give RFC 3339 (2026-11-27T03:12:00Z), 'now', or relative to now: -30s, -15m, -2h, -1d\n");
  }

  @Test
  void aBadFormatIsExit2() {
    assertThat(run("history", "affiliates", "--cluster", "c1", "-o", "xml", "--bootstrap", "127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("-o must be table, json or yaml, not 'xml'");
  }

  @Test
  void aSecretsPathThatIsNoDirectoryIsASentence() {
    assertThat(run("history", "affiliates", "--cluster", "c1", "--secrets", "/no/such/dir", "--bootstrap", "127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--secrets: the secrets directory /no/such/dir does not exist")
        .doesNotContain("Exception");
  }

  @Test
  void stateNeedsItsSecretsFlag() {
    assertThat(run("history", "state", "--cluster", "c1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--secrets=DIR'");
  }

  @Test
  void everyHistoryCommandHasHelp() {
    assertThat(run("history", "affiliates", "--help")).isEqualTo(0);
    assertThat(run("history", "state", "--help")).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--at=TIME", "--secrets=DIR", "-o, --output", "--kafka-config");
  }
}
