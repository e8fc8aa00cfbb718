package io.spanlog.observer.topology;

import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.metrics.WindowKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Store keys as strings of length-prefixed parts ({@code 9:cluster-a4:node}). Cluster ids may
 * contain any character (a {@code /} or a NUL included), so no separator would do; a
 * length-prefixed encoding is prefix-free, so the key of a cluster, or of a cluster and a node, is
 * a prefix of exactly that cluster's (that node's) entries. Window starts are a fixed-width
 * number of milliseconds, so a cluster's windows scan in time order.
 */
public final class StoreKeys {
  private StoreKeys() {}

  /** The prefix of every entry of a cluster, in every store. */
  public static String cluster(String clusterId) {
    return part(clusterId);
  }

  public static String node(String clusterId, String node) {
    return part(clusterId) + part(node);
  }

  public static String link(LinkKey k) {
    return part(k.clusterId()) + part(k.nodePublicKey()) + part(k.peerPublicKey());
  }

  public static LinkKey link(String key) {
    List<String> p = parts(key, 3);
    return new LinkKey(p.get(0), p.get(1), p.get(2));
  }

  public static String window(WindowKey k) {
    return windowPrefix(k.link().clusterId(), k.windowStart())
        + part(k.link().nodePublicKey()) + part(k.link().peerPublicKey());
  }

  public static WindowKey window(String key) {
    List<String> p = parts(key, 4);
    return new WindowKey(new LinkKey(p.get(0), p.get(2), p.get(3)),
        Instant.ofEpochMilli(Long.parseLong(p.get(1))));
  }

  /** The key every window of the cluster starting at {@code start} begins with. */
  static String windowPrefix(String clusterId, Instant start) {
    return part(clusterId) + part(millis19(start.toEpochMilli()));
  }

  /** Milliseconds as 19 digits, zero-padded (negative as 0): what {@code %019d} gives, without a Formatter per sample. */
  static String millis19(long ms) {
    String digits = Long.toString(Math.max(0, ms));
    return "0".repeat(19 - digits.length()) + digits;
  }

  /** The cluster of any store key (its first part). */
  public static String clusterOf(String key) {
    int colon = key.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a store key");
    }
    int len = Integer.parseInt(key, 0, colon, 10);
    return key.substring(colon + 1, colon + 1 + len);
  }

  /** The last part of a key of {@code count} parts. */
  public static String last(String key, int count) {
    return parts(key, count).get(count - 1);
  }

  static String part(String s) {
    return s.length() + ":" + s;
  }

  static List<String> parts(String key, int count) {
    List<String> out = new ArrayList<>(count);
    int i = 0;
    while (out.size() < count) {
      int colon = key.indexOf(':', i);
      if (colon < 0) {
        throw new IllegalArgumentException("not a store key of " + count + " parts");
      }
      int len = Integer.parseInt(key, i, colon, 10);
      out.add(key.substring(colon + 1, colon + 1 + len));
      i = colon + 1 + len;
    }
    if (i != key.length()) {
      throw new IllegalArgumentException("not a store key of " + count + " parts");
    }
    return out;
  }
}
