package io.spanlog.agent.config;

import io.spanlog.net.IpPrefix;
import io.spanlog.net.PrefixSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Talos's {@code filters.endpoints}: CIDRs an own address must match to be published as an
 * endpoint; a leading {@code !} excludes. The allowed set is the union of the positive entries
 * (everything when there are none) minus the union of the negated ones, so the order of entries
 * does not matter.
 */
public final class EndpointFilter {
  private final List<String> rules;
  private final PrefixSet allowed;

  private EndpointFilter(List<String> rules, PrefixSet allowed) {
    this.rules = rules;
    this.allowed = allowed;
  }

  public static EndpointFilter allowAll() {
    return parse(List.of());
  }

  /** @throws IllegalArgumentException naming the entry that is not a CIDR */
  public static EndpointFilter parse(List<String> rules) {
    List<IpPrefix> include = new ArrayList<>();
    List<IpPrefix> exclude = new ArrayList<>();
    for (String rule : rules) {
      String r = rule.trim();
      boolean negate = r.startsWith("!");
      String cidr = negate ? r.substring(1).trim() : r;
      IpPrefix prefix;
      try {
        prefix = IpPrefix.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("entry '" + rule + "' is not a CIDR or !CIDR: " + e.getMessage());
      }
      (negate ? exclude : include).add(prefix);
    }
    if (include.isEmpty()) {
      include.add(IpPrefix.parse("0.0.0.0/0"));
      include.add(IpPrefix.parse("::/0"));
    }
    return new EndpointFilter(List.copyOf(rules), PrefixSet.of(include).minus(PrefixSet.of(exclude)));
  }

  public boolean allows(InetAddress ip) {
    return allowed.contains(ip);
  }

  public List<String> rules() {
    return rules;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EndpointFilter f && f.rules.equals(rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return rules.isEmpty() ? "all" : String.join(", ", rules);
  }
}
