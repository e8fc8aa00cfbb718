package io.spanlog.history.timeline.render;

import io.spanlog.text.PrintableText;

/** Text made safe for HTML and SVG, in element content and in quoted attribute values. */
public final class Html {
  private Html() {}

  /**
   * {@code text} with control and direction-changing characters made visible ({@link
   * PrintableText}) and {@code & < > " '} escaped: what remote nodes chose (names, rules) can
   * neither add markup nor reorder what is shown around it.
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    String printable = PrintableText.of(text);
    StringBuilder out = new StringBuilder(printable.length() + 16);
    for (int i = 0; i < printable.length(); i++) {
      char c = printable.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
