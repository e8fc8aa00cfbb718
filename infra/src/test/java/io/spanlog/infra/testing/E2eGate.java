package io.spanlog.infra.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need something of the machine a plain build may lack (root and network
 * namespaces, wireguard-go, a headless Chromium): with {@code SPANLOG_E2E=required} (CI, set by
 * {@code .ci/run}) a missing piece fails the test, otherwise it skips it, saying why in both cases.
 */
public final class E2eGate {
  public static final String VARIABLE = "SPANLOG_E2E";

  private E2eGate() {}

  /**
   * Fails or skips the calling test when {@code missing} says what is missing.
   *
   * @param what what the test needs, e.g. "a headless Chromium"
   * @param missing why it is unavailable here; empty when it is available
   */
  public static void require(String what, Optional<String> missing) {
    if (missing.isEmpty()) {
      return;
    }
    String message = what + " is unavailable: " + missing.get();
    if ("required".equals(System.getenv(VARIABLE))) {
      fail(message + " (" + VARIABLE + "=required)");
    }
    Assumptions.abort(message + "; set " + VARIABLE + "=required to make this a failure");
  }
}
