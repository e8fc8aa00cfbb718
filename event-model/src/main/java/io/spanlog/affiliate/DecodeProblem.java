package io.spanlog.affiliate;

import java.util.Locale;

/** Why a discovery payload could not be read. */
public enum DecodeProblem {
  /** Shorter than a nonce and a tag, or an endpoint blob of a length that is not n×16. */
  BAD_LENGTH,
  /** GCM tag mismatch: another cluster secret, or tampered bytes. */
  NOT_AUTHENTIC,
  /** The endpoint's length byte points past the blob. */
  BAD_LENGTH_BYTE,
  /** The plaintext is not the expected protobuf message. */
  MALFORMED_PROTOBUF,
  /** An IP, port or prefix inside the message is invalid. */
  BAD_VALUE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
