package io.spanlog.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.demo.BackendChoice.Kind;
import io.spanlog.demo.BackendChoice.Machine;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendChoiceTest {

  @Test
  void rootWithTheToolsRunsRealWireGuardInNamespaces() {
    BackendChoice c = BackendChoice.decide(new Machine(true, List.of(), true, true), false);
    assertThat(c.kind()).isEqualTo(Kind.NAMESPACES);
    assertThat(c.packagesToInstall()).isEmpty();
  }

  @Test
  void rootOnDebianWithToolsMissingInstallsThemRatherThanFallingBack() {
    BackendChoice c = BackendChoice.decide(new Machine(true, List.of("wireguard-go", "wg"), true, true), false);
    assertThat(c.kind()).isEqualTo(Kind.NAMESPACES);
    assertThat(c.packagesToInstall()).containsExactly("wireguard-go", "wireguard-tools", "iproute2", "iputils-ping");
    assertThat(c.reason()).contains("wireguard-go, wg");
  }

  @Test
  void withoutRootItRunsSimulatedAndSaysWhy() {
    BackendChoice c = BackendChoice.decide(new Machine(false, List.of("wireguard-go"), true, true), false);
    assertThat(c.kind()).isEqualTo(Kind.MEMORY);
    assertThat(c.packagesToInstall()).isEmpty();
    assertThat(c.reason()).contains("root");
  }

  @Test
  void rootWithoutAptAndWithoutTheToolsRunsSimulatedNamingTheMissingTools() {
    BackendChoice c = BackendChoice.decide(new Machine(true, List.of("wireguard-go"), false, true), false);
    assertThat(c.kind()).isEqualTo(Kind.MEMORY);
    assertThat(c.reason()).contains("wireguard-go").contains("apt-get");
  }

  @Test
  void memoryFlagWinsAndNoTunDeviceMeansSimulated() {
    assertThat(BackendChoice.decide(new Machine(true, List.of(), true, true), true).kind()).isEqualTo(Kind.MEMORY);
    BackendChoice noTun = BackendChoice.decide(new Machine(true, List.of(), true, false), false);
    assertThat(noTun.kind()).isEqualTo(Kind.MEMORY);
    assertThat(noTun.reason()).contains("/dev/net/tun");
  }
}
