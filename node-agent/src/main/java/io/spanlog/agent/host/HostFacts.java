package io.spanlog.agent.host;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the agent needs to know about the machine it runs on. The real machine is {@link
 * SystemHost}; agents simulated in one JVM each get a {@link FixedHost} of their own.
 */
public interface HostFacts {

  /** The machine's host name. */
  String hostname();

  /** The first hardware address (input of the KubeSpan address); empty when there is none. */
  Optional<byte[]> firstMac(String wireGuardInterface);

  /** The node's current addresses (any order; filtering is the affiliate builder's job). */
  List<InetAddress> addresses(String wireGuardInterface);
}
