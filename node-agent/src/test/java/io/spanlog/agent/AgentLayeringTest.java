package io.spanlog.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The agent's floors: the root package wires (NodeAgent, AgentMain); {@code api} serves the local
 * status API; {@code reconcile} runs a pass over {@code discovery}, {@code telemetry} and the
 * device; underneath, {@code status}, {@code config}, {@code identity}, {@code host},
 * {@code wireguard} and {@code os} know nothing above them, so their logic is tested alone. The
 * agent speaks to the discovery service over gRPC only: it links none of the service's code, no
 * Kafka and none of the lab that runs it in network namespaces.
 */
class AgentLayeringTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  static final String[] LOWER_FLOORS = {
    "io.spanlog.agent.status..", "io.spanlog.agent.config..", "io.spanlog.agent.identity..",
    "io.spanlog.agent.host..", "io.spanlog.agent.wireguard..", "io.spanlog.agent.os.."
  };

  @Test
  void lowerFloorsImportNothingAboveThem() {
    noClasses().that().resideInAnyPackage(LOWER_FLOORS)
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.agent", "io.spanlog.agent.api..", "io.spanlog.agent.reconcile..",
            "io.spanlog.agent.discovery..", "io.spanlog.agent.telemetry..")
        .check(CLASSES);
  }

  @Test
  void onlyTheRootWiresAndNothingDependsOnIt() {
    noClasses().that().resideOutsideOfPackage("io.spanlog.agent")
        .should().dependOnClassesThat().resideInAPackage("io.spanlog.agent")
        .check(CLASSES);
  }

  @Test
  void thePassDoesNotKnowTheHttpApi() {
    noClasses().that().resideInAnyPackage("io.spanlog.agent.reconcile..", "io.spanlog.agent.discovery..",
            "io.spanlog.agent.telemetry..")
        .should().dependOnClassesThat().resideInAPackage("io.spanlog.agent.api..")
        .check(CLASSES);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.spanlog.agent.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void linksNoServiceNoKafkaAndNoLab() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.discovery.server..", "io.spanlog.discovery.rpc..",
            "io.spanlog.discovery.projection..", "io.spanlog.discovery.log..",
            "io.spanlog.discovery.ownership..", "io.spanlog.discovery.expiry..",
            "io.spanlog.discovery.metrics..", "io.spanlog.observer..", "io.spanlog.ctl..",
            "io.spanlog.demo..", "io.spanlog.infra..", "io.spanlog.kafka..", "org.apache.kafka..",
            "kafka..", "io.spanlog.agent.netns..")
        .check(CLASSES);
  }
}
