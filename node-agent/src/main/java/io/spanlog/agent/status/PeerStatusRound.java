package io.spanlog.agent.status;

import io.spanlog.net.Endpoint;
import io.spanlog.peers.PeerSpec;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One round of the {@link PeerStatusMachine} over every peer spec of a pass. Statuses of peers
 * that left the specs are dropped, as the device apply removes those peers.
 */
public final class PeerStatusRound {
  /**
   * What a round decided.
   *
   * @param statuses the new status of every peer in the specs, by public key (sorted)
   * @param endpointsToProgram endpoints to write to the device now, by public key
   * @param programReasons why each of those is written, by public key
   */
  public record Outcome(
      SortedMap<String, PeerStatus> statuses,
      Map<String, Endpoint> endpointsToProgram,
      Map<String, String> programReasons) {
    public Outcome {
      statuses = Collections.unmodifiableSortedMap(new TreeMap<>(statuses));
      endpointsToProgram = Map.copyOf(endpointsToProgram);
      programReasons = Map.copyOf(programReasons);
    }
  }

  private final PeerStatusMachine machine;

  public PeerStatusRound(StatusTimings timings) {
    this.machine = new PeerStatusMachine(timings);
  }

  /** One peer alone (a Watch change of its affiliate): the machine's step from its last status. */
  public StatusStep step(Optional<PeerStatus> previous, PeerSpec spec, Optional<DeviceObservation> device,
      Instant now) {
    return machine.next(previous.orElseGet(() -> PeerStatus.initial(spec.publicKey(), spec.label())), spec, device,
        now);
  }

  public Outcome run(
      Map<String, PeerStatus> previous,
      List<PeerSpec> specs,
      Map<String, DeviceObservation> device,
      Instant now) {
    var statuses = new TreeMap<String, PeerStatus>();
    Map<String, Endpoint> program = new HashMap<>();
    Map<String, String> reasons = new HashMap<>();
    for (PeerSpec spec : specs) {
      PeerStatus before =
          previous.getOrDefault(spec.publicKey(), PeerStatus.initial(spec.publicKey(), spec.label()));
      StatusStep step = machine.next(before, spec, Optional.ofNullable(device.get(spec.publicKey())), now);
      statuses.put(spec.publicKey(), step.status());
      step.endpointToProgram().ifPresent(e -> program.put(spec.publicKey(), e));
      step.programReason().ifPresent(r -> reasons.put(spec.publicKey(), r));
    }
    return new Outcome(statuses, program, reasons);
  }
}
