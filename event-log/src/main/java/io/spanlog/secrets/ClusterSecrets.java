package io.spanlog.secrets;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster secrets an operator registered with a Spanlog service: a directory ({@code
 * --secrets DIR}) with one file per cluster, each naming its cluster inside ({@link
 * ClusterSecretFile}; ids may contain {@code /}, so the file name is not the id). The observer,
 * the history tools and the console read a cluster's sealed data with it; clusters without a
 * file stay opaque.
 *
 * <p>Files added, changed or removed are picked up without a restart: the directory is polled
 * (every {@link #DEFAULT_POLL} by default; polling rather than a WatchService, which misses the
 * symlink swaps of mounted secret volumes). A file that cannot be used is reported once per
 * version, with a sentence naming the file and the problem, never its content; files starting
 * with {@code .} are skipped (editor and volume-mount leftovers). Secrets stay in memory only.
 *
 * <p>Thread-safe: lookups read an immutable map that each scan replaces.
 */
public final class ClusterSecrets implements AutoCloseable {
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
  static final long MAX_FILE_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSecrets.class);

  /** A file's version as the scan saw it: re-read only when it changes. */
  private record Stamp(long size, FileTime modified, Object fileKey) {}

  /** What one file gave: an entry, or the sentence why not. */
  private record Outcome(Stamp stamp, Optional<ClusterSecretFile.Entry> entry, Optional<String> problem) {}

  private final Optional<Path> directory;
  private final Consumer<String> report;
  private final Map<Path, Outcome> files = new HashMap<>();
  private final Set<String> reportedDuplicates = new java.util.HashSet<>();
  private volatile Map<String, ClusterSecret> secrets = Map.of();
  private volatile Map<Path, String> problems = Map.of();
  private ScheduledExecutorService poller;
  private boolean directoryUnreadable;

  ClusterSecrets(Optional<Path> directory, Consumer<String> report) {
    this.directory = directory;
    this.report = report;
  }

  /**
   * The secrets in {@code dir} now, and those added later (polled every {@link #DEFAULT_POLL}).
   *
   * @throws IllegalArgumentException when {@code dir} is not a directory, with a sentence
   */
  public static ClusterSecrets watching(Path dir) {
    return watching(dir, DEFAULT_POLL);
  }

  public static ClusterSecrets watching(Path dir, Duration every) {
    ClusterSecrets s = new ClusterSecrets(Optional.of(requireDirectory(dir)), LOG::warn);
    s.rescan();
    s.startPolling(every);
    return s;
  }

  /** The secrets in {@code dir} now, read once (a tool that runs and exits). */
  public static ClusterSecrets load(Path dir) {
    ClusterSecrets s = new ClusterSecrets(Optional.of(requireDirectory(dir)), LOG::warn);
    s.rescan();
    return s;
  }

  /** No secrets at all: every cluster stays opaque (a service started without {@code --secrets}). */
  public static ClusterSecrets none() {
    return new ClusterSecrets(Optional.empty(), LOG::warn);
  }

  private static Path requireDirectory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("the secrets directory " + dir
          + (Files.exists(dir) ? " is not a directory" : " does not exist") + " (one file per cluster: clusterId and secret)");
    }
    return dir;
  }

  /** The secret registered for {@code clusterId}, if any. */
  public Optional<ClusterSecret> lookup(String clusterId) {
    return Optional.ofNullable(secrets.get(clusterId));
  }

  /** The clusters with a registered secret now. */
  public Set<String> clusters() {
    return secrets.keySet();
  }

  /** The files that cannot be used now, with the reason (no content). */
  public Map<Path, String> problems() {
    return problems;
  }

  public Optional<Path> directory() {
    return directory;
  }

  /** Reads the directory again now (the poller does this on its own). */
  public synchronized void rescan() {
    if (directory.isEmpty()) {
      return;
    }
    Path dir = directory.get();
    List<Path> present;
    try (Stream<Path> list = Files.list(dir)) {
      present = list.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
      directoryUnreadable = false;
    } catch (IOException | RuntimeException e) {
      if (!directoryUnreadable) {
        directoryUnreadable = true;
        report.accept("the secrets directory " + dir + " cannot be listed (" + e.getClass().getSimpleName()
            + "); keeping the secrets read before");
      }
      return;
    }
    files.keySet().retainAll(present);
    Map<String, ClusterSecret> next = new LinkedHashMap<>();
    Map<String, Path> from = new HashMap<>();
    Map<Path, String> bad = new TreeMap<>();
    for (Path file : present) {
      Outcome o = outcome(file);
      if (o.problem().isPresent()) {
        bad.put(file, o.problem().get());
        continue;
      }
      ClusterSecretFile.Entry entry = o.entry().orElseThrow();
      Path first = from.putIfAbsent(entry.clusterId(), file);
      if (first != null) {
        String problem = "names cluster " + entry.clusterId() + " as " + first + " does; ignored";
        bad.put(file, problem);
        if (reportedDuplicates.add(file + "\n" + entry.clusterId())) {
          report.accept("secrets file " + file + " " + problem);
        }
        continue;
      }
      next.put(entry.clusterId(), entry.secret());
    }
    for (String id : next.keySet()) {
      if (!secrets.containsKey(id)) {
        LOG.info("cluster {}: secret registered from {}", id, from.get(id));
      }
    }
    for (String id : secrets.keySet()) {
      if (!next.containsKey(id)) {
        LOG.info("cluster {}: secret no longer registered (its file is gone or unusable)", id);
      }
    }
    secrets = Collections.unmodifiableMap(next);
    problems = Collections.unmodifiableMap(bad);
  }

  private Outcome outcome(Path file) {
    Stamp stamp;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      stamp = new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
    } catch (IOException e) {
      stamp = new Stamp(-1, FileTime.fromMillis(0), null);
    }
    Outcome known = files.get(file);
    if (known != null && known.stamp().equals(stamp)) {
      return known;
    }
    Outcome o = read(file, stamp);
    files.put(file, o);
    o.problem().ifPresent(p -> report.accept("secrets file " + file + " " + p + "; its cluster is not registered from it"));
    if (o.entry().isPresent() && isShared(file)) {
      report.accept("secrets file " + file + " is readable by group or others: chmod 600 it");
    }
    return o;
  }

  private static Outcome read(Path file, Stamp stamp) {
    if (stamp.size() > MAX_FILE_BYTES) {
      return failed(stamp, "is larger than " + MAX_FILE_BYTES / 1024 + " KiB: not a cluster secret file");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      return failed(stamp, "is not UTF-8 text");
    } catch (IOException e) {
      return failed(stamp, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return new Outcome(stamp, Optional.of(ClusterSecretFile.parse(text)), Optional.empty());
    } catch (IllegalArgumentException e) {
      // ClusterSecretFile's and ClusterSecret's messages name lines and problems, never values
      return failed(stamp, "is not a cluster secret file: " + e.getMessage()
          + " (expected: clusterId: \"<id>\" and secret: \"<base64 of 32 bytes>\")");
    }
  }

  private static Outcome failed(Stamp stamp, String problem) {
    return new Outcome(stamp, Optional.empty(), Optional.of(problem));
  }

  private static boolean isShared(Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private void startPolling(Duration every) {
    long ms = Math.max(10, every.toMillis());
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spanlog-secrets-" + directory.map(Path::toString).orElse(""));
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(() -> {
      try {
        rescan();
      } catch (RuntimeException e) {
        LOG.warn("scanning the secrets directory {}: {}", directory.orElse(null), e.getClass().getSimpleName());
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops polling. */
  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "ClusterSecrets[" + directory.map(Path::toString).orElse("none") + ", " + secrets.size() + " clusters]";
  }
}
