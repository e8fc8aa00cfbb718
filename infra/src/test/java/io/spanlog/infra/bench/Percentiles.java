package io.spanlog.infra.bench;

import java.util.Arrays;

/** The latency figures the benches print: p50, p99 and max of a set of measurements. */
public final class Percentiles {
  private Percentiles() {}

  /** {p50, p99, max} of {@code values} (left unsorted); {-1, -1, -1} when there are none. */
  public static long[] p50p99max(long[] values) {
    if (values.length == 0) {
      return new long[] {-1, -1, -1};
    }
    long[] s = values.clone();
    Arrays.sort(s);
    return new long[] {s[(int) Math.min(s.length - 1, Math.round(s.length * 0.50))],
        s[(int) Math.min(s.length - 1, Math.round(s.length * 0.99))], s[s.length - 1]};
  }
}
