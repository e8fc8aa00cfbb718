package io.spanlog.agent.discovery;

import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.net.IpText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The discovery endpoints of an agent, in the order configured, and the place in use: an endpoint
 * whose host is a name stands for every address the name resolves to, tried one after the other.
 * After a failure the client moves to the next place (the next address, else the next endpoint);
 * past the last it starts again at the first endpoint and resolves names afresh. A round is every
 * place tried once since the last one that worked: the client backs off only between rounds, so a
 * dead instance costs one failed attempt, not a backoff, when another one answers.
 *
 * <p>Not thread-safe: the client keeps it on its context.
 */
public final class DiscoveryRotation {

  /** Resolves a host name to all its addresses (the JDK's resolver by default: /etc/hosts, DNS). */
  @FunctionalInterface
  public interface Resolver {
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /**
   * Where to connect: the endpoint, and the address of its name to use (empty when the host is an
   * IP literal or has not been resolved).
   */
  public record Place(DiscoveryTarget target, Optional<InetAddress> address) {
    public Place {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
      return target + address.map(a -> " (" + IpText.format(a) + ")").orElse("");
    }
  }

  private final List<DiscoveryTarget> targets;
  private int index;
  private List<InetAddress> addresses = List.of();
  private int addressIndex;
  private Optional<DiscoveryTarget> redirected = Optional.empty();
  private int roundStart;

  public DiscoveryRotation(List<DiscoveryTarget> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no discovery endpoint");
    }
    this.targets = List.copyOf(targets);
  }

  public List<DiscoveryTarget> targets() {
    return targets;
  }

  /** The endpoint in use (a redirect's target while it lasts). */
  public DiscoveryTarget target() {
    return redirected.orElse(targets.get(index));
  }

  public Place place() {
    return new Place(target(), addresses.isEmpty() ? Optional.empty() : Optional.of(addresses.get(addressIndex)));
  }

  /** Whether the endpoint in use is a name not resolved in this round yet. */
  public boolean needsResolving() {
    return addresses.isEmpty() && IpText.literal(target().host()).isEmpty();
  }

  /** The addresses the endpoint in use resolved to; the first is used now. */
  public void resolved(List<InetAddress> all) {
    addresses = List.copyOf(all);
    addressIndex = 0;
  }

  /** Hello answered with a redirect: use {@code next} until the next failure. */
  public void redirect(DiscoveryTarget next) {
    redirected = Optional.of(next);
    addresses = List.of();
    addressIndex = 0;
  }

  /** The place in use works (a Watch snapshot came): a new round starts here. */
  public void worked() {
    roundStart = index;
  }

  /**
   * Moves to the next place after a failure.
   *
   * @return true when every place has now failed once in this round (back off before the next try)
   */
  public boolean next() {
    if (redirected.isPresent()) {
      // the redirect's target failed: that is a failure of the place that redirected
      redirected = Optional.empty();
    } else if (addressIndex + 1 < addresses.size()) {
      addressIndex++;
      return false;
    }
    index = (index + 1) % targets.size();
    addresses = List.of();
    addressIndex = 0;
    return index == roundStart;
  }
}
