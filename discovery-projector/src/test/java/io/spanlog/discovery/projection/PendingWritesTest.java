package io.spanlog.discovery.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.discovery.WriteOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PendingWritesTest {
  @Test
  void whenTheProjectionHaltsWaitingAndLaterWritesFailWithItsSentence() {
    PendingWrites pending = new PendingWrites();
    CompletableFuture<WriteOutcome> waiting = pending.register("e1");
    ProjectionHalted why = new ProjectionHalted("stopped following the event log");
    pending.failAll(why);

    assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class).hasCause(why);
    assertThatThrownBy(() -> pending.register("e2").get()).isInstanceOf(ExecutionException.class).hasCause(why);
    assertThat(pending.size()).isZero();
  }
}
