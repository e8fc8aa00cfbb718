package io.spanlog.net;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Address sets that do not overlap, each held by an owner (a peer's public key): which owner, if
 * any, holds an address of a given set. An overlap test costs a few tree look-ups per range of the
 * set asked about, whatever the number of owners, where a test against the union of all the sets
 * ({@link PrefixSet#overlaps}) costs one step per range held.
 *
 * <p>Mutable, not thread-safe: one owner thread.
 */
public final class PrefixOwners<K> {
  /** One range of one owner's set; the map key is its first address. */
  private record Held<K>(BigInteger hi, K owner) {}

  private final TreeMap<BigInteger, Held<K>> v4 = new TreeMap<>();
  private final TreeMap<BigInteger, Held<K>> v6 = new TreeMap<>();

  /**
   * An owner other than {@code except} holding an address of {@code set}, if there is one ({@code
   * except} may be null: any owner).
   */
  public Optional<K> overlapping(PrefixSet set, K except) {
    Optional<K> found = overlapping(v4, set.v4Ranges(), except);
    return found.isPresent() ? found : overlapping(v6, set.v6Ranges(), except);
  }

  /**
   * Gives {@code owner} the addresses of {@code set}, which must overlap none held, its own
   * included (ask {@link #overlapping} first, and {@link #remove} an owner's old set before giving
   * it a new one).
   */
  public void put(K owner, PrefixSet set) {
    Objects.requireNonNull(owner, "owner");
    if (overlapping(set, null).isPresent()) {
      throw new IllegalArgumentException(set + " overlaps addresses held by another owner");
    }
    put(v4, set.v4Ranges(), owner);
    put(v6, set.v6Ranges(), owner);
  }

  /** Takes back from {@code owner} the addresses of {@code set} it was given. */
  public void remove(K owner, PrefixSet set) {
    remove(v4, set.v4Ranges(), owner);
    remove(v6, set.v6Ranges(), owner);
  }

  private static <K> Optional<K> overlapping(TreeMap<BigInteger, Held<K>> held, List<PrefixSet.Range> ranges,
      K except) {
    for (PrefixSet.Range r : ranges) {
      // held ranges are disjoint, so their ends ascend with their starts: walk down from the last
      // one starting at or before r's end until one ends before r starts
      for (Map.Entry<BigInteger, Held<K>> e = held.floorEntry(r.hi());
          e != null && e.getValue().hi().compareTo(r.lo()) >= 0;
          e = held.lowerEntry(e.getKey())) {
        if (!e.getValue().owner().equals(except)) {
          return Optional.of(e.getValue().owner());
        }
      }
    }
    return Optional.empty();
  }

  private static <K> void put(TreeMap<BigInteger, Held<K>> held, List<PrefixSet.Range> ranges, K owner) {
    for (PrefixSet.Range r : ranges) {
      held.put(r.lo(), new Held<>(r.hi(), owner));
    }
  }

  private static <K> void remove(TreeMap<BigInteger, Held<K>> held, List<PrefixSet.Range> ranges, K owner) {
    for (PrefixSet.Range r : ranges) {
      Held<K> h = held.get(r.lo());
      if (h != null && h.owner().equals(owner) && h.hi().equals(r.hi())) {
        held.remove(r.lo());
      }
    }
  }
}
