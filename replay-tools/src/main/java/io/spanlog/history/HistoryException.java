package io.spanlog.history;

/**
 * The log cannot answer what was asked, in one sentence for the operator: an unknown cluster, an
 * instant before the log's retained start, a missing or wrong secret. Never carries a secret.
 */
public final class HistoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HistoryException(String sentence) {
    super(sentence);
  }
}
