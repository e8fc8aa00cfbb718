package io.spanlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenMainTest {
  @TempDir Path dir;

  private int gen(String... args) {
    return new CommandLine(new GenMain()).execute(args);
  }

  @Test
  void writesOneParseableSecretFilePerNodeOfOneCluster() throws Exception {
    int code = gen("config", "--nodes", "3", "--discovery", "http://10.60.0.1:3000/", "--out", dir.toString(),
        "--same-host", "--state-base", dir.resolve("state").toString());
    assertThat(code).isZero();
    NodeConfig one = NodeConfigParser.load(dir.resolve("node-1.yaml"));
    NodeConfig three = NodeConfigParser.load(dir.resolve("node-3.yaml"));
    assertThat(one.clusterId()).isEqualTo(three.clusterId());
    assertThat(one.clusterSecret()).isEqualTo(three.clusterSecret());
    assertThat(one.interfaceName()).isNotEqualTo(three.interfaceName());
    assertThat(one.statusApiPort()).isNotEqualTo(three.statusApiPort());
    assertThat(one.discovery().url()).isEqualTo("http://10.60.0.1:3000/");
    assertThat(Files.getPosixFilePermissions(dir.resolve("node-2.yaml")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    // never over existing files
    assertThat(gen("config", "--nodes", "1", "--discovery", "http://10.60.0.1:3000/", "--out", dir.toString()))
        .isEqualTo(1);
    assertThat(NodeConfigParser.load(dir.resolve("node-1.yaml")).clusterId()).isEqualTo(one.clusterId());
  }

  @Test
  void badArgumentsExitWith2AndASentence() {
    var err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertThat(gen("config", "--nodes", "0", "--discovery", "http://x:1/", "--out", dir.toString())).isEqualTo(2);
      assertThat(gen("config", "--nodes", "2", "--discovery", "ftp://x/", "--out", dir.toString())).isEqualTo(2);
      assertThat(gen("config", "--nodes", "2", "--discovery", "http://x:1/", "--out", dir.toString(),
          "--backend", "carrier-pigeon")).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString()).contains("--nodes").contains("discovery.endpoint").contains("--backend");
    assertThat(dir.resolve("node-1.yaml")).doesNotExist();
  }
}
