package io.spanlog.kafka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * event-log is the Kafka plumbing services share (serdes, dead letters, topic installation, the
 * default-broker lookup): Kafka's client library only, never the broker, so a service that uses it
 * does not carry a broker in its jar; and no service code.
 */
class EventLogLayeringTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void usesTheKafkaClientsNotTheBroker() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "kafka..", "org.apache.kafka.server..", "org.apache.kafka.raft..", "org.apache.kafka.controller..",
            "io.spanlog.infra..")
        .because("the embedded broker is found at run time through DefaultKafka, never linked")
        .check(CLASSES);
  }

  @Test
  void knowsNoService() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.vertx..", "io.spanlog.discovery.server..", "io.spanlog.discovery.rpc..",
            "io.spanlog.discovery.projection..", "io.spanlog.agent..", "io.spanlog.observer..",
            "io.spanlog.ctl..", "io.spanlog.demo..")
        .check(CLASSES);
  }
}
