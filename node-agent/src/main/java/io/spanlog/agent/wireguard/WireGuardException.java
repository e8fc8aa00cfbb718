package io.spanlog.agent.wireguard;

import java.util.OptionalInt;

/**
 * The device could not be programmed or read. Messages name the interface and what failed, never
 * a private or preshared key.
 */
public class WireGuardException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public WireGuardException(String message) {
    this(message, 0, null);
  }

  public WireGuardException(String message, Throwable cause) {
    this(message, 0, cause);
  }

  WireGuardException(String message, int errno, Throwable cause) {
    super(message, cause);
    this.errno = errno;
  }

  /** The UAPI errno when the device refused a request. */
  public OptionalInt errno() {
    return errno == 0 ? OptionalInt.empty() : OptionalInt.of(errno);
  }
}
