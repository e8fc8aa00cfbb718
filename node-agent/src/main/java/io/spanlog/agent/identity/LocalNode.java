package io.spanlog.agent.identity;

import java.util.Objects;

/**
 * This node as its agent runs it: the ids and names others know it by and its KubeSpan identity.
 * Its text form shows no private key (the identity's hides it).
 */
public record LocalNode(
    String nodeId, KubeSpanIdentity identity, String hostname, String nodename, String clusterId,
    String interfaceName, int listenPort) {
  public LocalNode {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(nodename, "nodename");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(interfaceName, "interfaceName");
  }
}
