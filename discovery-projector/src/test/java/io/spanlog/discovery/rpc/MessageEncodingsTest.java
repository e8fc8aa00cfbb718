package io.spanlog.discovery.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class MessageEncodingsTest {
  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(plain);
    }
    return out.toByteArray();
  }

  static GrpcMessage message(String encoding, byte[] payload) {
    return GrpcMessage.message(encoding, WireFormat.PROTOBUF, Buffer.buffer(payload));
  }

  @Test
  void identityPassesThroughAndGzipIsUnpacked() throws IOException {
    GrpcMessage plain = message("identity", new byte[] {1, 2, 3});
    assertThat(MessageEncodings.identity(plain, 100)).isSameAs(plain);
    GrpcMessage unpacked = MessageEncodings.identity(message("gzip", gzip(new byte[] {4, 5, 6})), 100);
    assertThat(unpacked.payload().getBytes()).containsExactly(4, 5, 6);
    assertThat(unpacked.encoding()).isEqualTo("identity");
  }

  @Test
  void aGzipBombStopsAtTheMessageLimit() throws IOException {
    GrpcMessage bomb = message("gzip", gzip(new byte[1_000_000]));
    assertThatThrownBy(() -> MessageEncodings.identity(bomb, 64 * 1024))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED));
  }

  @Test
  void brokenGzipAndUnknownEncodingsAreRefusedWithAStatus() {
    assertThatThrownBy(() -> MessageEncodings.identity(message("gzip", new byte[] {1, 2, 3}), 100))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT))
        .hasMessage("request message is not valid gzip");
    assertThatThrownBy(() -> MessageEncodings.identity(message("snappy", new byte[] {1}), 100))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.status()).isEqualTo(GrpcStatus.UNIMPLEMENTED));
  }
}
