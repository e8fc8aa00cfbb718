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
        "spanlog ctl: unknown resource 'peers'; valid: identities, peerspecs, peerstatuses, endpoints, links, matrix, drift\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMalformedAgentOrOutputExitsWith2() {
    assertThat(run("get", "ps", "--agent", "node-1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--agent must be host:port, not 'node-1'");
    err.reset();
    assertThat(run("get", "ps", "-o", "xml")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("-o must be table, json or yaml, not 'xml'");
  }

  @Test
  void anObserverViewNeedsItsClusterAndAKnownFormat() {
    assertThat(run("get", "links")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("give --cluster <id>");
    err.reset();
    assertThat(run("get", "matrix", "--cluster", "c1", "-o", "xml")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("-o must be table, json or yaml, not 'xml'");
    err.reset();
    assertThat(run("get", "links", "--cluster", "c1", "--observer", "observer")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--observer must be host:port");
    err.reset();
    assertThat(run("get", "ps", "--cluster", "c1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("read from agents");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void anObserverThatDoesNotAnswerCostsExit1AndASentence() {
    // port 1 on loopback: nothing listens there
    assertThat(run("get", "links", "--cluster", "c1", "--observer", "127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("cannot connect to the observer at 127.0.0.1:1; is 'spanlog observer' running");
  }

  @Test
  void noSubcommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("spanlog ctl get peerstatuses");
  }
}
