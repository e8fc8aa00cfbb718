package io.spanlog.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.wireguard.DeviceState;
import io.spanlog.agent.wireguard.UserspaceOptions;
import io.spanlog.agent.wireguard.UserspaceWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardKey;
import io.spanlog.agent.wireguard.WireGuardSecret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout the e2e test and the demo use: one JVM per node, started inside the node's network
 * namespace with a private /run/wireguard, every node with interface {@code kubespan}.
 */
class AgentInNamespaceIT {
  private static NetnsLab lab;
  private final List<Node> nodes = new ArrayList<>();

  @BeforeAll
  static void buildLab() {
    E2eRequirement.requireNetnsLab();
    lab = NetnsLab.create("spag", 2, 93);
  }

  @AfterAll
  static void removeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(Node::stop);
  }

  @Test
  void jvmsInsideTheNamespacesEachOwnAKubespanInterfaceAndReachEachOther() throws Exception {
    Node one = start(1);
    Node two = start(2);
    WireGuardSecret psk = WireGuardSecret.generatePresharedKey();
    one.send("PSK " + psk.revealBase64());
    two.send("PSK " + psk.revealBase64());
    one.send("PEER " + two.publicKey + " " + lab.node(2).underlay(1).getHostAddress() + " 51820 fd5b:93::2/128");
    two.send("PEER " + one.publicKey + " " + lab.node(1).underlay(1).getHostAddress() + " 51820 fd5b:93::1/128");
    one.send("APPLY");
    assertThat(one.readLine()).isEqualTo("APPLIED");
    two.send("APPLY");
    assertThat(two.readLine()).isEqualTo("APPLIED");

    assertThat(lab.exec(lab.node(1), "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd5b:93::2").succeeded()).isTrue();
    one.send("READ");
    assertThat(one.readLine()).startsWith("PEER " + two.publicKey + " handshake=true rx=");
    assertThat(one.readLine()).isEqualTo("END");

    assertThat(Path.of("/run/wireguard/kubespan.sock"))
        .as("each node's socket lives in its own mount namespace, not the host's").doesNotExist();

    // A controller outside the node reaches the node's private socket through /proc/<pid>/root.
    long wireguardGo = lab.pids(lab.node(2)).stream()
        .filter(pid -> comm(pid).equals("wireguard-go")).findFirst().orElseThrow();
    UserspaceOptions outside = UserspaceOptions.defaults().withRunner(lab.runner(lab.node(2)))
        .withSocketDirectory(Path.of("/proc/" + wireguardGo + "/root/run/wireguard"));
    try (UserspaceWireGuardDevice attached = UserspaceWireGuardDevice.open("kubespan", outside)) {
      DeviceState state = attached.read();
      assertThat(state.publicKey()).contains(WireGuardKey.fromBase64(two.publicKey));
      assertThat(state.peers()).singleElement().satisfies(p -> assertThat(p.latestHandshake()).isPresent());
    }
  }

  private Node start(int index) throws IOException {
    ProcessBuilder builder = lab.javaProcess(lab.node(index), IsolatedNodeMain.class.getName(),
        List.of("fd5b:93::" + index));
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Node node = new Node(builder.start());
    nodes.add(node);
    String first = node.readLine();
    assertThat(first).startsWith("PUBLIC ");
    node.publicKey = first.substring("PUBLIC ".length());
    return node;
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static final class Node {
    final Process process;
    final BufferedReader out;
    final PrintWriter in;
    String publicKey;

    Node(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    void send(String line) {
      in.println(line);
    }

    String readLine() throws IOException {
      String line = out.readLine();
      assertThat(line).as("the node process answered (see its stderr above)").isNotNull();
      return line;
    }

    void stop() {
      send("QUIT");
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
