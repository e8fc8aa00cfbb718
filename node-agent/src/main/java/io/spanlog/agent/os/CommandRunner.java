package io.spanlog.agent.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs host commands (ip, wg, wireguard-go), either in the caller's own network namespace or,
 * for a controller outside it, behind {@code ip netns exec <ns>}.
 *
 * <p>Commands are argument lists, never shell strings, so no value is ever re-parsed by a shell.
 */
public final class CommandRunner {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  // Output is drained on own threads: blocking reads must not starve the common pool.
  private static final java.util.concurrent.ExecutorService DRAINS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "command-output");
    t.setDaemon(true);
    return t;
  });

  private final List<String> prefix;
  private final String where;

  private CommandRunner(List<String> prefix, String where) {
    this.prefix = List.copyOf(prefix);
    this.where = where;
  }

  /** Commands run in this process's own namespaces (the agent inside its node). */
  public static CommandRunner local() {
    return new CommandRunner(List.of(), "the current network namespace");
  }

  /** Commands run inside the named network namespace (a test or demo controlling a node). */
  public static CommandRunner inNetns(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return new CommandRunner(List.of("ip", "netns", "exec", namespace), "network namespace " + namespace);
  }

  /** Where commands run, for messages. */
  public String where() {
    return where;
  }

  /** The full argument list a command becomes, prefix included. */
  public List<String> commandLine(List<String> args) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(args);
    return all;
  }

  public ProcessBuilder processBuilder(List<String> args) {
    return new ProcessBuilder(commandLine(args));
  }

  /** Runs to completion; a non-zero exit is a result, not an exception. */
  public CommandResult run(List<String> args) {
    return run(args, DEFAULT_TIMEOUT);
  }

  public CommandResult run(List<String> args, Duration timeout) {
    List<String> line = commandLine(args);
    Process process;
    try {
      process = new ProcessBuilder(line).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new CommandException("cannot start " + args.get(0) + " in " + where + ": " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), DRAINS);
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), DRAINS);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new CommandException(
            String.join(" ", args) + " did not finish within " + timeout.toSeconds() + " s in " + where);
      }
      return new CommandResult(
          line, process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CommandException("interrupted while running " + args.get(0), e);
    } catch (IOException | ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new CommandException("cannot collect the output of " + args.get(0) + ": " + e.getMessage(), e);
    }
  }

  /** Runs and requires exit code 0; the failure message quotes the command and its stderr. */
  public CommandResult check(List<String> args) {
    CommandResult result = run(args);
    if (!result.succeeded()) {
      throw new CommandException(String.join(" ", args) + " failed in " + where + " (exit "
          + result.exitCode() + "): " + result.stderr().strip());
    }
    return result;
  }

  public CommandResult check(String... args) {
    return check(List.of(args));
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when an executable of that name is on the PATH. */
  public static boolean onPath(String executable) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, executable))) {
        return true;
      }
    }
    return false;
  }
}
