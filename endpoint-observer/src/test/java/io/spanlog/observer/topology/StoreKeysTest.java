package io.spanlog.observer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.metrics.WindowKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreKeysTest {
  @Test
  void keysRoundTripWhateverTheClusterIdContains() {
    for (String cluster : new String[] {"a", "prod/eu-1", "a\u0000b", "3:abc", "", "ü/ß"}) {
      LinkKey link = new LinkKey(cluster, "k1:", "k2");
      WindowKey window = new WindowKey(link, Instant.parse("2026-11-25T10:01:00Z"));

      assertThat(StoreKeys.link(StoreKeys.link(link))).isEqualTo(link);
      assertThat(StoreKeys.window(StoreKeys.window(window))).isEqualTo(window);
      assertThat(StoreKeys.link(link)).startsWith(StoreKeys.cluster(cluster));
    }
  }

  @Test
  void oneClustersPrefixIsNoOtherClustersPrefix() {
    String ab = StoreKeys.link(new LinkKey("ab", "n", "p"));
    String a = StoreKeys.cluster("a");
    String abc = StoreKeys.cluster("abc");

    assertThat(ab).doesNotStartWith(a).doesNotStartWith(abc);
  }

  @Test
  void windowsOfAClusterSortByStart() {
    LinkKey z = new LinkKey("c", "zzz", "zzz");
    LinkKey a = new LinkKey("c", "a", "a");
    String early = StoreKeys.window(new WindowKey(z, Instant.parse("2026-11-25T09:59:00Z")));
    String late = StoreKeys.window(new WindowKey(a, Instant.parse("2026-11-25T10:00:00Z")));

    assertThat(early).isLessThan(late);
  }

  @Test
  void windowStartsAreNineteenDigitsAsFormatWritesThem() {
    for (long ms : new long[] {0, 1, 59_999, 1_764_064_800_000L, Long.MAX_VALUE, -5}) {
      assertThat(StoreKeys.millis19(ms)).isEqualTo(String.format("%019d", Math.max(0, ms)));
    }
  }

  @Test
  void aKeyOfTheWrongShapeIsRefused() {
    assertThatThrownBy(() -> StoreKeys.link("1:a1:b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoreKeys.link("1:a1:b1:c1:d")).isInstanceOf(IllegalArgumentException.class);
  }
}
