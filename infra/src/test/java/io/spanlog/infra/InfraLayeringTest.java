package io.spanlog.infra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** infra runs Kafka for the others (the embedded broker, topic installation); it knows no service. */
class InfraLayeringTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void knowsNoService() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.discovery.server..", "io.spanlog.discovery.rpc..",
            "io.spanlog.discovery.projection..", "io.spanlog.agent..", "io.spanlog.observer..",
            "io.spanlog.ctl..", "io.spanlog.demo..")
        .check(CLASSES);
  }
}
