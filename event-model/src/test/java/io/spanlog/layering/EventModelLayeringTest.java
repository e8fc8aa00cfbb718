package io.spanlog.layering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * event-model is the bottom every service stands on: events, codec, folds, crypto and the payload
 * messages. It does no I/O and knows nothing above it, so a projection or a peer-spec computation
 * can be replayed anywhere (a test, the history tools, the console) without a broker or a socket.
 */
class EventModelLayeringTest {
  /** This module's own classes only (not those of libraries with io.spanlog packages). */
  static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void doesNoIo() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.vertx..", "io.netty..", "org.apache.kafka..", "kafka..", "org.slf4j..",
            "java.net.http..", "java.nio.channels..", "java.nio.file..", "java.net.Socket",
            "java.net.ServerSocket", "java.net.http..")
        .because("event-model holds pure functions and data; I/O belongs to the services")
        .check(CLASSES);
  }

  @Test
  void knowsNoModuleAboveIt() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.spanlog.kafka..", "io.spanlog.infra..", "io.spanlog.discovery.api..",
            "io.spanlog.telemetry.api..", "io.spanlog.discovery.server..", "io.spanlog.discovery.rpc..",
            "io.spanlog.discovery.projection..", "io.spanlog.discovery.log..",
            "io.spanlog.discovery.expiry..", "io.spanlog.discovery.ownership..",
            "io.spanlog.discovery.metrics..", "io.spanlog.agent..", "io.spanlog.observer..",
            "io.spanlog.ctl..", "io.spanlog.demo..")
        .check(CLASSES);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.spanlog.(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
