package io.spanlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./spanlog console}'s usage errors, found before Kafka is asked anything. */
class ConsoleMainTest {
  @Test
  void aMalformedObserverAddressIsAUsageErrorWithASentence() {
    StringWriter err = new StringWriter();
    CommandLine cli = ConsoleMain.commandLine(new ConsoleMain());
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("--observer", "observer-1:port", "--bootstrap", "127.0.0.1:1");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("console: --observer 'observer-1:port': ").doesNotContain("Exception");
  }
}
