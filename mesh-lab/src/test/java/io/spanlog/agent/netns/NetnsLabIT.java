package io.spanlog.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.os.CommandRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetnsLabIT {
  private static NetnsLab lab;

  @BeforeAll
  static void buildLab() {
    E2eRequirement.requireNetnsLab();
    lab = NetnsLab.create("splab", 2, 94);
  }

  @AfterAll
  static void removeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void nodesReachEachOtherOnBothLinksAndTheRootNamespace() {
    LabNode one = lab.node(1);
    assertThat(ping(one, lab.node(2).underlay(1).getHostAddress())).isTrue();
    assertThat(ping(one, lab.node(2).underlay(2).getHostAddress())).isTrue();
    assertThat(ping(one, lab.rootAddress(1).getHostAddress())).isTrue();
    assertThat(ping(one, lab.serviceAddress().getHostAddress())).isTrue();
    assertThat(lab.exec(one, "ip", "link", "show", "dev", "ul1").stdout()).contains(one.macs().get(0));
  }

  @Test
  void aCutLinkStopsTrafficOnItButNotToTheRootServices() {
    LabNode one = lab.node(1);
    lab.cut(one, 1);
    try {
      assertThat(ping(lab.node(2), one.underlay(1).getHostAddress())).isFalse();
      assertThat(ping(lab.node(2), one.underlay(2).getHostAddress())).isTrue();
      assertThat(ping(one, lab.serviceAddress().getHostAddress())).as("over link 2").isTrue();
    } finally {
      lab.restore(one, 1);
    }
    assertThat(ping(lab.node(2), one.underlay(1).getHostAddress())).isTrue();
  }

  @Test
  void aNewLabRemovesTheLeftoversOfACrashedOne() {
    NetnsLab crashed = NetnsLab.create("splx", 1, 95);
    // No close(): the next create with the same prefix must clean up on its own.
    try (NetnsLab next = NetnsLab.create("splx", 1, 95)) {
      assertThat(ping(next.node(1), next.rootAddress(2).getHostAddress())).isTrue();
    }
    assertThat(CommandRunner.local().run(java.util.List.of("ip", "netns", "list")).stdout()).doesNotContain("splx-");
    assertThat(CommandRunner.local().run(java.util.List.of("ip", "-o", "link", "show")).stdout()).doesNotContain("splx");
    crashed.close();
  }

  private static boolean ping(LabNode from, String to) {
    return lab.exec(from, "ping", "-c", "2", "-i", "0.3", "-W", "1", to).succeeded();
  }
}
