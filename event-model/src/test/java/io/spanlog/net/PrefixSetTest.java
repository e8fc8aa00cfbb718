package io.spanlog.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PrefixSetTest {

  private static PrefixSet set(String... prefixes) {
    return PrefixSet.of(Stream.of(prefixes).map(IpPrefix::parse).toList());
  }

  private static List<String> text(PrefixSet s) {
    return s.prefixes().stream().map(IpPrefix::toString).toList();
  }

  @Test
  void mergesAdjacentAndContainedPrefixesIntoTheMinimalList() {
    assertThat(text(set("10.0.0.0/25", "10.0.0.128/25", "10.0.0.7/32", "fd00::1/128")))
        .containsExactly("10.0.0.0/24", "fd00::1/128");
  }

  @Test
  void coversANonAlignedRangeWithTheFewestPrefixes() {
    // .1 to .6 cannot be one prefix: /32, /31, /31, /32
    assertThat(text(set("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6")))
        .containsExactly("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32");
  }

  @Test
  void subtractionSplitsAPrefix() {
    assertThat(text(set("10.0.0.0/24").minus(set("10.0.0.0/25", "10.0.0.192/26"))))
        .containsExactly("10.0.0.128/26");
    assertThat(set("10.0.0.0/24").minus(set("0.0.0.0/0")).isEmpty()).isTrue();
  }

  @Test
  void overlapIsPerFamilyAndExact() {
    assertThat(set("10.0.0.0/24").overlaps(set("10.0.0.255"))).isTrue();
    assertThat(set("10.0.0.0/24").overlaps(set("10.0.1.0"))).isFalse();
    assertThat(set("::/0").overlaps(set("10.0.0.1"))).isFalse();
  }

  @Test
  void masksHostBitsAndFormatsIpv6Compressed() {
    assertThat(IpPrefix.parse("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64").toString())
        .isEqualTo("fd7f:175a:b97c:5602::/64");
    assertThat(text(set("::/0"))).containsExactly("::/0");
    assertThat(text(set("0.0.0.0/0"))).containsExactly("0.0.0.0/0");
  }

  @Test
  void containsAnAddressOnlyOfItsFamily() {
    assertThat(set("10.0.0.0/8").contains(IpText.parse("10.9.9.9"))).isTrue();
    assertThat(set("10.0.0.0/8").contains(IpText.parse("11.0.0.0"))).isFalse();
    assertThat(set("10.0.0.0/8").contains(IpText.parse("::a00:1"))).isFalse();
  }
}
