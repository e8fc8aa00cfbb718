package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceAddressTextTest {

  @Test
  void ipv6IsPrintedInItsShortForm() {
    assertThat(AllowedIp.parse("fd00:0:0:0:0:0:0:1/128")).hasToString("fd00::1/128");
    assertThat(AllowedIp.parse("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169")).hasToString(
        "fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
    assertThat(AllowedIp.parse("::/0")).hasToString("::/0");
    assertThat(AllowedIp.parse("1:0:0:2:0:0:0:3/128")).hasToString("1:0:0:2::3/128");
    assertThat(DeviceAddressText.formatEndpoint(TestKeys.endpoint("fd00::2", 51820))).isEqualTo("[fd00::2]:51820");
  }

  @Test
  void prefixesAreMasked() {
    assertThat(AllowedIp.parse("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64")).hasToString("fd7f:175a:b97c:5602::/64");
    assertThat(AllowedIp.parse("10.1.2.3/8")).isEqualTo(AllowedIp.parse("10.0.0.0/8"));
  }

  @Test
  void namesAreNotAddresses() {
    assertThatThrownBy(() -> AllowedIp.parse("example.com/32")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> DeviceAddressText.parseEndpoint("fd00::1:51820")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> AllowedIp.parse("10.0.0.0/33")).hasMessageContaining("outside 0..32");
  }

  @Test
  void readsAddressesFromIpOutput() {
    String out = "5: kubespan    inet6 fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64 scope global \\       valid_lft forever\n";
    assertThat(IpLink.parseAddresses(out)).containsExactly("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64");
  }

  @Test
  void interfaceNamesAreChecked() {
    assertThat(InterfaceNames.require("kubespan")).isEqualTo("kubespan");
    assertThatThrownBy(() -> InterfaceNames.require("../etc/passwd")).hasMessageContaining("not valid");
    assertThatThrownBy(() -> InterfaceNames.require("a-very-long-interface")).hasMessageContaining("15");
    assertThatThrownBy(() -> InterfaceNames.require("-force")).hasMessageContaining("must not start with '-'");
    assertThatThrownBy(() -> InterfaceNames.require("-")).hasMessageContaining("must not start with '-'");
  }
}
