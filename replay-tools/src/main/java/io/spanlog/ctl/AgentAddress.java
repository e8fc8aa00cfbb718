package io.spanlog.ctl;

/** Where an agent's status API answers, as the user typed it ({@code host:port}, IPv6 in brackets). */
public record AgentAddress(String host, int port) {
  public static final AgentAddress DEFAULT = new AgentAddress("127.0.0.1", 51890);

  /**
   * Parses {@code host:port} or {@code [v6]:port}.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  public static AgentAddress parse(String typed) {
    int colon = typed.lastIndexOf(':');
    if (colon <= 0 || colon == typed.length() - 1) {
      throw new IllegalArgumentException("--agent must be host:port, not '" + typed + "'");
    }
    String host = typed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("--agent '" + typed + "': put an IPv6 address in brackets, e.g. [::1]:51890");
    }
    int port;
    try {
      port = Integer.parseInt(typed.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--agent '" + typed + "': the port must be 1..65535");
    }
    return new AgentAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
