package io.spanlog.agent.status;

import io.spanlog.events.PeerState;
import io.spanlog.peers.PeerSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * {@link #of} after a change of a few peers, without visiting the others: {@code previous} (what
   * {@link #of} gave before the change) without the peers whose keys are in {@code changedKeys},
   * and each of {@code changedSpecs} (the changed peers still specified) that is up, in key order
   * as {@link #of} lists them.
   */
  public static List<HarvestedEndpoint> replacing(List<HarvestedEndpoint> previous, Set<String> changedKeys,
      Map<String, PeerStatus> statuses, Collection<PeerSpec> changedSpecs) {
    List<HarvestedEndpoint> out = new ArrayList<>(previous.size() + changedSpecs.size());
    for (HarvestedEndpoint h : previous) {
      if (!changedKeys.contains(h.publicKey())) {
        out.add(h);
      }
    }
    for (HarvestedEndpoint h : of(statuses, List.copyOf(changedSpecs))) {
      int at = Collections.binarySearch(out, h, BY_KEY);
      out.add(at < 0 ? -at - 1 : at, h);
    }
    return List.copyOf(out);
  }

  private static final Comparator<HarvestedEndpoint> BY_KEY = Comparator.comparing(HarvestedEndpoint::publicKey);
}
