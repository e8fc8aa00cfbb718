package io.spanlog.agent.api;

import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.agent.status.PeerStatus;
import io.spanlog.peers.PeerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * talosctl's VERSION of each resource this node shows: how many times that resource changed on
 * this node. A resource is created at version 1; each time a pass leaves it with other content its
 * version goes up by one, and a pass that leaves it as it was keeps the version (so VERSION counts
 * changes, not passes). A resource that disappears is forgotten: if it comes back it starts again
 * at 1, as a resource destroyed and created again does in Talos.
 *
 * <p>Resources: the identity ({@code kubespanidentities}, id {@code local}: node id, key, address,
 * subnet, names, interface and port; not the discovery or telemetry connection, which change
 * without the identity changing), one peer spec and one peer status per peer (id: its public key),
 * and the harvested endpoints of each peer ({@code kubespanendpoints}, id: its public key).
 *
 * <p>Immutable: {@link #next} returns the versions after a pass, together with the state they
 * describe, so a reader gets a state and its versions in one read.
 */
public final class ResourceVersions {
  /** Before the first pass: no resource, nothing counted. */
  public static final ResourceVersions NONE =
      new ResourceVersions(AgentState.INITIAL, Map.of(), Map.of(), Map.of(), Map.of());

  private record Counted(Object content, long version) {}

  private final AgentState state;
  private final Map<String, Counted> identity;
  private final Map<String, Counted> peerSpecs;
  private final Map<String, Counted> peerStatuses;
  private final Map<String, Counted> endpoints;

  private ResourceVersions(AgentState state, Map<String, Counted> identity, Map<String, Counted> peerSpecs,
      Map<String, Counted> peerStatuses, Map<String, Counted> endpoints) {
    this.state = state;
    this.identity = identity;
    this.peerSpecs = peerSpecs;
    this.peerStatuses = peerStatuses;
    this.endpoints = endpoints;
  }

  /** The versions once {@code self} and the pass's {@code next} state are what the node shows. */
  public ResourceVersions next(LocalNode self, AgentState next) {
    Objects.requireNonNull(next, "next");
    Map<String, Object> id = new HashMap<>();
    if (self != null) {
      id.put("local", self);
    }
    Map<String, Object> specs = new HashMap<>();
    for (PeerSpec p : next.specs().peers()) {
      specs.put(p.publicKey(), p);
    }
    Map<String, Object> statuses = new HashMap<>();
    for (PeerStatus s : next.statuses().values()) {
      statuses.put(s.publicKey(), s);
    }
    Map<String, Object> harvested = new HashMap<>();
    for (HarvestedEndpoint h : next.harvested()) {
      @SuppressWarnings("unchecked")
      List<HarvestedEndpoint> of = (List<HarvestedEndpoint>) harvested.computeIfAbsent(h.publicKey(), k -> new ArrayList<>());
      of.add(h);
    }
    harvested.replaceAll((k, v) -> List.copyOf((List<?>) v));
    return new ResourceVersions(next, count(identity, id), count(peerSpecs, specs), count(peerStatuses, statuses),
        count(endpoints, harvested));
  }

  private static Map<String, Counted> count(Map<String, Counted> before, Map<String, Object> now) {
    Map<String, Counted> after = new HashMap<>();
    now.forEach((id, content) -> {
      Counted was = before.get(id);
      after.put(id, was == null ? new Counted(content, 1)
          : was.content().equals(content) ? was : new Counted(content, was.version() + 1));
    });
    return Map.copyOf(after);
  }

  /** The state these versions describe (the last pass's). */
  public AgentState state() {
    return state;
  }

  /** The identity's version; 0 before the agent's first pass counted it. */
  public long identity() {
    return version(identity, "local");
  }

  /** The version of the peer spec for the peer with this public key; 0 if there is none. */
  public long peerSpec(String publicKey) {
    return version(peerSpecs, publicKey);
  }

  public long peerStatus(String publicKey) {
    return version(peerStatuses, publicKey);
  }

  /** The version of the endpoints harvested for the peer with this public key. */
  public long endpoints(String publicKey) {
    return version(endpoints, publicKey);
  }

  private static long version(Map<String, Counted> of, String id) {
    Counted c = of.get(id);
    return c == null ? 0 : c.version();
  }
}
