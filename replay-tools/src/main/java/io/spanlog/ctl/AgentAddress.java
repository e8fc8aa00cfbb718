package io.spanlog.ctl;

import io.spanlog.net.HostPort;

/** Where an agent's status API answers, as the user typed it ({@code host:port}, IPv6 in brackets). */
public record AgentAddress(String host, int port) {
  public static final AgentAddress DEFAULT = new AgentAddress("127.0.0.1", 51890);

  /**
   * Parses {@code host:port} or {@code [v6]:port}, as event-model's {@link HostPort} reads every
   * host:port.
   *
   * @throws IllegalArgumentException with a sentence naming {@code --agent} and what is wrong
   */
  public static AgentAddress parse(String typed) {
    HostPort address = HostPort.parse(typed, "--agent");
    return new AgentAddress(address.host(), address.port());
  }

  @Override
  public String toString() {
    return new HostPort(host, port).toString();
  }
}
