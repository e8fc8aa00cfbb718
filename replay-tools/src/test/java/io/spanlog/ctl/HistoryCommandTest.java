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
}
