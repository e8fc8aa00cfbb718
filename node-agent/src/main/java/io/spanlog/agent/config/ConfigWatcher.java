package io.spanlog.agent.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the node config when its file changes or the process gets SIGHUP, as KubeSpan applies
 * a changed machine config at once. A file that does not parse is logged with the field and the
 * running config stays; a valid one is handed to {@code onValid} (which applies only what changed).
 *
 * <p>The folder is watched, not the file: editors and config managers replace files by rename,
 * which a watch on the file itself would miss.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path file;
  private final Consumer<NodeConfig> onValid;
  private final WatchService watch;
  private final Thread thread;
  private volatile boolean closed;

  private ConfigWatcher(Path file, Consumer<NodeConfig> onValid) throws IOException {
    this.file = file.toAbsolutePath();
    this.onValid = Objects.requireNonNull(onValid, "onValid");
    this.watch = FileSystems.getDefault().newWatchService();
    this.file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY);
    this.thread = new Thread(this::loop, "spanlog-config-watch");
    this.thread.setDaemon(true);
  }

  /** Starts watching {@code file}; {@code onValid} runs on the watcher's thread. */
  public static ConfigWatcher start(Path file, Consumer<NodeConfig> onValid) throws IOException {
    ConfigWatcher w = new ConfigWatcher(file, onValid);
    w.thread.start();
    return w;
  }

  /**
   * Also reloads on SIGHUP. sun.misc.Signal is the only way a JVM can handle SIGHUP (the JDK has no
   * public signal API); it is an exported, supported-in-practice JDK internal, and an agent that
   * cannot install it still reloads on file changes, so failure here is only logged.
   */
  public ConfigWatcher onSighup() {
    try {
      Signal.handle(new Signal("HUP"), sig -> {
        LOG.info("SIGHUP: reloading {}", file);
        reload();
      });
    } catch (IllegalArgumentException e) {
      LOG.warn("cannot handle SIGHUP here ({}); config reloads follow file changes only", e.getMessage());
    }
    return this;
  }

  /** Parses the file now and hands a valid config on; returns the error for an invalid one. */
  public Optional<ConfigException> reload() {
    NodeConfig next;
    try {
      next = NodeConfigParser.load(file);
    } catch (ConfigException e) {
      LOG.warn("{} changed but is not valid, keeping the running config: {}", file, e.getMessage());
      return Optional.of(e);
    }
    try {
      onValid.accept(next);
    } catch (RuntimeException e) {
      LOG.warn("applying the new config from {} failed: {}", file, e.getMessage());
    }
    return Optional.empty();
  }

  private void loop() {
    while (!closed) {
      WatchKey key;
      try {
        key = watch.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      boolean ours = key.pollEvents().stream()
          .anyMatch(ev -> ev.context() instanceof Path p && file.getFileName().equals(p));
      key.reset();
      if (ours && !closed) {
        settle();
        reload();
      }
    }
  }

  /** Writers often truncate then write: wait for the burst of events to pass, then read once. */
  private void settle() {
    try {
      Thread.sleep(200);
      WatchKey more;
      while ((more = watch.poll()) != null) {
        more.pollEvents();
        more.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      watch.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service: {}", e.getMessage());
    }
  }
}
