package io.spanlog.agent.status;

import io.spanlog.events.PeerState;
import io.spanlog.peers.PeerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Harvested endpoints: for every peer that is up and has an endpoint, the endpoint the device
 * actually talks to (possibly a NAT mapping no one advertised), to be published for the peer's
 * affiliate id so other nodes learn an endpoint known to work.
 */
public final class Harvest {
  private Harvest() {}

  public static List<HarvestedEndpoint> of(Map<String, PeerStatus> statuses, List<PeerSpec> specs) {
    List<HarvestedEndpoint> out = new ArrayList<>();
    for (PeerSpec spec : specs) {
      PeerStatus status = statuses.get(spec.publicKey());
      if (status != null && status.state() == PeerState.UP && status.endpoint().isPresent()) {
        out.add(new HarvestedEndpoint(spec.publicKey(), spec.affiliateId(), status.endpoint().get()));
      }
    }
    return List.copyOf(out);
  }
}
