package io.spanlog.history;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.secrets.ClusterSecrets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cluster's secret from a secrets directory ({@code --secrets DIR}, the format {@code gen
 * config} writes: one file per cluster naming it), read once. The sentences name the directory
 * and the cluster, never a secret.
 */
public final class SecretLookup {
  private SecretLookup() {}

  /**
   * @return empty when no directory is given
   * @throws HistoryException when the directory is given but is not one, or has no usable file for
   *     the cluster
   */
  public static Optional<ClusterSecret> find(Path dir, String cluster) {
    if (dir == null) {
      return Optional.empty();
    }
    ClusterSecrets secrets;
    try {
      secrets = ClusterSecrets.load(dir);
    } catch (IllegalArgumentException e) {
      throw new HistoryException("--secrets: " + e.getMessage());
    }
    Optional<ClusterSecret> secret = secrets.lookup(cluster);
    if (secret.isEmpty()) {
      String unusable = secrets.problems().isEmpty() ? ""
          : "; " + secrets.problems().size() + " file(s) there cannot be used: " + secrets.problems();
      throw new HistoryException("no secret for cluster " + cluster + " in " + dir
          + " (it has files for " + (secrets.clusters().isEmpty() ? "no cluster" : "clusters " + secrets.clusters())
          + unusable + "); a file with clusterId: \"" + cluster + "\" and secret: \"<base64>\" is needed, as"
          + " 'gen config' writes");
    }
    return secret;
  }

  /** The secret, which the command needs. @throws HistoryException when {@code dir} is null too */
  public static ClusterSecret require(Path dir, String cluster, String command) {
    if (dir == null) {
      throw new HistoryException(command + " needs the cluster's secret to open its data: give --secrets DIR"
          + " (the directory 'gen config' wrote, one file per cluster)");
    }
    return find(dir, cluster).orElseThrow();
  }
}
