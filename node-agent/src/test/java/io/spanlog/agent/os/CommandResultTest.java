package io.spanlog.agent.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandResultTest {
  // the shape of `wg show kubespan dump`: private key first, then per peer its preshared key second
  private static final String PRIVATE_KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  private static final String PRESHARED_KEY = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";
  private static final String DUMP = PRIVATE_KEY + "\tHIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\t51820\toff\n"
      + "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\t" + PRESHARED_KEY
      + "\t192.95.5.67:1234\t10.192.122.3/32\t1700000000\t100\t200\toff\n";

  @Test
  void printingAResultShowsTheCommandAndExitCodeButNeverTheOutput() {
    var result = new CommandResult(List.of("wg", "show", "kubespan", "dump"), 0, DUMP,
        "wg: bad key " + PRESHARED_KEY);
    String printed = result.toString();
    assertThat(printed).doesNotContain(PRIVATE_KEY).doesNotContain(PRESHARED_KEY)
        .contains("wg show kubespan dump").contains("exitCode=0").contains(DUMP.length() + " chars");
    assertThat(result.stdout()).as("the caller still reads the output").isEqualTo(DUMP);
  }
}
