package io.spanlog.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable set of IP addresses, kept as merged ranges per family, so unions, differences,
 * overlap tests and the minimal covering list of prefixes are exact (like Go's netipx.IPSet,
 * which Talos uses for a peer's allowed IPs).
 */
public final class PrefixSet {
  private static final PrefixSet EMPTY = new PrefixSet(List.of(), List.of());

  /** Inclusive range of addresses as unsigned numbers. */
  record Range(BigInteger lo, BigInteger hi) {}

  private final List<Range> v4;
  private final List<Range> v6;

  private PrefixSet(List<Range> v4, List<Range> v6) {
    this.v4 = v4;
    this.v6 = v6;
  }

  public static PrefixSet empty() {
    return EMPTY;
  }

  public static PrefixSet of(Collection<IpPrefix> prefixes) {
    List<Range> v4 = new ArrayList<>();
    List<Range> v6 = new ArrayList<>();
    for (IpPrefix p : prefixes) {
      (p.isIpv4() ? v4 : v6).add(rangeOf(p));
    }
    return new PrefixSet(normalise(v4), normalise(v6));
  }

  /** The merged IPv4 ranges, ascending (for {@link PrefixOwners}). */
  List<Range> v4Ranges() {
    return v4;
  }

  /** The merged IPv6 ranges, ascending. */
  List<Range> v6Ranges() {
    return v6;
  }

  public boolean isEmpty() {
    return v4.isEmpty() && v6.isEmpty();
  }

  public PrefixSet union(PrefixSet other) {
    return new PrefixSet(normalise(concat(v4, other.v4)), normalise(concat(v6, other.v6)));
  }

  public PrefixSet minus(PrefixSet other) {
    return new PrefixSet(subtract(v4, other.v4), subtract(v6, other.v6));
  }

  public boolean overlaps(PrefixSet other) {
    return intersects(v4, other.v4) || intersects(v6, other.v6);
  }

  public boolean contains(java.net.InetAddress ip) {
    BigInteger n = IpPrefix.toNumber(ip);
    for (Range r : IpPrefix.widthOf(ip) == 32 ? v4 : v6) {
      if (r.lo.compareTo(n) <= 0 && n.compareTo(r.hi) <= 0) {
        return true;
      }
    }
    return false;
  }

  /** The shortest list of prefixes covering exactly this set: IPv4 first, ascending. */
  public List<IpPrefix> prefixes() {
    List<IpPrefix> out = new ArrayList<>();
    for (Range r : v4) {
      cover(r, 32, out);
    }
    for (Range r : v6) {
      cover(r, 128, out);
    }
    return List.copyOf(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrefixSet s && s.v4.equals(v4) && s.v6.equals(v6);
  }

  @Override
  public int hashCode() {
    return v4.hashCode() * 31 + v6.hashCode();
  }

  @Override
  public String toString() {
    return prefixes().toString();
  }

  private static Range rangeOf(IpPrefix p) {
    BigInteger lo = IpPrefix.toNumber(p.address());
    BigInteger size = BigInteger.ONE.shiftLeft(p.width() - p.bits());
    return new Range(lo, lo.add(size).subtract(BigInteger.ONE));
  }

  private static List<Range> concat(List<Range> a, List<Range> b) {
    List<Range> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Sorts and merges overlapping or adjacent ranges. */
  private static List<Range> normalise(List<Range> ranges) {
    if (ranges.isEmpty()) {
      return List.of();
    }
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(Range::lo));
    List<Range> out = new ArrayList<>();
    Range current = sorted.get(0);
    for (Range r : sorted.subList(1, sorted.size())) {
      if (r.lo.compareTo(current.hi.add(BigInteger.ONE)) <= 0) {
        current = new Range(current.lo, current.hi.max(r.hi));
      } else {
        out.add(current);
        current = r;
      }
    }
    out.add(current);
    return List.copyOf(out);
  }

  private static List<Range> subtract(List<Range> from, List<Range> remove) {
    List<Range> out = new ArrayList<>();
    for (Range r : from) {
      BigInteger lo = r.lo;
      for (Range cut : remove) {
        if (cut.hi.compareTo(lo) < 0 || cut.lo.compareTo(r.hi) > 0) {
          continue;
        }
        if (cut.lo.compareTo(lo) > 0) {
          out.add(new Range(lo, cut.lo.subtract(BigInteger.ONE)));
        }
        lo = cut.hi.add(BigInteger.ONE);
        if (lo.compareTo(r.hi) > 0) {
          break;
        }
      }
      if (lo.compareTo(r.hi) <= 0) {
        out.add(new Range(lo, r.hi));
      }
    }
    return List.copyOf(out);
  }

  private static boolean intersects(List<Range> a, List<Range> b) {
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      Range x = a.get(i);
      Range y = b.get(j);
      if (x.hi.compareTo(y.lo) < 0) {
        i++;
      } else if (y.hi.compareTo(x.lo) < 0) {
        j++;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Splits a range into the largest aligned blocks, which is the minimal prefix cover. */
  private static void cover(Range r, int width, List<IpPrefix> out) {
    BigInteger lo = r.lo;
    while (lo.compareTo(r.hi) <= 0) {
      int align = lo.signum() == 0 ? width : Math.min(width, lo.getLowestSetBit());
      int span = r.hi.subtract(lo).add(BigInteger.ONE).bitLength() - 1;
      int k = Math.min(align, span);
      out.add(new IpPrefix(IpPrefix.fromNumber(lo, width), width - k));
      lo = lo.add(BigInteger.ONE.shiftLeft(k));
    }
  }
}
