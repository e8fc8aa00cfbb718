package io.spanlog.affiliate;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plaintext of an affiliate's data (the {@code sidero.discovery.client.Affiliate} payload):
 * what a node says about itself. The same record serves to build the local node's payload.
 *
 * @param nodeId the node id (equals the affiliate id on the wire for Talos nodes)
 * @param addresses the node's routed addresses, without its KubeSpan address
 * @param kubeSpan present when KubeSpan is on
 */
public record DecodedAffiliate(
    String nodeId,
    List<InetAddress> addresses,
    String hostname,
    String nodename,
    String machineType,
    String os,
    Optional<KubeSpanInfo> kubeSpan) {
  public DecodedAffiliate {
    Objects.requireNonNull(nodeId, "nodeId");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(nodename, "nodename");
    Objects.requireNonNull(machineType, "machineType");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(kubeSpan, "kubeSpan");
  }
}
