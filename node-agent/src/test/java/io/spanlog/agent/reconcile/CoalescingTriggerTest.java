package io.spanlog.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingTriggerTest {
  /** An executor that runs tasks only when the test says so. */
  private final Deque<Runnable> queued = new ArrayDeque<>();
  private final AtomicInteger runs = new AtomicInteger();

  @Test
  void firesDuringARunCostExactlyOneMoreRun() {
    CoalescingTrigger[] trigger = new CoalescingTrigger[1];
    trigger[0] = new CoalescingTrigger(queued::add, () -> {
      runs.incrementAndGet();
      if (runs.get() == 1) {
        trigger[0].fire();
        trigger[0].fire();
        trigger[0].fire();
      }
    });
    trigger[0].fire();
    trigger[0].fire(); // queued, not yet running: coalesced into the first run
    assertThat(queued).hasSize(1);
    queued.poll().run();
    assertThat(queued).hasSize(1); // one re-run for the three fires made while running
    queued.poll().run();
    assertThat(queued).isEmpty();
    assertThat(runs).hasValue(2);
    trigger[0].fire(); // idle again: runs
    assertThat(queued).hasSize(1);
  }

  @Test
  void aFailingRunDoesNotStopLaterOnes() {
    var trigger = new CoalescingTrigger(queued::add, () -> {
      runs.incrementAndGet();
      throw new IllegalStateException("device gone");
    });
    trigger.fire();
    queued.poll().run();
    trigger.fire();
    queued.poll().run();
    assertThat(runs).hasValue(2);
  }
}
