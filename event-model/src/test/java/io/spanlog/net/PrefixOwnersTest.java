package io.spanlog.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The owners table answers as an overlap test against each owner's set would, over random sets. */
class PrefixOwnersTest {

  private static PrefixSet set(String... prefixes) {
    return PrefixSet.of(Stream.of(prefixes).map(IpPrefix::parse).toList());
  }

  @Test
  void findsTheOwnerOfAnOverlappingSetButNotTheOneExcepted() {
    var owners = new PrefixOwners<String>();
    owners.put("a", set("10.0.0.0/24", "fd00::1/128"));
    owners.put("b", set("10.0.1.0/24"));
    assertThat(owners.overlapping(set("10.0.0.7/32"), null)).contains("a");
    assertThat(owners.overlapping(set("10.0.0.7/32"), "a")).isEmpty();
    assertThat(owners.overlapping(set("10.0.0.0/23"), "a")).contains("b");
    assertThat(owners.overlapping(set("fd00::/64"), null)).contains("a");
    assertThat(owners.overlapping(set("10.0.2.0/24"), null)).isEmpty(); // adjacent is not overlapping
    assertThatThrownBy(() -> owners.put("c", set("10.0.1.128/25"))).isInstanceOf(IllegalArgumentException.class);
    owners.remove("b", set("10.0.1.0/24"));
    assertThat(owners.overlapping(set("10.0.1.128/25"), null)).isEmpty();
  }

  @Test
  void agreesWithTheOverlapOfEachHeldSetOverRandomSets() {
    for (int seed = 0; seed < 50; seed++) {
      Random random = new Random(seed);
      var owners = new PrefixOwners<Integer>();
      Map<Integer, PrefixSet> held = new LinkedHashMap<>();
      for (int step = 0; step < 200; step++) {
        int owner = random.nextInt(20);
        PrefixSet candidate = randomSet(random);
        Integer except = random.nextBoolean() ? owner : null;
        Optional<Integer> expected = held.entrySet().stream()
            .filter(e -> !e.getKey().equals(except) && e.getValue().overlaps(candidate))
            .map(Map.Entry::getKey).findFirst();
        Optional<Integer> found = owners.overlapping(candidate, except);
        assertThat(found.isPresent()).as("seed %d step %d: %s", seed, step, candidate).isEqualTo(expected.isPresent());
        found.ifPresent(o -> assertThat(held.get(o).overlaps(candidate)).isTrue());
        // replace the owner's set when that is possible, else sometimes take it away
        PrefixSet old = held.get(owner);
        if (owners.overlapping(candidate, owner).isEmpty()) {
          if (old != null) {
            owners.remove(owner, old);
          }
          owners.put(owner, candidate);
          held.put(owner, candidate);
        } else if (old != null && random.nextInt(3) == 0) {
          owners.remove(owner, old);
          held.remove(owner);
        }
      }
    }
  }

  private static PrefixSet randomSet(Random random) {
    List<IpPrefix> prefixes = new ArrayList<>();
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      if (random.nextInt(4) == 0) {
        prefixes.add(IpPrefix.parse("fd00::" + Integer.toHexString(random.nextInt(64)) + "/" + (124 + random.nextInt(5))));
      } else {
        prefixes.add(IpPrefix.parse("10.0." + random.nextInt(4) + "." + random.nextInt(256) + "/"
            + (26 + random.nextInt(7))));
      }
    }
    return PrefixSet.of(prefixes);
  }
}
