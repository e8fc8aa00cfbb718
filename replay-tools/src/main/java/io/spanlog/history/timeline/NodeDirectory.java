package io.spanlog.history.timeline;

import io.spanlog.affiliate.DecodedAffiliate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every node the log names, by public key, with the names it is known by: its decrypted
 * affiliate data first (node name, host name, affiliate id), then what samples and observer
 * events call it. Resolves what an operator typed (a name or a key) to one node.
 */
final class NodeDirectory {
  private static final class Known {
    final String publicKey;
    Optional<String> affiliateId = Optional.empty();
    Optional<String> nodename = Optional.empty();
    final Set<String> names = new LinkedHashSet<>();

    Known(String publicKey) {
      this.publicKey = publicKey;
    }

    String display() {
      return nodename.orElseGet(() -> names.stream().findFirst().orElse(publicKey));
    }
  }

  private final Map<String, Known> byKey = new LinkedHashMap<>();

  /** What a node's own decrypted data says; it names the node best. */
  void affiliate(String affiliateId, DecodedAffiliate data) {
    data.kubeSpan().ifPresent(ks -> {
      Known k = known(ks.publicKey());
      k.affiliateId = Optional.of(affiliateId);
      String name = data.nodename().isEmpty() ? data.hostname() : data.nodename();
      if (!name.isEmpty()) {
        k.nodename = Optional.of(name);
        k.names.add(name);
      }
      if (!data.hostname().isEmpty()) {
        k.names.add(data.hostname());
      }
    });
  }

  /** A node seen reporting (a batch or an observer event naming its affiliate id). */
  void reporter(String publicKey, String affiliateId) {
    Known k = known(publicKey);
    if (k.affiliateId.isEmpty() && !affiliateId.isEmpty()) {
      k.affiliateId = Optional.of(affiliateId);
    }
  }

  /** A peer as another node labels it (samples, observer events). */
  void label(String publicKey, String label) {
    if (!label.isEmpty()) {
      known(publicKey).names.add(label);
    }
  }

  private Known known(String publicKey) {
    return byKey.computeIfAbsent(publicKey, Known::new);
  }

  /** The affiliate id the log shows for a node's key. */
  Optional<String> affiliateIdOf(String publicKey) {
    return Optional.ofNullable(byKey.get(publicKey)).flatMap(k -> k.affiliateId);
  }

  /** The best name for a node's key: its own node name, a label, else the key. */
  String nameOf(String publicKey) {
    Known k = byKey.get(publicKey);
    return k == null ? publicKey : k.display();
  }

  /** The node an affiliate id belongs to, if the log shows its key. */
  Optional<String> publicKeyOfAffiliate(String affiliateId) {
    return byKey.values().stream().filter(k -> k.affiliateId.equals(Optional.of(affiliateId)))
        .map(k -> k.publicKey).findFirst();
  }

  /**
   * The node {@code what} names: a public key, else a node name, host name, label or affiliate id.
   *
   * @throws UnknownLinkException naming what is known, when none or several nodes match
   */
  LinkEnd resolve(String what, String role, String clusterId) {
    Known exact = byKey.get(what);
    if (exact != null) {
      return end(exact);
    }
    List<Known> matches = new ArrayList<>();
    for (Known k : byKey.values()) {
      if (k.names.contains(what) || k.affiliateId.equals(Optional.of(what))) {
        matches.add(k);
      }
    }
    if (matches.size() == 1) {
      return end(matches.get(0));
    }
    if (matches.isEmpty()) {
      String known = byKey.values().stream().map(Known::display).distinct().sorted().limit(20)
          .collect(Collectors.joining(", "));
      throw new UnknownLinkException("no node named '" + what + "' (" + role + ") appears in cluster "
          + clusterId + "'s log" + (known.isEmpty() ? ", which names no node in this range"
          : "; nodes it names: " + known + (byKey.size() > 20 ? ", ..." : "")));
    }
    throw new UnknownLinkException("'" + what + "' (" + role + ") names " + matches.size()
        + " nodes of cluster " + clusterId + " (public keys " + matches.stream().map(k -> k.publicKey)
        .collect(Collectors.joining(", ")) + "): give the public key");
  }

  private static LinkEnd end(Known k) {
    return new LinkEnd(k.display(), k.publicKey, k.affiliateId);
  }

  /** The node whose own addresses include {@code ip}, for naming who wrote from there. */
  Optional<String> nameByAddress(String ip, Map<String, Set<String>> addressesByKey) {
    return addressesByKey.entrySet().stream().filter(e -> e.getValue().contains(ip))
        .map(e -> nameOf(e.getKey())).findFirst();
  }
}
