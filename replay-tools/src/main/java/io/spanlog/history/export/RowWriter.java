package io.spanlog.history.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes {@link EventRows} as JSON Lines (one object per line, {@code payload} as a nested object)
 * or CSV (a header line, RFC 4180 quoting by Jackson's CSV writer, {@code payload} as JSON text,
 * an absent value as an empty field).
 */
public abstract sealed class RowWriter implements AutoCloseable {
  /** An export format. */
  public enum Format {
    JSONL, CSV;

    /** The format a user typed ({@code jsonl} or {@code csv}), if it is one. */
    public static Optional<Format> parse(String typed) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(typed)) {
          return Optional.of(f);
        }
      }
      return Optional.empty();
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static RowWriter of(Format format, Writer out) throws IOException {
    return format == Format.CSV ? new Csv(out) : new JsonLines(out);
  }

  public abstract void write(EventRows.Row row) throws IOException;

  @Override
  public abstract void close() throws IOException;

  private static final class JsonLines extends RowWriter {
    private static final ObjectMapper JSON = new ObjectMapper()
        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private final Writer out;

    JsonLines(Writer out) {
      this.out = out;
    }

    @Override
    public void write(EventRows.Row row) throws IOException {
      out.write(JSON.writeValueAsString(row.values()));
      out.write('\n');
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  private static final class Csv extends RowWriter {
    private final SequenceWriter rows;

    Csv(Writer out) throws IOException {
      CsvMapper csv = new CsvMapper();
      csv.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
      EventRows.COLUMNS.forEach(schema::addColumn);
      rows = csv.writer(schema.build()).writeValues(out);
    }

    @Override
    public void write(EventRows.Row row) throws IOException {
      List<String> cells = new ArrayList<>(EventRows.COLUMNS.size());
      for (String column : EventRows.COLUMNS) {
        Object v = row.get(column);
        cells.add(v instanceof JsonNode json ? json.toString() : v == null ? null : v.toString());
      }
      rows.write(cells);
    }

    @Override
    public void close() throws IOException {
      rows.close();
    }
  }
}
