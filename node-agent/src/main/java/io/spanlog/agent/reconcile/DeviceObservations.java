package io.spanlog.agent.reconcile;

import io.spanlog.agent.status.DeviceObservation;
import io.spanlog.agent.wireguard.DeviceState;
import io.spanlog.agent.wireguard.PeerReading;
import io.spanlog.net.Endpoint;
import java.util.HashMap;
import java.util.Map;

/** A device read turned into the status machine's input, by peer public key (base64). */
public final class DeviceObservations {
  private DeviceObservations() {}

  public static Map<String, DeviceObservation> of(DeviceState state) {
    Map<String, DeviceObservation> out = new HashMap<>();
    for (PeerReading p : state.peers()) {
      out.put(p.publicKey().base64(), new DeviceObservation(
          p.endpoint().map(a -> new Endpoint(a.getAddress(), a.getPort())),
          p.latestHandshake(), p.rxBytes(), p.txBytes()));
    }
    return out;
  }
}
