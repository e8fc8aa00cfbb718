package io.spanlog.ctl;

import java.io.IOException;

/** Where one node's status API answers: directly on localhost, or through its namespace. */
@FunctionalInterface
public interface StatusSource {

  /**
   * The JSON body of {@code GET <path>} (e.g. {@code /v1/peerstatuses}).
   *
   * @throws IOException when the API does not answer or answers with an error (message says which)
   */
  String get(String path) throws IOException;
}
