package io.spanlog.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpTextTest {
  @Test
  void literalsFromClientTextAreIpAddressesOrNothing() {
    assertThat(IpText.literal(" 10.0.0.1 ")).contains(IpText.parse("10.0.0.1"));
    assertThat(IpText.literal("fd00::1")).contains(IpText.parse("fd00::1"));
    assertThat(IpText.literal("[fd00::1]")).contains(IpText.parse("fd00::1"));
    assertThat(IpText.literal("localhost")).isEmpty(); // never a DNS lookup
    assertThat(IpText.literal("")).isEmpty();
    assertThat(IpText.literal(null)).isEmpty();
  }
}
