package io.spanlog.agent.netns;

import io.spanlog.agent.os.CommandRunner;
import io.spanlog.infra.testing.E2eGate;
import java.util.Optional;

/**
 * Gate for tests that need root, network namespaces and wireguard-go: with
 * {@code SPANLOG_E2E=required} (CI) a missing piece fails the test, otherwise it skips it, saying
 * why in both cases ({@link E2eGate}).
 */
public final class E2eRequirement {
  private E2eRequirement() {}

  public static void requireNetnsLab() {
    Optional<String> reason = NetnsLab.unavailableReason();
    if (reason.isEmpty() && !CommandRunner.onPath("ping")) {
      reason = Optional.of("ping is not installed (apt-get install -y iputils-ping)");
    }
    E2eGate.require("real WireGuard in network namespaces", reason);
  }
}
