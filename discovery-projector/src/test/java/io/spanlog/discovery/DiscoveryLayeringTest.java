package io.spanlog.discovery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The discovery service's packages depend one way: {@code server} wires everything and nothing
 * depends on it; the gRPC layer ({@code rpc}) reads the projection and appends to the log; the
 * projection knows only the log. The service links no other service and no broker.
 */
class DiscoveryLayeringTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void packagesDependOnlyDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("server").definedBy("io.spanlog.discovery.server..")
        .layer("rpc").definedBy("io.spanlog.discovery.rpc..")
        .layer("metrics").definedBy("io.spanlog.discovery.metrics..")
        .layer("ownership").definedBy("io.spanlog.discovery.ownership..")
        .layer("expiry").definedBy("io.spanlog.discovery.expiry..")
        .layer("projection").definedBy("io.spanlog.discovery.projection..")
        .layer("log").definedBy("io.spanlog.discovery.log..")
        .whereLayer("server").mayNotBeAccessedByAnyLayer()
        .whereLayer("rpc").mayOnlyBeAccessedByLayers("server")
        .whereLayer("metrics").mayOnlyBeAccessedByLayers("server", "rpc")
        .whereLayer("ownership").mayOnlyBeAccessedByLayers("server")
        .whereLayer("expiry").mayOnlyBeAccessedByLayers("server", "metrics")
        .whereLayer("projection").mayOnlyBeAccessedByLayers("server", "rpc", "metrics", "ownership", "expiry")
        .whereLayer("log").mayOnlyBeAccessedByLayers("server", "rpc", "ownership", "expiry", "projection")
        .check(CLASSES);
  }

  @Test
  void linksNoOtherServiceAndNoBroker() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.agent..", "io.spanlog.observer..", "io.spanlog.ctl..", "io.spanlog.demo..",
            "io.spanlog.infra..", "kafka..")
        .because("services share only event-model, discovery-api and event-log; the embedded broker is"
            + " looked up at run time (DefaultKafka)")
        .check(CLASSES);
  }
}
