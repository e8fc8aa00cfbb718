package io.spanlog.agent.reconcile;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task on an executor when fired, never twice at once: a fire while it runs makes exactly
 * one more run afterwards, however many fires came. A burst of Watch messages and a timer tick
 * thus cost one reconcile pass, and the last pass always sees the latest view.
 */
public final class CoalescingTrigger {
  private static final Logger LOG = LoggerFactory.getLogger(CoalescingTrigger.class);
  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int RUNNING_AGAIN = 2;

  private final Executor executor;
  private final Runnable task;
  private final AtomicInteger state = new AtomicInteger(IDLE);

  public CoalescingTrigger(Executor executor, Runnable task) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.task = Objects.requireNonNull(task, "task");
  }

  public void fire() {
    while (true) {
      int s = state.get();
      if (s == IDLE) {
        if (state.compareAndSet(IDLE, RUNNING)) {
          submit();
          return;
        }
      } else if (s == RUNNING) {
        if (state.compareAndSet(RUNNING, RUNNING_AGAIN)) {
          return;
        }
      } else {
        return;
      }
    }
  }

  private void submit() {
    try {
      executor.execute(this::runOnce);
    } catch (RuntimeException e) {
      state.set(IDLE); // the executor is shut down: the agent is stopping
    }
  }

  private void runOnce() {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("reconcile pass failed: {}", e.getMessage() == null ? e.toString() : e.getMessage());
    }
    while (true) {
      if (state.compareAndSet(RUNNING_AGAIN, RUNNING)) {
        submit();
        return;
      }
      if (state.compareAndSet(RUNNING, IDLE)) {
        return;
      }
    }
  }
}
