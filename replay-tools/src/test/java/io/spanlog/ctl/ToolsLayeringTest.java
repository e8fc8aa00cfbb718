package io.spanlog.ctl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The operator CLI ({@code ctl}) talks to running agents and services over their APIs and reads
 * Kafka; it links no service's code and not the demo, which is the one part of this module that
 * starts a whole mesh (broker, discovery, agents, the namespaces lab) on this machine.
 */
class ToolsLayeringTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void theCliLinksNoServiceAndNotTheDemo() {
    noClasses().that().resideInAPackage("io.spanlog.ctl..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.demo..", "io.spanlog.agent..", "io.spanlog.discovery.server..",
            "io.spanlog.discovery.rpc..", "io.spanlog.discovery.projection..", "io.spanlog.infra..",
            "kafka..")
        .check(CLASSES);
  }

  /** The history logic is read by ctl; it links no service, not ctl, and reaches Kafka only as a client. */
  @Test
  void historyLinksNoServiceNorTheCli() {
    noClasses().that().resideInAPackage("io.spanlog.history..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.ctl..", "io.spanlog.demo..", "io.spanlog.agent..", "io.spanlog.discovery.server..",
            "io.spanlog.discovery.rpc..", "io.spanlog.discovery.projection..", "io.spanlog.observer..",
            "io.spanlog.infra..", "kafka..")
        .check(CLASSES);
  }
}
