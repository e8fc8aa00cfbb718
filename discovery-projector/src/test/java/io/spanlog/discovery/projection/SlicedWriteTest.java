package io.spanlog.discovery.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.events.Blob;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Watch snapshot goes out in slices, never more than one slice past a full write queue. */
class SlicedWriteTest {
  /** A stream whose queue is full once {@code room} bytes wait in it, until the reader drains it. */
  static final class SlowReader implements WriteStream<Buffer> {
    final int room;
    final Buffer received = Buffer.buffer();
    int waiting;
    int mostWaiting;

    SlowReader(int room) {
      this.room = room;
    }

    void readAll() {
      waiting = 0;
    }

    @Override
    public Future<Void> write(Buffer data) {
      received.appendBuffer(data);
      waiting += data.length();
      mostWaiting = Math.max(mostWaiting, waiting);
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return waiting >= room;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }

  static Buffer bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31);
    }
    return Buffer.buffer(b);
  }

  @Test
  void aSlowReaderNeverHoldsMoreThanItsRoomPlusOneSlice() {
    Buffer snapshot = bytes(4 * 1024 * 1024 + 17);
    SlowReader reader = new SlowReader(64 * 1024);
    SlicedWrite write = new SlicedWrite(snapshot);
    List<Integer> sizes = new ArrayList<>();
    int rounds = 0;
    while (!write.writeSome(reader, w -> sizes.add(w.bytes()))) {
      assertThat(reader.writeQueueFull()).isTrue();
      reader.readAll(); // what the drain handler sees: room again
      rounds++;
    }
    assertThat(write.done()).isTrue();
    assertThat(reader.received).isEqualTo(snapshot);
    assertThat(reader.mostWaiting).isLessThan(64 * 1024 + SlicedWrite.SLICE_BYTES);
    assertThat(rounds).isGreaterThan(60);
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(snapshot.length());
  }

  @Test
  void whatIsLeftGoesOutAtOnceBeforeAStatus() {
    Buffer snapshot = bytes(300_000);
    SlowReader reader = new SlowReader(64 * 1024);
    SlicedWrite write = new SlicedWrite(snapshot);
    assertThat(write.writeSome(reader, w -> {})).isFalse();
    write.writeRest(reader);
    assertThat(write.done()).isTrue();
    assertThat(reader.received).isEqualTo(snapshot);
  }

  @Test
  void aStreamWithRoomTakesItAllAtOnce() {
    SlowReader reader = new SlowReader(Integer.MAX_VALUE);
    SlicedWrite write = new SlicedWrite(bytes(100_000), 4096);
    assertThat(write.writeSome(reader, w -> {})).isTrue();
    assertThat(reader.received).isEqualTo(bytes(100_000));
  }

  @Test
  void theSharedSnapshotIsTheMessageFramedForGrpc() throws Exception {
    ClusterState state = ClusterState.of(List.of(
        new AffiliateState("a", Blob.ofHex("0102"), Instant.EPOCH, List.of()),
        AffiliateState.created("b")));
    SharedSnapshot shared = SharedSnapshot.of(state);
    Buffer framed = shared.framed();
    assertThat(framed.getByte(0)).as("not compressed").isZero();
    assertThat(framed.getInt(1)).isEqualTo(framed.length() - 5);
    WatchResponse parsed = WatchResponse.parseFrom(framed.getBytes(5, framed.length()));
    assertThat(parsed).isEqualTo(WireMessages.snapshot(state)).isEqualTo(shared.message());
    // an empty cluster: an all-default message, a zero-length frame
    assertThat(SharedSnapshot.of(ClusterState.EMPTY).framed().length()).isEqualTo(5);
  }
}
