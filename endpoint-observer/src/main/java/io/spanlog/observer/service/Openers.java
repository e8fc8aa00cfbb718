package io.spanlog.observer.service;

import io.spanlog.observer.intake.BatchOpener;
import io.spanlog.observer.intake.PlaintextBatchOpener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the service opens telemetry batches, given its {@code --secrets} directory or none. */
final class Openers {
  private static final Logger LOG = LoggerFactory.getLogger(Openers.class);

  private Openers() {}

  /**
   * The batch opener for {@code --secrets DIR}. Today agents send plaintext batches and this
   * opens them whatever the directory holds; sealed batches, opened with the cluster secrets the
   * directory holds, come with the sealing of telemetry (issue 11), which replaces this body.
   *
   * @throws IllegalArgumentException when the directory is given but is not a readable directory
   */
  static BatchOpener forSecrets(Optional<Path> secrets) {
    secrets.ifPresent(dir -> {
      if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
        throw new IllegalArgumentException("--secrets " + dir + " is not a readable directory");
      }
      LOG.info("cluster secrets directory {}: plaintext batches only in this build", dir);
    });
    return new PlaintextBatchOpener();
  }
}
