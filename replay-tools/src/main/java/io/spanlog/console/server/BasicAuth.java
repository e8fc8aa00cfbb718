package io.spanlog.console.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * HTTP basic authentication from a file of {@code user:password} lines (blank lines and
 * {@code #} comments ignored), mode 0600 like every secret file. Passwords are compared in
 * constant time and never logged.
 */
public final class BasicAuth implements Handler<RoutingContext> {
  private final List<byte[]> accepted;

  private BasicAuth(List<byte[]> accepted) {
    this.accepted = accepted;
  }

  /** @throws IllegalArgumentException with one sentence naming the file (never its content) */
  public static BasicAuth load(Path file) {
    List<String> lines;
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        throw new IllegalArgumentException("--basic-auth-file " + file + " is readable by others; chmod 600 it");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--basic-auth-file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    List<byte[]> accepted = new ArrayList<>();
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int colon = l.indexOf(':');
      if (colon < 1 || colon == l.length() - 1) {
        throw new IllegalArgumentException("--basic-auth-file " + file + ": each line must be user:password");
      }
      accepted.add(l.getBytes(StandardCharsets.UTF_8));
    }
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException("--basic-auth-file " + file + " has no user:password line");
    }
    return new BasicAuth(List.copyOf(accepted));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      byte[] given;
      try {
        given = Base64.getDecoder().decode(header.substring(6).strip());
      } catch (IllegalArgumentException e) {
        given = new byte[0];
      }
      boolean ok = false;
      for (byte[] a : accepted) {
        ok |= MessageDigest.isEqual(a, given);
      }
      if (ok) {
        ctx.next();
        return;
      }
    }
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"spanlog console\"")
        .putHeader("Content-Type", "text/plain; charset=utf-8").end("authentication required\n");
  }
}
