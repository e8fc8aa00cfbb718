package io.spanlog.ctl;

import io.spanlog.text.PrintableText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table as {@code talosctl get} prints it: upper-case headers, columns left-aligned
 * and separated by three spaces, no borders, so the output stays greppable and diffable. Cells
 * hold what remote nodes chose (names, hostnames): each is made printable ({@link PrintableText}),
 * so a name cannot move the cursor, clear the screen or add a line.
 */
public final class Table {
  private static final String GAP = "   ";
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  private Table(List<String> headers) {
    this.headers = headers;
  }

  public static Table of(String... headers) {
    if (headers.length == 0) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    return new Table(List.of(headers));
  }

  /** Adds a row; it must have one value per column (null shows empty; control characters escaped). */
  public Table row(String... values) {
    if (values.length != headers.size()) {
      throw new IllegalArgumentException("row has " + values.length + " values for " + headers.size() + " columns");
    }
    rows.add(Arrays.stream(values).map(v -> v == null ? "" : PrintableText.of(v)).toList());
    return this;
  }

  public int size() {
    return rows.size();
  }

  /** The table, one line per row after the header, each line ending in a newline. */
  public String render() {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, width);
    rows.forEach(row -> line(out, row, width));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        line.append(GAP);
      }
      line.append(cells.get(c));
      if (c < cells.size() - 1) {
        line.append(" ".repeat(width[c] - cells.get(c).length()));
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  @Override
  public String toString() {
    return render();
  }
}
