package io.spanlog.agent.status;

import io.spanlog.net.Endpoint;
import io.spanlog.peers.PeerSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs the {@link PeerStatusMachine} over every peer spec. Statuses of peers that left the specs
 * are dropped, as the device reconcile removes those peers.
 */
public final class StatusReconciler {
  private final PeerStatusMachine machine;

  public StatusReconciler(StatusTimings timings) {
    this.machine = new PeerStatusMachine(timings);
  }

  public Reconciled reconcile(
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
    return new Reconciled(statuses, program, reasons);
  }
}
