package io.spanlog.observer.links;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.Event;
import io.spanlog.events.LinkFlapping;
import io.spanlog.events.LinkFlappingCleared;
import io.spanlog.events.PeerState;
import io.spanlog.observer.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlapWatchTest {
  static final LinkKey AB = new LinkKey(Fleet.CLUSTER, A.key(), B.key());
  final FlapWatch watch = new FlapWatch(4, Duration.ofMinutes(10), Duration.ofMinutes(10));
  FlapHistory history = FlapHistory.NONE;
  final List<Event> events = new ArrayList<>();

  @Test
  void moreThanFourChangesWithinTheWindowRaiseFlappingOnce() {
    for (int i = 1; i <= 4; i++) {
      sample(true, t(60L * i));
    }
    assertThat(events).isEmpty();

    sample(true, t(300));
    sample(true, t(360));

    assertThat(events).singleElement().isInstanceOfSatisfying(LinkFlapping.class, f -> {
      assertThat(f.changes()).isEqualTo(5);
      assertThat(f.firstChangeAt()).isEqualTo(t(60));
      assertThat(f.lastChangeAt()).isEqualTo(t(300));
    });
  }

  @Test
  void changesSpreadWiderThanTheWindowAreNotFlapping() {
    for (int i = 0; i < 20; i++) {
      sample(true, t(150L * i)); // four per ten minutes
    }
    assertThat(events).isEmpty();
  }

  @Test
  void theAllClearComesAfterTheQuietPeriodOnce() {
    for (int i = 1; i <= 5; i++) {
      sample(true, t(30L * i));
    }
    sample(false, t(150 + 599));
    assertThat(events).hasSize(1);

    sample(false, t(150 + 600));
    sample(false, t(150 + 630));

    assertThat(events).hasSize(2);
    assertThat(events.get(1)).isInstanceOfSatisfying(LinkFlappingCleared.class, c -> {
      assertThat(c.quietFor()).isEqualTo(Duration.ofMinutes(10));
      assertThat(c.changesWhileFlapping()).isEqualTo(5);
      assertThat(c.lastChangeAt()).isEqualTo(t(150));
    });
    assertThat(history.recentChanges()).isEmpty(); // one change later is not flapping again
  }

  private void sample(boolean changed, Instant at) {
    LinkRecord link = new LinkRecord("node-a", "node-b", PeerState.UP, at, true, at,
        Optional.empty(), EndpointSource.UNKNOWN, "rule", 0, 0, history);
    FlapWatch.Step step = watch.afterSample(AB, link, history, changed, at);
    history = step.next();
    step.event().ifPresent(events::add);
  }
}
