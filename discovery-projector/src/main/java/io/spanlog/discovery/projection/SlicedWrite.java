package io.spanlog.discovery.projection;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.function.Consumer;

/**
 * Writes one large buffer to a stream in slices, one slice at a time while the stream's write
 * queue has room: a Watch snapshot of several MiB to a reader that does not read sits in the
 * shared buffer, not in every stream's write queue. Slices share the buffer's memory.
 *
 * <p>With Vert.x 5.0.7 an HTTP/2 stream's write queue is full after 16 writes that its peer's
 * flow-control window does not let out, so a reader that stops reading is handed its 64 KiB
 * window plus 16 slices (320 KiB), whatever the snapshot's size (WatchSnapshotIT measures it).
 */
final class SlicedWrite {
  /** Small next to HTTP/2's default 64 KiB window, large enough that a write is not mostly overhead. */
  static final int SLICE_BYTES = 16 * 1024;

  private final Buffer bytes;
  private final int sliceBytes;
  private int position;

  SlicedWrite(Buffer bytes) {
    this(bytes, SLICE_BYTES);
  }

  SlicedWrite(Buffer bytes, int sliceBytes) {
    this.bytes = bytes;
    this.sliceBytes = sliceBytes;
  }

  /**
   * Writes slices until all is handed over (true) or the stream's queue is full (false: call
   * again from its drain handler). {@code written} is told each slice's size and write future.
   */
  boolean writeSome(WriteStream<Buffer> out, Consumer<Written> written) {
    while (position < bytes.length()) {
      if (out.writeQueueFull()) {
        return false;
      }
      int end = Math.min(position + sliceBytes, bytes.length());
      Future<Void> f = out.write(bytes.slice(position, end));
      written.accept(new Written(end - position, f));
      position = end;
    }
    return true;
  }

  /**
   * Hands over whatever is left at once, queue full or not: before a stream's status, so that its
   * client reads a whole message. Costs no copy; the slices share the buffer.
   */
  void writeRest(WriteStream<Buffer> out) {
    while (position < bytes.length()) {
      int end = Math.min(position + sliceBytes, bytes.length());
      out.write(bytes.slice(position, end));
      position = end;
    }
  }

  boolean done() {
    return position >= bytes.length();
  }

  record Written(int bytes, Future<Void> future) {}
}
