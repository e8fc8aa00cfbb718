package io.spanlog.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrokerSettingsTest {
  static final Path DATA = Path.of("/tmp/spanlog-broker-settings-test");
  static final String VOTERS = "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097";

  @Test
  void aSingleNodeIsItsOwnQuorumAndCannotReplicate() {
    Properties p = new BrokerSettings(9092, 9093, DATA).serverProperties();
    assertThat(p)
        .containsEntry("node.id", "1")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("default.replication.factor", "1");
  }

  @Test
  void aNodeOfThreeReplicatesInternalTopicsThriceWithTwoInSync() {
    BrokerSettings s = new BrokerSettings(9094, 9095, DATA, 2, VOTERS, Optional.of("x"), Map.of());
    Properties p = s.serverProperties();
    assertThat(s.quorumSize()).isEqualTo(3);
    assertThat(p)
        .containsEntry("node.id", "2")
        .containsEntry("controller.quorum.voters", VOTERS)
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("share.coordinator.state.topic.replication.factor", "3")
        .containsEntry("share.coordinator.state.topic.min.isr", "2")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("default.replication.factor", "3");
  }

  @Test
  void overridesComeLast() {
    Properties p = new BrokerSettings(9094, 9095, DATA, 2, VOTERS, Optional.empty(),
        Map.of("broker.session.timeout.ms", "3000", "min.insync.replicas", "1")).serverProperties();
    assertThat(p).containsEntry("broker.session.timeout.ms", "3000").containsEntry("min.insync.replicas", "1");
  }

  @Test
  void votersMustIncludeThisNodeAndBeWellFormed() {
    assertThatThrownBy(() -> new BrokerSettings(9094, 9095, DATA, 4, VOTERS, Optional.empty(), Map.of()))
        .hasMessage("the voters " + VOTERS + " do not include this node (id 4)");
    assertThatThrownBy(() -> new BrokerSettings(9094, 9095, DATA, 1, "1@127.0.0.1", Optional.empty(), Map.of()))
        .hasMessage("the voter '1@127.0.0.1' is not id@host:port (e.g. 1@127.0.0.1:9093)");
    assertThatThrownBy(() -> new BrokerSettings(9094, 9095, DATA, 1, "1@a:1,1@b:2", Optional.empty(), Map.of()))
        .hasMessage("the voters 1@a:1,1@b:2 name node 1 twice");
  }

  @Test
  void kafkaMainTakesTheClusterFlags() {
    KafkaMain main = new KafkaMain();
    new CommandLine(main).parseArgs("--port", "9094", "--controller-port", "9095", "--node-id", "2",
        "--voters", VOTERS, "--cluster-id", "abc", "--override", "broker.session.timeout.ms=3000",
        "--override", "broker.heartbeat.interval.ms=500", "--no-topics");
    assertThat(main.nodeId).isEqualTo(2);
    assertThat(main.voters).isEqualTo(VOTERS);
    assertThat(main.clusterId).isEqualTo("abc");
    assertThat(main.overrides).containsEntry("broker.session.timeout.ms", "3000")
        .containsEntry("broker.heartbeat.interval.ms", "500");
  }
}
