package io.spanlog.agent.status;

import io.spanlog.net.Endpoint;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One reconcile pass over all peers.
 *
 * @param statuses the new status of every peer in the specs, by public key (sorted)
 * @param endpointsToProgram endpoints to write to the device now, by public key
 * @param programReasons why each of those is written, by public key
 */
public record Reconciled(
    SortedMap<String, PeerStatus> statuses,
    Map<String, Endpoint> endpointsToProgram,
    Map<String, String> programReasons) {
  public Reconciled {
    statuses = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(statuses));
    endpointsToProgram = Map.copyOf(endpointsToProgram);
    programReasons = Map.copyOf(programReasons);
  }
}
