package io.spanlog.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void textFormIsIpColonPortWithBracketsForIpv6() {
    assertThat(Endpoint.parse("10.0.0.2:51820").toString()).isEqualTo("10.0.0.2:51820");
    assertThat(Endpoint.parse("[FD00:0:0::1]:51820").toString()).isEqualTo("[fd00::1]:51820");
    assertThat(Endpoint.parse("[2001:db8:0:0:1:0:0:1]:1").toString())
        .isEqualTo("[2001:db8::1:0:0:1]:1");
  }

  @Test
  void rejectsHostNamesInsteadOfResolvingThem() {
    assertThatThrownBy(() -> Endpoint.parse("localhost:51820"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> Endpoint.parse("10.0.0.256:1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsMalformedPortsAndUnbracketedIpv6() {
    assertThatThrownBy(() -> Endpoint.parse("10.0.0.1:99999")).hasMessageContaining("port");
    assertThatThrownBy(() -> Endpoint.parse("10.0.0.1:")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.parse("fd00::1:51820")).hasMessageContaining("brackets");
  }

  @Test
  void ipv4MappedIpv6StaysIpv6() {
    assertThat(IpPrefix.parse("::ffff:10.0.0.1/128").width()).isEqualTo(128);
  }
}
