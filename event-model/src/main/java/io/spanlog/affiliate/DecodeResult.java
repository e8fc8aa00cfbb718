package io.spanlog.affiliate;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of decoding something a remote party sent: data from the network is expected to be
 * wrong sometimes (another secret, a newer payload, junk), so failing is a value, not an exception.
 */
public sealed interface DecodeResult<T> {

  record Ok<T>(T value) implements DecodeResult<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Why decoding failed; {@code detail} never contains key material or plaintext. */
  record Failed<T>(DecodeProblem problem, String detail) implements DecodeResult<T> {
    public Failed {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(detail, "detail");
    }

    /** The same failure as the result of another decoding step. */
    public <U> Failed<U> retyped() {
      return new Failed<>(problem, detail);
    }

    @Override
    public String toString() {
      return problem.wireName() + ": " + detail;
    }
  }

  static <T> DecodeResult<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> DecodeResult<T> failed(DecodeProblem problem, String detail) {
    return new Failed<>(problem, detail);
  }

  default Optional<T> asOptional() {
    return this instanceof Ok<T> ok ? Optional.of(ok.value()) : Optional.empty();
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  default <U> DecodeResult<U> map(Function<T, U> f) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(f.apply(ok.value()));
    }
    Failed<T> failed = (Failed<T>) this;
    return new Failed<>(failed.problem(), failed.detail());
  }
}
