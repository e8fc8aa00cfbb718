package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's answers to wrong input, before any agent is asked. */
class CtlMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CtlMain.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  @Test
  void anUnknownResourceExitsWith2ListingTheValidOnes() {
    assertThat(run("get", "peers")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
        "spanlog ctl: unknown resource 'peers'; valid: identities, peerspecs, peerstatuses, endpoints\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMalformedAgentOrOutputExitsWith2() {
    assertThat(run("get", "ps", "--agent", "node-1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--agent must be host:port, not 'node-1'");
    err.reset();
    assertThat(run("get", "ps", "-o", "yaml")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("-o must be table or json, not 'yaml'");
  }

  @Test
  void noSubcommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("spanlog ctl get peerstatuses");
  }
}
