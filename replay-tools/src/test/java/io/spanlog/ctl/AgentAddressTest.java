package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentAddressTest {

  @Test
  void hostPortAndBracketedIpv6AreRead() {
    assertThat(AgentAddress.parse("10.60.1.1:51890")).isEqualTo(new AgentAddress("10.60.1.1", 51890));
    assertThat(AgentAddress.parse("[::1]:51891")).isEqualTo(new AgentAddress("::1", 51891));
    assertThat(AgentAddress.parse("[::1]:51891").toString()).isEqualTo("[::1]:51891");
  }

  @Test
  void malformedAddressesAreRefusedWithASentence() {
    assertThatThrownBy(() -> AgentAddress.parse("node-1")).hasMessage("--agent must be host:port, not 'node-1'");
    assertThatThrownBy(() -> AgentAddress.parse("node-1:")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> AgentAddress.parse("node-1:http")).hasMessageContaining("port must be 1..65535");
    assertThatThrownBy(() -> AgentAddress.parse("node-1:70000")).hasMessageContaining("port must be 1..65535");
    assertThatThrownBy(() -> AgentAddress.parse("fd00::1:51890")).hasMessageContaining("brackets");
  }
}
