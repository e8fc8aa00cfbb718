package io.spanlog.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.host.FixedHost;
import io.spanlog.net.IpText;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAgentTest {
  @TempDir Path state;

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
