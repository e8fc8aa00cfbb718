package io.spanlog.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An immutable byte string: encrypted affiliate data, an endpoint blob, a raw IP.
 *
 * <p>Records holding {@code byte[]} compare by identity; this wrapper compares by content, which
 * is what endpoint de-duplication ("byte equality of the blob") needs. In JSON it is standard
 * base64.
 */
public final class Blob implements Comparable<Blob> {
  public static final Blob EMPTY = new Blob(new byte[0]);

  private final byte[] bytes;

  private Blob(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Blob of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Blob(bytes.clone());
  }

  /** Takes {@code bytes} as they are, without a copy: for decoders that made the array themselves. */
  static Blob wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Blob(bytes);
  }

  public static Blob ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  @JsonCreator
  public static Blob ofBase64(String base64) {
    return of(Base64.getDecoder().decode(base64));
  }

  @JsonValue
  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The byte at {@code index}, without copying the blob as {@link #toByteArray()} does. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blob other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Blob o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return "Blob[" + bytes.length + " bytes]";
  }
}
