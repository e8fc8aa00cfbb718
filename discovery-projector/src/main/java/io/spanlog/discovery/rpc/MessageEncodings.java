package io.spanlog.discovery.rpc;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Request message compression: identity, or gzip (the one other encoding gRPC clients use). */
final class MessageEncodings {
  private MessageEncodings() {}

  /** The message uncompressed, at most {@code maxBytes} long. */
  static GrpcMessage identity(GrpcMessage message, int maxBytes) {
    String encoding = message.encoding();
    if (encoding == null || encoding.equals("identity")) {
      return message;
    }
    if (!encoding.equals("gzip")) {
      throw new StatusError(GrpcStatus.UNIMPLEMENTED, "message encoding not supported (this server reads identity and gzip)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message.payload().getBytes()))) {
      byte[] chunk = new byte[8192];
      for (int n; (n = in.read(chunk)) > 0; ) {
        if (out.size() + n > maxBytes) {
          throw new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, "request message is larger than the server accepts");
        }
        out.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw StatusError.invalid("request message is not valid gzip");
    }
    return GrpcMessage.message("identity", message.format(), Buffer.buffer(out.toByteArray()));
  }
}
