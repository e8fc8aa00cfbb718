package io.spanlog.history.timeline;

/**
 * The link asked for is not in the log: an end that no record names, or a pair of which nothing
 * was recorded in the range. The message is one sentence for the operator (names escaped by the
 * printer).
 */
public final class UnknownLinkException extends RuntimeException {
  public UnknownLinkException(String sentence) {
    super(sentence, null, false, false);
  }
}
