package io.spanlog.agent.netns;

import static org.junit.jupiter.api.Assertions.fail;

import io.spanlog.agent.os.CommandRunner;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need root, network namespaces and wireguard-go: with
 * {@code SPANLOG_E2E=required} (CI) a missing piece fails the test, otherwise it skips it, saying
 * why in both cases.
 */
public final class E2eRequirement {
  private E2eRequirement() {}

  public static void requireNetnsLab() {
    Optional<String> reason = NetnsLab.unavailableReason();
    if (reason.isEmpty() && !CommandRunner.onPath("ping")) {
      reason = Optional.of("ping is not installed (apt-get install -y iputils-ping)");
    }
    if (reason.isPresent()) {
      String message = "real WireGuard in network namespaces is unavailable: " + reason.get();
      if ("required".equals(System.getenv("SPANLOG_E2E"))) {
        fail(message + " (SPANLOG_E2E=required)");
      }
      Assumptions.abort(message + "; set SPANLOG_E2E=required to make this a failure");
    }
  }
}
