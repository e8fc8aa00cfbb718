package io.spanlog.agent.wireguard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request/response exchange per connection with a UAPI socket. After writing the request the
 * client half-closes its side; the daemon answers, finds end-of-input and closes, so the response
 * is everything up to end-of-stream. A watchdog closes a connection that hangs.
 */
final class UapiClient {
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "uapi-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final String iface;
  private final Path socket;
  private final Duration timeout;

  UapiClient(String iface, Path socket, Duration timeout) {
    this.iface = iface;
    this.socket = socket;
    this.timeout = timeout;
  }

  Path socket() {
    return socket;
  }

  DeviceSnapshot get() {
    return UapiProtocol.parseGet(iface, exchange(UapiProtocol.GET));
  }

  void set(String request) {
    UapiProtocol.requireSuccess(iface, "set", exchange(request));
  }

  /** True when a daemon answers on the socket. */
  boolean answers() {
    try {
      get();
      return true;
    } catch (WireGuardException e) {
      return false;
    }
  }

  String exchange(String request) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> closeQuietly(channel), timeout.toMillis(), TimeUnit.MILLISECONDS);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
          channel.write(out);
        }
        channel.shutdownOutput();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        while (channel.read(in) >= 0) {
          in.flip();
          response.write(in.array(), 0, in.limit());
          in.clear();
        }
        return response.toString(StandardCharsets.UTF_8);
      } finally {
        watchdog.cancel(false);
      }
    } catch (IOException e) {
      throw new WireGuardException(iface + ": UAPI socket " + socket + " failed: " + describe(e), e);
    }
  }

  private String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    if (kind.equals("AsynchronousCloseException") || kind.equals("ClosedByInterruptException")) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    return e.getMessage() == null ? kind : e.getMessage();
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // The exchange reports the failure.
    }
  }
}
