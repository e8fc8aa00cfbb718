package io.spanlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.infra.testing.TestPki;
import io.spanlog.secrets.ClusterSecrets;
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

    // the cluster's secrets file, for the observer's --secrets <out>/secrets
    Path secrets = dir.resolve("secrets");
    try (ClusterSecrets registered = ClusterSecrets.load(secrets)) {
      assertThat(registered.lookup(one.clusterId())).contains(one.clusterSecret());
      assertThat(registered.problems()).isEmpty();
    }
    try (var files = Files.list(secrets)) {
      assertThat(files.toList()).singleElement().satisfies(f ->
          assertThat(Files.getPosixFilePermissions(f))
              .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
    assertThat(Files.getPosixFilePermissions(secrets)).doesNotContain(PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_READ);

    // never over existing files
    assertThat(gen("config", "--nodes", "1", "--discovery", "http://10.60.0.1:3000/", "--out", dir.toString()))
        .isEqualTo(1);
    assertThat(NodeConfigParser.load(dir.resolve("node-1.yaml")).clusterId()).isEqualTo(one.clusterId());
  }

  @Test
  void theSecretsFileGoesWhereSecretsSays() throws Exception {
    Path elsewhere = dir.resolve("observer-secrets");
    assertThat(gen("config", "--nodes", "1", "--discovery", "http://10.60.0.1:3000/", "--out", dir.resolve("c").toString(),
        "--secrets", elsewhere.toString())).isZero();
    NodeConfig one = NodeConfigParser.load(dir.resolve("c/node-1.yaml"));
    try (ClusterSecrets registered = ClusterSecrets.load(elsewhere)) {
      assertThat(registered.lookup(one.clusterId())).contains(one.clusterSecret());
    }
    assertThat(dir.resolve("c/secrets")).doesNotExist();
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

  @Test
  void aDiscoveryCaIsWrittenIntoEveryNodeConfigForHttpsDiscovery() {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path out = dir.resolve("cluster");
    int code = gen("config", "--nodes", "2", "--discovery", "https://discovery.example:3000/", "--out", out.toString(),
        "--discovery-ca", pki.caCertificate().toString());
    assertThat(code).isZero();
    for (String node : new String[] {"node-1.yaml", "node-2.yaml"}) {
      NodeConfig config = NodeConfigParser.load(out.resolve(node));
      assertThat(config.discovery().caFile()).as(node).contains(pki.caCertificate().toAbsolutePath());
    }
  }

  @Test
  void aDiscoveryCaIsRefusedWithHttpDiscoveryOrWhenItIsNoCertificate() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path notPem = Files.writeString(dir.resolve("key.txt"), "not a certificate\n");
    var err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertThat(gen("config", "--nodes", "2", "--discovery", "http://10.60.0.1:3000/", "--out", dir.toString(),
          "--discovery-ca", pki.caCertificate().toString())).isEqualTo(2);
      assertThat(err.toString()).contains("--discovery-ca: applies to https:// endpoints only");
      err.reset();
      assertThat(gen("config", "--nodes", "2", "--discovery", "https://discovery.example/", "--out", dir.toString(),
          "--discovery-ca", notPem.toString())).isEqualTo(2);
      assertThat(err.toString()).contains("--discovery-ca: " + notPem + " holds no PEM certificate")
          .doesNotContain("not a certificate");
    } finally {
      System.setErr(old);
    }
    assertThat(dir.resolve("node-1.yaml")).doesNotExist();
  }
}
