package io.spanlog.text;

/**
 * Makes text that came from elsewhere (a remote node's name or hostname, an affiliate id, a
 * redirect target) safe to write to a log line or a terminal: every character that a terminal or
 * a log reader would act on rather than show is replaced by a visible escape, so a name cannot
 * move the cursor, clear the screen, recolour, fake a new log line or reorder the text around it.
 *
 * <p>Escaped: C0 controls (including tab, CR and LF), DEL, C1 controls ({@code \x9b} is a
 * one-byte CSI), the Unicode line and paragraph separators, bidirectional overrides and isolates,
 * and unpaired surrogates; as {@code \xNN} below 0x100, else {@code \}{@code uNNNN}. Everything
 * else, including letters of any script, is kept as it is. Pure.
 */
public final class PrintableText {
  private PrintableText() {}

  /** {@code text} with every non-printable character escaped; {@code null} stays {@code null}. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !escaped(text, i)) {
      i++;
    }
    if (i == text.length()) {
      return text; // the common case: nothing to do, no copy
    }
    StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!escaped(text, i)) {
        out.append(c);
      } else if (c < 0x100) {
        out.append("\\x").append(hex(c, 2));
      } else {
        out.append("\\u").append(hex(c, 4));
      }
    }
    return out.toString();
  }

  private static boolean escaped(String text, int i) {
    char c = text.charAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return true;
    }
    if (c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e' || c == '\u200f' || c == '\u061c') {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }

  private static String hex(char c, int digits) {
    String h = Integer.toHexString(c);
    return "0".repeat(digits - h.length()) + h;
  }
}
