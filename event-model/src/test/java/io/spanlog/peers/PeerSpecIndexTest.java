package io.spanlog.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The incremental peer specs always equal the full compute. A plain loop over seeded random
 * sequences (no property framework: the generator is ten lines and a failing seed is printed),
 * drawn from small pools so that duplicate keys, overlapping allowed IPs, invalid keys, the local
 * key and affiliates without KubeSpan all occur often.
 */
class PeerSpecIndexTest {
  private static final int SEQUENCES = 100;
  private static final int STEPS = 150;

  private static String key(int i) {
    byte[] raw = new byte[32];
    raw[0] = (byte) i;
    raw[31] = (byte) (i * 7);
    return Base64.getEncoder().encodeToString(raw);
  }

  private static final String LOCAL = key(99);

  @Test
  void incrementalUpdatesEqualTheFullComputeOverRandomSequences() {
    long decided = 0;
    long fellBack = 0;
    for (int seed = 0; seed < SEQUENCES; seed++) {
      Random random = new Random(seed);
      var index = new PeerSpecIndex(LOCAL);
      var view = new TreeMap<String, AffiliateView>();
      for (int step = 0; step < STEPS; step++) {
        String id = "aff-" + random.nextInt(14);
        Optional<AffiliateView> next = random.nextInt(5) == 0 ? Optional.empty() : Optional.of(affiliate(id, random));
        next.ifPresentOrElse(v -> view.put(id, v), () -> view.remove(id));
        List<AffiliateView> all = List.copyOf(view.values());
        Optional<PeerSpecSet> incremental = index.update(id, next);
        PeerSpecSet expected = PeerSpecs.compute(LOCAL, all);
        if (incremental.isPresent()) {
          decided++;
          assertThat(incremental.get()).as("seed %d step %d: %s of %s", seed, step, id, next).isEqualTo(expected);
        } else {
          fellBack++;
          assertThat(index.full(all)).isEqualTo(expected);
        }
        assertThat(index.specs()).as("seed %d step %d", seed, step).isEqualTo(expected);
      }
    }
    System.out.printf("PeerSpecIndexTest: %d decided alone, %d fell back%n", decided, fellBack);
    // both paths are exercised, and the incremental one is the common one
    assertThat(decided).isGreaterThan(fellBack);
    assertThat(fellBack).isPositive();
  }

  @Test
  void aChangeWithoutConflictIsDecidedAloneAndAConflictFallsBack() {
    var index = new PeerSpecIndex(LOCAL);
    var a = view("a", key(1), "fd00::1", List.of("10.0.0.1"), List.of());
    var b = view("b", key(2), "fd00::2", List.of("10.0.0.2"), List.of());
    index.full(List.of(a, b));
    var b2 = view("b", key(2), "fd00::2", List.of("10.0.0.3"), List.of());
    assertThat(index.update("b", Optional.of(b2))).contains(PeerSpecs.compute(LOCAL, List.of(a, b2)));
    var clash = view("c", key(3), "fd00::3", List.of("10.0.0.1"), List.of());
    assertThat(index.update("c", Optional.of(clash))).isEmpty();
    assertThat(index.specs()).isEqualTo(PeerSpecs.compute(LOCAL, List.of(a, b2)));
    var sameKey = view("d", key(1), "fd00::4", List.of("10.0.0.4"), List.of());
    assertThat(index.update("d", Optional.of(sameKey))).isEmpty();
  }

  /** Mostly a peer of its own (key and addresses from its id); often enough a conflict. */
  private static AffiliateView affiliate(String id, Random random) {
    int own = Integer.parseInt(id.substring("aff-".length()));
    int other = random.nextInt(14);
    String publicKey = switch (random.nextInt(60)) {
      case 0 -> LOCAL;
      case 1 -> "not-a-key";
      case 2 -> key(10 + other);
      default -> key(10 + own);
    };
    List<String> addresses = new ArrayList<>();
    for (int n = random.nextInt(3); n > 0; n--) {
      int net = random.nextInt(50) == 0 ? other : own;
      addresses.add("10.0." + net + "." + random.nextInt(8));
    }
    List<String> extra = random.nextInt(40) == 0 ? List.of("10.0." + other + ".0/29") : List.of();
    String overlay = "fd00::" + Integer.toHexString(1 + (random.nextInt(50) == 0 ? other : own));
    if (random.nextInt(12) == 0) {
      return new AffiliateView(id, new DecodedAffiliate(id, List.of(IpText.parse("10.1.0.1")), id, "", "worker",
          "Spanlog", Optional.empty()), List.of());
    }
    return view(id, publicKey, overlay, addresses, extra, addresses.stream().map(a -> a + ":51820").toArray(String[]::new));
  }

  private static AffiliateView view(
      String id, String key, String overlay, List<String> addresses, List<String> extra, String... endpoints) {
    var data = new DecodedAffiliate(id, addresses.stream().map(IpText::parse).toList(), id + ".example", "node-" + id,
        "worker", "Spanlog", Optional.of(new KubeSpanInfo(key, IpText.parse(overlay),
            extra.stream().map(IpPrefix::parse).toList(), List.of())));
    return new AffiliateView(id, data, List.of(endpoints).stream().map(Endpoint::parse).toList());
  }
}
