package io.spanlog.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void addressesToConnectTo() {
    assertThat(HostPort.parse("10.60.1.1:51890", "--agent")).isEqualTo(new HostPort("10.60.1.1", 51890));
    assertThat(HostPort.parse("node-1.example:3000", "--agent")).isEqualTo(new HostPort("node-1.example", 3000));
    assertThat(HostPort.parse("[::1]:51891", "--agent")).isEqualTo(new HostPort("::1", 51891));
    assertThat(HostPort.parse("[fe80::1%eth0]:1", "--agent").host()).isEqualTo("fe80::1%eth0");
    assertThat(HostPort.parse("[::1]:51891", "--agent").toString()).isEqualTo("[::1]:51891");
    assertThat(HostPort.parse("10.0.0.1:1", "--agent").toString()).isEqualTo("10.0.0.1:1");
  }

  @Test
  void connectErrorsNameTheFieldAndSayWhatIsWrong() {
    assertThatThrownBy(() -> HostPort.parse("node-1", "--agent")).hasMessage("--agent must be host:port, not 'node-1'");
    assertThatThrownBy(() -> HostPort.parse("node-1:", "--agent")).hasMessage("--agent must be host:port, not 'node-1:'");
    assertThatThrownBy(() -> HostPort.parse(":3000", "--agent")).hasMessage("--agent must be host:port, not ':3000'");
    assertThatThrownBy(() -> HostPort.parse("node-1:http", "--agent")).hasMessage("--agent 'node-1:http': the port must be 1..65535");
    assertThatThrownBy(() -> HostPort.parse("node-1:70000", "--agent")).hasMessageContaining("port must be 1..65535");
    assertThatThrownBy(() -> HostPort.parse("node-1:0", "--agent")).hasMessageContaining("port must be 1..65535");
    assertThatThrownBy(() -> HostPort.parse("fd00::1:51890", "--agent"))
        .hasMessage("--agent 'fd00::1:51890': put an IPv6 address in brackets, e.g. [fd00::1]:51890");
    assertThatThrownBy(() -> HostPort.parse("[node-1]:1", "--agent")).hasMessageContaining("[node-1] is not an IPv6 address");
    assertThatThrownBy(() -> HostPort.parse("a b:1", "--agent")).hasMessageContaining("'a b' is not a host name or IP address");
  }

  @Test
  void thePortMayDefault() {
    assertThat(HostPort.parse("d.example", 443, "url")).isEqualTo(new HostPort("d.example", 443));
    assertThat(HostPort.parse("d.example:8443", 443, "url")).isEqualTo(new HostPort("d.example", 8443));
    assertThat(HostPort.parse("[fd00::1]", 80, "url")).isEqualTo(new HostPort("fd00::1", 80));
    assertThat(HostPort.parse("[fd00::1]:3000", 80, "url")).isEqualTo(new HostPort("fd00::1", 3000));
    assertThatThrownBy(() -> HostPort.parse("d.example:", 443, "url")).hasMessage("url must be host or host:port, not 'd.example:'");
  }

  @Test
  void listenAddressesWithoutAHostMeanAllInterfaces() {
    assertThat(HostPort.parseListen(":3000", "--addr")).isEqualTo(new HostPort("0.0.0.0", 3000));
    assertThat(HostPort.parseListen("3000", "--addr")).isEqualTo(new HostPort("0.0.0.0", 3000));
    assertThat(HostPort.parseListen("127.0.0.1:0", "--addr")).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(HostPort.parseListen("[::]:2122", "--metrics-addr")).isEqualTo(new HostPort("::", 2122));
    assertThat(HostPort.parseListen("localhost:3000", "--addr")).isEqualTo(new HostPort("localhost", 3000));
    assertThatThrownBy(() -> HostPort.parseListen("", "--addr")).hasMessage("--addr must be [host]:port or :port, not ''");
    assertThatThrownBy(() -> HostPort.parseListen("127.0.0.1:", "--addr")).hasMessageContaining("[host]:port or :port");
    assertThatThrownBy(() -> HostPort.parseListen(":http", "--addr")).hasMessage("--addr ':http': the port must be 0..65535");
    assertThatThrownBy(() -> HostPort.parseListen("::1:3000", "--addr")).hasMessageContaining("brackets");
  }
}
