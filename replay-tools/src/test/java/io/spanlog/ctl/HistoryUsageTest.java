package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** verify's and export's answers to bad input that need no broker: one sentence and exit 2. */
class HistoryUsageTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CtlMain.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void verifyNeedsOneOfClusterAndAll() {
    assertThat(run("history", "verify", "--discovery", "http://127.0.0.1:3000/")).isEqualTo(2);
    assertThat(err()).isEqualTo("spanlog ctl: history verify needs --cluster <id> or --all (one of them)\n");
    err.reset();
    assertThat(run("history", "verify", "--all", "--cluster", "c1", "--discovery", "http://127.0.0.1:3000/")).isEqualTo(2);
    assertThat(err()).contains("needs --cluster <id> or --all");
  }

  @Test
  void verifyRefusesADiscoveryThatIsNoUrl() {
    assertThat(run("history", "verify", "--all", "--discovery", "ftp://x:1/")).isEqualTo(2);
    assertThat(err()).isEqualTo("spanlog ctl: --discovery must be a URL like http://127.0.0.1:3000/, not 'ftp://x:1/'\n");
  }

  @Test
  void exportRefusesAnUnknownFormat() {
    assertThat(run("history", "export", "--cluster", "c1", "--from", "-15m", "--format", "parquet")).isEqualTo(2);
    assertThat(err()).isEqualTo("spanlog ctl: --format must be jsonl or csv, not 'parquet'\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void exportRefusesAReversedTimeRangeAndATimeItCannotRead() {
    assertThat(run("history", "export", "--cluster", "c1", "--from", "2026-11-27T03:12:00Z", "--to",
        "2026-11-27T03:00:00Z")).isEqualTo(2);
    assertThat(err()).isEqualTo("spanlog ctl: the time range is reversed: --from 2026-11-27T03:12:00Z is after --to "
        + "2026-11-27T03:00:00Z\n");
    err.reset();
    assertThat(run("history", "export", "--cluster", "c1", "--from", "yesterday")).isEqualTo(2);
    assertThat(err()).contains("--from: 'yesterday' is not a TIME");
  }

  @Test
  void exportTakesItsFormatFromFormatNotFromO() {
    assertThat(run("history", "export", "--cluster", "c1", "--from", "-1h", "-o", "json")).isEqualTo(2);
    assertThat(err()).contains("give --format jsonl|csv instead of -o");
  }

  @Test
  void exportRefusesASecretsDirectoryThatIsNotOneAsTheOtherHistoryCommandsDo() {
    assertThat(run("history", "export", "--cluster", "c1", "--from", "-1h", "--secrets", "/nonexistent/secrets")).isEqualTo(1);
    assertThat(err().lines().toList()).hasSize(1).first().asString().startsWith("spanlog ctl: --secrets: ");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
