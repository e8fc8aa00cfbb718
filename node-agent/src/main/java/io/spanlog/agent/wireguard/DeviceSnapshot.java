package io.spanlog.agent.wireguard;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A device read back together with its secrets, which the reconciler needs to tell whether a key
 * changed. Stays inside this package; callers only ever see the {@link DeviceState}.
 */
record DeviceSnapshot(
    DeviceState state, Optional<WireGuardSecret> privateKey, Map<WireGuardKey, WireGuardSecret> presharedKeys) {

  DeviceSnapshot {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(privateKey, "privateKey");
    presharedKeys = Map.copyOf(presharedKeys);
  }
}
