package io.spanlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.kafka.TopicInstaller;
import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicInstallerIT {
  private final KafkaFixture kafka = KafkaFixture.shared();

  @Test
  void theCatalogueInstallsOnceAndThenMatches() {
    try (Admin admin = kafka.newAdmin()) {
      TopicInstaller installer = new TopicInstaller(admin);
      installer.installCatalogue();

      TopicInstaller.Report again = installer.installCatalogue();

      assertThat(again.created()).isEmpty();
      assertThat(again.drift()).isEmpty();
      assertThat(again.unchanged())
          .containsExactlyInAnyOrderElementsOf(
              TopicCatalogue.all().stream().map(TopicSpec::name).toList());
    }
  }

  @Test
  void missingTopicsAreCreatedWithTheCatalogueSettings() throws Exception {
    TopicSpec spec = spec("fresh", 3, "3600000");
    try (Admin admin = kafka.newAdmin()) {
      TopicInstaller.Report report = new TopicInstaller(admin).install(List.of(spec));

      assertThat(report.created()).containsExactly(spec.name());
      assertThat(admin.describeTopics(List.of(spec.name())).allTopicNames().get()
              .get(spec.name()).partitions())
          .hasSize(3);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
      assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
              .get("retention.ms").value())
          .isEqualTo("3600000");
    }
  }

  @Test
  void driftIsReportedAndNothingIsChanged() throws Exception {
    TopicSpec wanted = spec("drifted", 3, "3600000");
    try (Admin admin = kafka.newAdmin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(wanted.name(), Optional.of(2), Optional.empty())
                      .configs(Map.of("retention.ms", "60000"))))
          .all()
          .get();

      TopicInstaller.Report report = new TopicInstaller(admin).install(List.of(wanted));

      assertThat(report.created()).isEmpty();
      assertThat(report.unchanged()).isEmpty();
      assertThat(report.drift())
          .containsExactlyInAnyOrder(
              wanted.name() + ": has 2 partitions, the catalogue says 3",
              wanted.name() + ": retention.ms is 60000, the catalogue says 3600000");
      assertThat(report.describe()).contains("drift");
      assertThat(admin.describeTopics(List.of(wanted.name())).allTopicNames().get()
              .get(wanted.name()).partitions())
          .as("the installer never changes an existing topic")
          .hasSize(2);
    }
  }

  private static TopicSpec spec(String prefix, int partitions, String retentionMs) {
    return new TopicSpec(
        "installer-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
        partitions,
        Map.of("cleanup.policy", "delete", "retention.ms", retentionMs),
        "test key",
        "installer test");
  }
}
