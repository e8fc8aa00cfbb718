package io.spanlog.agent.wireguard;

import io.spanlog.text.PrintableText;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Linux interface names: 1..15 bytes, no '/', no whitespace; also the UAPI socket's file name and
 * an argument of {@code ip} and {@code wg}. The one rule for them, used by the config parser too.
 */
public final class InterfaceNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

  private InterfaceNames() {}

  /** Why {@code name} cannot be an interface name, as a sentence; empty when it can. */
  public static Optional<String> problem(String name) {
    if (name == null || !VALID.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      return Optional.of("interface name '" + PrintableText.of(name) + "' is not valid: 1 to 15 letters, digits, '_', '.', '-'");
    }
    if (name.startsWith("-")) {
      // ip(8) and wg(8) take such an argument for an option ("-json", "-force", ...)
      return Optional.of("interface name '" + name + "' is not valid: it must not start with '-', which ip and wg "
          + "would read as an option");
    }
    return Optional.empty();
  }

  public static String require(String name) {
    problem(name).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return name;
  }
}
