package io.spanlog.agent.config;

import io.spanlog.agent.identity.SecretFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes generated configs, mode 0600 (they hold the secret), never over existing files. */
public final class ConfigWriter {
  private ConfigWriter() {}

  /** What was written: the node configs and the cluster's secrets file. */
  public record Written(List<Path> nodeFiles, Path secretFile) {}

  /**
   * The node configs into {@code folder} and the cluster's file into {@code secretsFolder}
   * (created mode 0700): nothing is written if any target exists.
   */
  public static Written write(Path folder, ConfigGenerator.GeneratedCluster cluster, Path secretsFolder)
      throws IOException {
    Path secretFile = secretsFolder.resolve(cluster.secretFile().fileName());
    if (Files.exists(secretFile)) {
      throw new FileAlreadyExistsException(secretFile.toString(), null, "refusing to overwrite a secrets file");
    }
    List<Path> nodes = write(folder, cluster);
    SecretFiles.write(secretFile, cluster.secretFile().yaml());
    return new Written(nodes, secretFile);
  }

  public static List<Path> write(Path folder, ConfigGenerator.GeneratedCluster cluster) throws IOException {
    List<Path> targets = new ArrayList<>();
    for (var file : cluster.files()) {
      Path target = folder.resolve(file.fileName());
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite a node config");
      }
      targets.add(target);
    }
    for (int i = 0; i < targets.size(); i++) {
      SecretFiles.write(targets.get(i), cluster.files().get(i).yaml());
    }
    return targets;
  }
}
