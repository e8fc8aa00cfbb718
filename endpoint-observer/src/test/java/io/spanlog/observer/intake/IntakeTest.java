package io.spanlog.observer.intake;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.batch;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.SampleEvents;
import io.spanlog.observer.Fleet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntakeTest {
  final Intake intake = new Intake(new PlaintextBatchOpener(), Duration.ofMinutes(5));

  @Test
  void aBatchOpensWithItsClusterItsAppendTimeAndItsSampleTime() {
    byte[] json = EventCodec.encode(Fleet.appended(batch(A, t(0)), t(42)));

    BatchOpener.Opened opened = (BatchOpener.Opened) intake.read(json);

    assertThat(opened.batch().clusterId()).isEqualTo(Fleet.CLUSTER);
    assertThat(opened.batch().arrivedAt()).isEqualTo(t(42));
    assertThat(opened.batch().sampledAt()).isEqualTo(t(0));
  }

  @Test
  void aBatchWithoutSampleTimeIsTakenAsSampledWhenAppended() {
    byte[] json = EventCodec.encode(
        Fleet.appended(new HandshakeSampleBatch("node-a", A.key(), true, List.of()), t(42)));

    assertThat(((BatchOpener.Opened) intake.read(json)).batch().sampledAt()).isEqualTo(t(42));
  }

  @Test
  void whatIsNotAReadableBatchIsRefusedWithItsProblem() {
    assertThat(refused("{".getBytes(StandardCharsets.UTF_8)).problem()).isEqualTo("MALFORMED_JSON");
    assertThat(refused(null).problem()).isEqualTo("MALFORMED_JSON");
    assertThat(refused(EventCodec.encode(SampleEvents.all().get(0))).problem())
        .isEqualTo(PlaintextBatchOpener.NOT_A_BATCH);
    BatchOpener.Refused ahead =
        refused(EventCodec.encode(Fleet.appended(batch(A, t(301)), t(0))));
    assertThat(ahead.problem()).isEqualTo(Intake.SAMPLE_TIME_AHEAD);
    assertThat(ahead.reason()).contains("node-a").contains("301 s");
    assertThat(intake.read(EventCodec.encode(Fleet.appended(batch(A, t(300)), t(0)))))
        .isInstanceOf(BatchOpener.Opened.class);
  }

  private BatchOpener.Refused refused(byte[] value) {
    return (BatchOpener.Refused) intake.read(value);
  }
}
