package io.spanlog.agent.wireguard;

/** Linux interface names: 1..15 bytes, no '/', no whitespace; also the UAPI socket's file name. */
public final class InterfaceNames {
  private InterfaceNames() {}

  public static String require(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,15}") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "interface name '" + name + "' is not valid: 1 to 15 letters, digits, '_', '.', '-'");
    }
    return name;
  }
}
