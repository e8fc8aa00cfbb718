package io.spanlog.observer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The observer's logic (links, metrics, nodes, reachability) is pure: folds over samples that
 * know nothing of Kafka Streams, which only the topology wires. It links no other service.
 */
class ObserverLayeringTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void theFoldsDoNotKnowKafkaStreams() {
    noClasses().that().resideInAnyPackage("io.spanlog.observer.links..", "io.spanlog.observer.metrics..",
            "io.spanlog.observer.nodes..", "io.spanlog.observer.reachability..",
            "io.spanlog.observer.drift..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.spanlog.observer.topology..")
        .check(CLASSES);
  }

  @Test
  void theServiceWiresTheApiWhichReadsTheStoresOfTheTopology() {
    noClasses().that().resideInAnyPackage("io.spanlog.observer.topology..", "io.spanlog.observer.query..",
            "io.spanlog.observer.api..")
        .should().dependOnClassesThat().resideInAPackage("io.spanlog.observer.service..")
        .check(CLASSES);
    noClasses().that().resideInAnyPackage("io.spanlog.observer.topology..", "io.spanlog.observer.query..")
        .should().dependOnClassesThat().resideInAPackage("io.spanlog.observer.api..")
        .check(CLASSES);
    noClasses().that().resideInAPackage("io.spanlog.observer.topology..")
        .should().dependOnClassesThat().resideInAPackage("io.spanlog.observer.query..")
        .check(CLASSES);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.spanlog.observer.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void linksNoOtherService() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.agent..", "io.spanlog.discovery.server..", "io.spanlog.discovery.rpc..",
            "io.spanlog.discovery.projection..", "io.spanlog.ctl..", "io.spanlog.demo..",
            "io.spanlog.infra..", "kafka..")
        .check(CLASSES);
  }
}
