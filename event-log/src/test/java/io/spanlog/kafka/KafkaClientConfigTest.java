package io.spanlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {
  static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"spanlog\" password=\"s3cr3t-jaas\";";

  @TempDir Path dir;

  @Test
  void aSecuredClusterFileMergesIntoEveryKindOfClient() throws Exception {
    KafkaClientConfig config = KafkaClientConfig.load(file(
        "security.protocol=SASL_SSL",
        "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=" + JAAS.replace("\"", "\\\""),
        "ssl.truststore.location=/etc/spanlog/ca.p12",
        "ssl.truststore.password=trust-pass",
        "request.timeout.ms=12000",
        "max.poll.records=100",
        "linger.ms=3"));

    Map<String, Object> producer = config.producer(base("p-1"));
    assertThat(producer)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.password", "trust-pass")
        .containsEntry("request.timeout.ms", "12000")
        .containsEntry("linger.ms", "3")
        .containsEntry("acks", "all")
        .containsEntry("bootstrap.servers", "k:9092")
        .doesNotContainKey("max.poll.records");
    Map<String, Object> consumer = config.consumer(base("c-1"));
    assertThat(consumer)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("max.poll.records", "100")
        .doesNotContainKey("linger.ms");
    assertThat(config.admin(base("a-1")))
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .doesNotContainKey("linger.ms")
        .doesNotContainKey("max.poll.records");
  }

  @Test
  void theFilesClientIdPrefixesEachClientsOwn() {
    KafkaClientConfig config = KafkaClientConfig.of(Map.of("client.id", "acme"));
    assertThat(config.producer(base("discovery-1"))).containsEntry("client.id", "acme-discovery-1");
    Map<String, Object> none = new HashMap<>(base("x"));
    none.remove("client.id");
    assertThat(config.admin(none)).containsEntry("client.id", "acme");
  }

  @Test
  void noFileChangesNothing() {
    assertThat(KafkaClientConfig.NONE.producer(base("p"))).isEqualTo(base("p"));
    assertThat(KafkaClientConfig.NONE.describe()).isEqualTo("no Kafka client properties file");
  }

  @Test
  void describeNamesEverySettingAndHidesSecrets() throws Exception {
    Path file = file(
        "security.protocol=SASL_SSL",
        "sasl.jaas.config=" + JAAS.replace("\"", "\\\""),
        "ssl.key.password=key-pass",
        "sasl.oauthbearer.client.credentials.client.secret=oauth-secret",
        "vendor.plugin.thing=plugin-value",
        "request.timeout.ms=12000");
    String line = KafkaClientConfig.load(file).describe();
    assertThat(line)
        .startsWith("Kafka client properties from " + file + ": ")
        .contains("security.protocol=SASL_SSL", "request.timeout.ms=12000",
            "sasl.jaas.config=(hidden)", "ssl.key.password=(hidden)", "vendor.plugin.thing=(hidden)",
            "not Kafka client settings, passed on as given: vendor.plugin.thing")
        .doesNotContain("s3cr3t-jaas", "key-pass", "oauth-secret", "plugin-value");
  }

  @Test
  void aMissingFileIsOneSentence() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> KafkaClientConfig.load(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--kafka-config " + missing + ": no such file");
    assertThatThrownBy(() -> KafkaClientConfig.load(dir))
        .hasMessage("--kafka-config " + dir + ": no such file");
  }

  @Test
  void aMalformedFileIsRefused() throws Exception {
    Path bad = file("sasl.jaas.config=abc\\u12G4");
    assertThatThrownBy(() -> KafkaClientConfig.load(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--kafka-config " + bad + ": not a properties file");
  }

  @Test
  void settingsSpanlogFixesAreRefusedWithTheReason() throws Exception {
    assertThatThrownBy(() -> KafkaClientConfig.load(file("acks=1")))
        .hasMessageEndingWith(": acks cannot be set there: Spanlog's producers always wait for acks=all");
    assertThatThrownBy(() -> KafkaClientConfig.load(file("bootstrap.servers=a:9092")))
        .hasMessageEndingWith(": bootstrap.servers cannot be set there: give the servers with --bootstrap");
    assertThatThrownBy(() -> KafkaClientConfig.of(Map.of("enable.idempotence", "false")))
        .hasMessageContaining("always idempotent");
    assertThatThrownBy(() -> KafkaClientConfig.of(Map.of("group.id", "g")))
        .hasMessageContaining("consumer groups");
  }

  @Test
  void aValueKafkaRejectsIsNamedWithoutQuotingIt() throws Exception {
    Path file = file("request.timeout.ms=soon-ish", "security.protocol=PLAINTEXT");
    assertThatThrownBy(() -> KafkaClientConfig.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--kafka-config " + file + ": request.timeout.ms has a value Kafka does not accept (expected int")
        .hasMessageNotContaining("soon-ish");
    assertThatThrownBy(() -> KafkaClientConfig.of(Map.of("security.protocol", "CARRIER_PIGEON")))
        .hasMessageContaining("security.protocol has a value Kafka does not accept")
        .hasMessageNotContaining("CARRIER_PIGEON");
  }

  @Test
  void secretsAreRecognised() {
    assertThat(KafkaClientConfig.isSecret("sasl.jaas.config")).isTrue();
    assertThat(KafkaClientConfig.isSecret("ssl.keystore.password")).isTrue();
    assertThat(KafkaClientConfig.isSecret("ssl.keystore.key")).isTrue();
    assertThat(KafkaClientConfig.isSecret("unknown.to.kafka")).isTrue();
    assertThat(KafkaClientConfig.isSecret("security.protocol")).isFalse();
    assertThat(KafkaClientConfig.isSecret("request.timeout.ms")).isFalse();
  }

  private Path file(String... lines) throws Exception {
    Path f = Files.createTempFile(dir, "kafka-", ".properties");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  private static Map<String, Object> base(String clientId) {
    Map<String, Object> m = new HashMap<>();
    m.put("bootstrap.servers", "k:9092");
    m.put("client.id", clientId);
    m.put("acks", "all");
    return m;
  }
}
