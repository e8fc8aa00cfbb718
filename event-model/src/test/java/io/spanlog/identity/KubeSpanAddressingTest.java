package io.spanlog.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubeSpanAddressingTest {
  private static final String CLUSTER_ID = "8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=";

  @Test
  void specVector() {
    assertThat(KubeSpanAddressing.clusterSubnet(CLUSTER_ID).toString())
        .isEqualTo("fd7f:175a:b97c:5602::/64");
    assertThat(
            KubeSpanAddressing.nodeAddress(CLUSTER_ID, KubeSpanAddressing.parseMac("2e:1a:b6:53:81:69"))
                .toString())
        .isEqualTo("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
  }

  @Test
  void theIdIsHashedAsTextNotDecoded() {
    // same 32 bytes in URL-safe and standard base64 are different clusters
    assertThat(KubeSpanAddressing.clusterSubnet("8XuV9TZHW08DOk3bVxQjH9ih/TBKjnh+j44tsCLSBzo="))
        .isNotEqualTo(KubeSpanAddressing.clusterSubnet(CLUSTER_ID));
  }

  @Test
  void nodeAddressLiesInTheClusterSubnet() {
    var subnet = KubeSpanAddressing.clusterSubnet("c");
    var address = KubeSpanAddressing.nodeAddress("c", new byte[] {0, 1, 2, 3, 4, 5});
    assertThat(subnet.contains(address.address())).isTrue();
    assertThat(address.toString()).endsWith(":201:2ff:fe03:405/128");
  }

  @Test
  void rejectsMalformedMacs() {
    assertThatThrownBy(() -> KubeSpanAddressing.parseMac("2e:1a:b6:53:81")).hasMessageContaining("MAC");
    assertThatThrownBy(() -> KubeSpanAddressing.nodeAddress("c", new byte[8])).hasMessageContaining("6 bytes");
  }
}
