package io.spanlog.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigGeneratorTest {
  @TempDir Path dir;

  private static final ConfigGenerator.Options LOCAL =
      new ConfigGenerator.Options("http://127.0.0.1:3000", WireGuardBackendKind.MEMORY, "/tmp/spanlog", true);

  @Test
  void everyGeneratedFileParsesToTheSameClusterWithDistinctLocalResources() {
    var cluster = ConfigGenerator.generate(3, LOCAL, new SecureRandom());
    assertThat(Base64.getDecoder().decode(cluster.clusterId())).hasSize(32);
    List<NodeConfig> configs = cluster.files().stream().map(f -> NodeConfigParser.parse(f.yaml())).toList();
    assertThat(configs).extracting(NodeConfig::clusterId).containsOnly(cluster.clusterId());
    assertThat(new HashSet<>(configs.stream().map(NodeConfig::clusterSecret).toList())).hasSize(1);
    assertThat(configs).extracting(NodeConfig::interfaceName).containsExactly("kubespan1", "kubespan2", "kubespan3");
    assertThat(configs).extracting(NodeConfig::statusApiPort).doesNotHaveDuplicates();
    assertThat(configs).extracting(c -> c.stateFolder().toString())
        .containsExactly("/tmp/spanlog/node-1", "/tmp/spanlog/node-2", "/tmp/spanlog/node-3");
    assertThat(configs.get(0).backend()).isEqualTo(WireGuardBackendKind.MEMORY);
    assertThat(cluster.toString()).doesNotContain(configs.get(0).clusterSecret().revealBase64());
  }

  @Test
  void eachRunMakesANewClusterAndSeparateMachinesShareTheInterfaceName() {
    var options = new ConfigGenerator.Options("https://discovery.talos.dev/", WireGuardBackendKind.USERSPACE, "/var/lib/spanlog", false);
    var a = ConfigGenerator.generate(2, options, new SecureRandom());
    var b = ConfigGenerator.generate(2, options, new SecureRandom());
    assertThat(a.clusterId()).isNotEqualTo(b.clusterId());
    assertThat(a.files()).extracting(f -> NodeConfigParser.parse(f.yaml()).interfaceName()).containsOnly("kubespan");
  }

  @Test
  void rejectsImpossibleNodeCounts() {
    assertThatThrownBy(() -> ConfigGenerator.generate(0, LOCAL, new SecureRandom())).hasMessageStartingWith("--nodes:");
  }

  @Test
  void writesFilesWithMode0600AndNeverOverwrites() throws Exception {
    var cluster = ConfigGenerator.generate(2, LOCAL, new SecureRandom());
    List<Path> written = ConfigWriter.write(dir, cluster);
    assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly("node-1.yaml", "node-2.yaml");
    for (Path p : written) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
      assertThat(NodeConfigParser.load(p).clusterId()).isEqualTo(cluster.clusterId());
    }
    assertThatThrownBy(() -> ConfigWriter.write(dir, cluster)).isInstanceOf(FileAlreadyExistsException.class);
  }
}
