package io.spanlog.history.timeline;

/**
 * The secret given for the cluster opens none of its sealed data: it is another cluster's, or an
 * old one. The message is one sentence and never holds key material.
 */
public final class WrongSecretException extends RuntimeException {
  public WrongSecretException(String sentence) {
    super(sentence, null, false, false);
  }
}
