package io.spanlog.agent.config;

/** A bad node config: names the field, never quotes a secret. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public ConfigException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
  }

  /** The dotted path of the bad field, e.g. {@code kubespan.listenPort}; empty for the file. */
  public String field() {
    return field;
  }
}
