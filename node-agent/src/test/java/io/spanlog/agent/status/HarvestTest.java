package io.spanlog.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The harvest after a change of a few peers equals the harvest over every peer. */
class HarvestTest {

  private static PeerSpec spec(int i) {
    return new PeerSpec(String.format("key-%03d", i), "n" + i, IpText.parse("fd00::" + (i + 1)), List.of(), List.of(),
        "n" + i);
  }

  private static PeerStatus status(int i, Random random) {
    boolean up = random.nextInt(3) > 0;
    Optional<Endpoint> endpoint = random.nextInt(5) == 0 ? Optional.empty()
        : Optional.of(Endpoint.parse("10.0.0." + (i % 250) + ":" + (51820 + random.nextInt(3))));
    return new PeerStatus(spec(i).publicKey(), "n" + i, endpoint, endpoint, Optional.empty(), Optional.empty(), 0, 0,
        up ? PeerState.UP : PeerState.UNKNOWN, "test");
  }

  @Test
  void replacingTheChangedPeersEqualsTheHarvestOfAll() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      var specs = new TreeMap<String, PeerSpec>();
      var statuses = new TreeMap<String, PeerStatus>();
      for (int i = 0; i < 30; i++) {
        if (random.nextBoolean()) {
          specs.put(spec(i).publicKey(), spec(i));
          statuses.put(spec(i).publicKey(), status(i, random));
        }
      }
      List<HarvestedEndpoint> before = Harvest.of(statuses, List.copyOf(specs.values()));
      Set<String> changedKeys = new HashSet<>();
      List<PeerSpec> changedSpecs = new ArrayList<>();
      for (int n = 1 + random.nextInt(4); n > 0; n--) {
        int i = random.nextInt(30);
        String key = spec(i).publicKey();
        changedKeys.add(key);
        changedSpecs.removeIf(s -> s.publicKey().equals(key));
        if (random.nextInt(3) == 0) { // left
          specs.remove(key);
          statuses.remove(key);
        } else { // joined or changed
          specs.put(key, spec(i));
          statuses.put(key, status(i, random));
          changedSpecs.add(spec(i));
        }
      }
      assertThat(Harvest.replacing(before, changedKeys, statuses, changedSpecs)).as("seed %d", seed)
          .isEqualTo(Harvest.of(statuses, List.copyOf(specs.values())));
    }
  }
}
