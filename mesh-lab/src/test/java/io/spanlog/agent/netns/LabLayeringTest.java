package io.spanlog.agent.netns;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The lab runs real agents in network namespaces as separate processes: it uses the agent's
 * configuration and identity files, never the discovery service's code (which runs outside the
 * namespaces) nor the operator tools.
 */
class LabLayeringTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void drivesAgentsAsProcessesOnly() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.discovery.server..", "io.spanlog.discovery.rpc..",
            "io.spanlog.discovery.projection..", "io.spanlog.observer..", "io.spanlog.ctl..",
            "io.spanlog.demo..", "kafka..")
        .check(CLASSES);
  }
}
