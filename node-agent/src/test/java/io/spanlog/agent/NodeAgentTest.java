package io.spanlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.host.FixedHost;
import io.spanlog.agent.identity.IdentityStore;
import io.spanlog.agent.wireguard.AllowedIp;
import io.spanlog.agent.wireguard.DeviceConfig;
import io.spanlog.agent.wireguard.DeviceState;
import io.spanlog.agent.wireguard.PeerConfig;
import io.spanlog.agent.wireguard.SimulatedWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.net.IpText;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAgentTest {
  @TempDir Path state;

  private NodeConfig config() {
    return NodeConfigParser.parse("cluster: { id: c1, secret: \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }\n"
        + "discovery: { endpoint: \"http://127.0.0.1:9/\" }\nkubespan: { interface: ks9, backend: memory }\n"
        + "stateFolder: \"" + state + "\"\nstatusApi: { port: 0 }\n");
  }

  private static DeviceConfig withOnePeer(WireGuardSecret key) {
    return new DeviceConfig(key, 51820, 0, List.of(new PeerConfig(WireGuardSecret.generatePrivateKey().publicKey(),
        Optional.empty(), Optional.empty(), Duration.ZERO, List.of(AllowedIp.parse("10.9.0.0/16")))));
  }

  @Test
  void anInterfaceRunningWireGuardWithAnotherKeyIsRefusedAndLeftAsItWas() throws Exception {
    WireGuardSecret someoneElses = WireGuardSecret.generatePrivateKey();
    var existing = SimulatedWireGuardDevice.standalone("ks9");
    existing.apply(withOnePeer(someoneElses));
    DeviceState before = existing.read();
    Vertx vertx = Vertx.vertx();
    try {
      NodeAgent agent = NodeAgent.create(config(), vertx, c -> existing, Clock.systemUTC(),
          FixedHost.simulated("n", 1, List.of(IpText.parse("10.0.0.1"))));
      assertThatThrownBy(agent::start)
          .isInstanceOf(AgentException.class)
          .hasMessage("interface ks9 already runs WireGuard with another key (public key "
              + someoneElses.publicKey().base64() + "); refusing to take it over: remove it or choose another interface");
      agent.stop();
      assertThat(existing.read()).as("key and peers untouched").isEqualTo(before);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anInterfaceCarryingThisNodesKeyIsTakenOverAndItsForeignPeersRemoved() throws Exception {
    var identity = new IdentityStore(state, new SecureRandom()).loadOrCreate("c1", new byte[] {2, 0, 0, 0, 0, 1});
    var ours = SimulatedWireGuardDevice.standalone("ks9"); // e.g. our wireguard-go, still running after a restart
    ours.apply(withOnePeer(identity.privateKey()));
    Vertx vertx = Vertx.vertx();
    try {
      NodeAgent agent = NodeAgent.create(config(), vertx, c -> ours, Clock.systemUTC(),
          FixedHost.simulated("n", 1, List.of(IpText.parse("10.0.0.1"))));
      agent.start();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!ours.read().peers().isEmpty() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(ours.read().publicKey()).contains(identity.privateKey().publicKey());
      assertThat(ours.read().peers()).as("the first pass programs the mesh: no peer yet").isEmpty();
      agent.stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDeviceThatCannotOpenFailsTheStartWithASentenceAndLeavesNothingRunning() throws Exception {
    var config = NodeConfigParser.parse("cluster: { id: c1, secret: \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }\n"
        + "discovery: { endpoint: \"http://127.0.0.1:9/\" }\nkubespan: { interface: ks9 }\n"
        + "stateFolder: \"" + state + "\"\nstatusApi: { port: 0 }\n");
    Vertx vertx = Vertx.vertx();
    try {
      NodeAgent agent = NodeAgent.create(config, vertx, c -> {
        throw new IllegalStateException("wireguard-go is not installed");
      }, Clock.systemUTC(), FixedHost.simulated("n", 1, List.of(IpText.parse("10.0.0.1"))));
      assertThatThrownBy(agent::start)
          .isInstanceOf(AgentException.class)
          .hasMessage("cannot open WireGuard interface ks9 (userspace backend): wireguard-go is not installed");
      agent.stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
