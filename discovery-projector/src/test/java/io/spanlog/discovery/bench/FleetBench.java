package io.spanlog.discovery.bench;

import com.google.protobuf.ByteString;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.HelloRequest;
import io.spanlog.discovery.api.WatchRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.discovery.server.DiscoveryMain;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.infra.Folders;
import io.spanlog.infra.LoopbackPorts;
import io.spanlog.infra.bench.Percentiles;
import io.spanlog.net.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A simulated fleet against the discovery service: {@code ./spanlog bench fleet [--help]}.
 *
 * <p>The service runs as {@code ./spanlog discovery} in child JVMs (one or two instances on one
 * log, the embedded broker in this JVM), so its heap, RSS, CPU and GC pauses are its own. Each
 * simulated node is a light client: real gRPC over real sockets (Vert.x), affiliate data and
 * endpoints encrypted with its cluster's secret exactly as Talos does, one Watch of its cluster,
 * a refresh every TTL/2 (15 min) and endpoint changes at a configured fleet-wide rate. Nodes share
 * connections ({@code --nodes-per-address} per source address 127.x.y.z, one connection per address
 * and instance), so the service's per-address caps and rate limit apply as behind a NAT.
 *
 * <p>Phases: (1) every node says Hello and publishes (memory per affiliate); (2) every node opens
 * its Watch and the streams sit idle (memory per idle Watch stream, heap histogram diff by class);
 * (3) steady state: changes and refreshes, fan-out measured from a change's AffiliateUpdate sent to
 * the last watcher of its cluster receiving it.
 */
@Command(name = "bench fleet", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Fleet simulator: N clusters x M nodes of real gRPC clients against ./spanlog discovery in child JVMs; "
        + "fan-out p50/p99, updates/s, heap and RSS per affiliate and per idle Watch stream, GC pauses, Kafka lag.")
public final class FleetBench implements Callable<Integer> {
  @Option(names = "--clusters", defaultValue = "100", description = "clusters (default ${DEFAULT-VALUE})")
  int clusterCount;

  @Option(names = "--nodes", defaultValue = "10", description = "nodes per cluster (default ${DEFAULT-VALUE})")
  int nodesPerCluster;

  @Option(names = "--changes", defaultValue = "100", description = "endpoint changes per second, fleet-wide (default ${DEFAULT-VALUE})")
  double changeRate;

  @Option(names = "--seconds", defaultValue = "60", description = "measured steady state, after --warmup (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup", defaultValue = "10", description = "unmeasured steady state first, seconds (default ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--nodes-per-address", defaultValue = "100",
      description = "nodes sharing one source address 127.x.y.z, and so one connection per instance: Watch streams per connection (default ${DEFAULT-VALUE})")
  int nodesPerAddress;

  @Option(names = "--instances", defaultValue = "1", description = "discovery instances on one log; node i of a cluster uses instance i mod this (default ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--service-heap", defaultValue = "3g", description = "-Xmx of each discovery JVM (default ${DEFAULT-VALUE})")
  String serviceHeap;

  @Option(names = "--refresh", defaultValue = "900", description = "seconds between a node's refreshes: Talos's TTL/2 (default ${DEFAULT-VALUE})")
  int refreshSeconds;

  @Option(names = "--join-rate", defaultValue = "1500", description = "nodes joining per second, fleet-wide (default ${DEFAULT-VALUE})")
  int joinRate;

  @Option(names = "--join-per-address", defaultValue = "6",
      description = "nodes joining per second per address: a join is 2-3 calls, the service's default rate limit is 15/s per address (default ${DEFAULT-VALUE})")
  int joinPerAddress;

  @Option(names = "--in-flight", defaultValue = "1000", description = "joins or Watch opens in flight at once (default ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--jfr", description = "record the service with JFR during the steady state and print its hottest frames")
  boolean jfr;

  @Option(names = "--keep", paramLabel = "DIR",
      description = "copy each instance's GC log, output and JFR recording (with --jfr) into DIR before the run's files are deleted")
  Path keep;

  @Option(names = "--bootstrap", description = "Kafka to use; default: an embedded broker in a temporary folder, in this JVM")
  String bootstrap;

  @Option(names = "--service-flags", split = " ", description = "extra flags for ./spanlog discovery (space-separated)")
  List<String> serviceFlags = new ArrayList<>();

  static final Duration TTL = Duration.ofMinutes(30);
  private static final Pattern READY = Pattern.compile(
      "discovery service listening on \\S*:(\\d+)(?:, metrics and /healthz on \\S*:(\\d+))?,.*");
  private static final Pattern GC_PAUSE = Pattern.compile("\\[(\\d+)ms\\].*Pause.* (\\d+\\.\\d+)ms$");

  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<Service> services = new ArrayList<>();
  private final List<Cluster> clusters = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<Long, Change> pending = new ConcurrentHashMap<>();
  private final List<long[]> fanout = new ArrayList<>(); // {all, cross-instance (or -1)}
  private final List<Long> acks = new ArrayList<>();
  private volatile boolean stopping;
  private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
  private final AtomicLong updatesAcked = new AtomicLong();
  private Path work;
  private Vertx vertx;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FleetBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (clusterCount < 1 || nodesPerCluster < 1 || nodesPerAddress < 1 || instances < 1 || instances > 2 || changeRate < 0 || seconds < 1) {
      System.err.println("bench fleet: --clusters, --nodes, --nodes-per-address and --seconds must be at least 1, --instances 1 or 2, --changes not negative");
      return 2;
    }
    work = Files.createTempDirectory("spanlog-bench-fleet-");
    EmbeddedKafka kafka = null;
    try {
      if (bootstrap == null) {
        kafka = EmbeddedKafka.start(new BrokerSettings(LoopbackPorts.free(), LoopbackPorts.free(), work.resolve("kafka")));
        bootstrap = kafka.bootstrapServers();
      }
      for (int k = 0; k < instances; k++) {
        services.add(Service.start(this, k));
      }
      vertx = Vertx.vertx();
      build(vertx);
      run();
    } finally {
      for (Service s : services) {
        s.close();
      }
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
      if (kafka != null) {
        kafka.close();
      }
      if (keep != null) {
        Files.createDirectories(keep);
        for (Service s : services) {
          for (Path f : List.of(s.gcLog, s.jfrFile)) {
            if (Files.exists(f)) {
              Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
          }
          synchronized (s.output) {
            Files.write(keep.resolve("output-" + s.index + ".log"), s.output);
          }
        }
      }
      Folders.deleteRecursively(work);
    }
    print();
    return 0;
  }

  // ---- the fleet

  private static final class Cluster {
    final String id;
    final AffiliateCrypto crypto;
    final List<Node> nodes = new ArrayList<>();

    Cluster(String id, AffiliateCrypto crypto) {
      this.id = id;
      this.crypto = crypto;
    }
  }

  private final class Node {
    final Cluster cluster;
    final int index;
    final String id;
    final int instance;
    final GrpcClient client;
    final SocketAddress server;
    volatile AffiliateUpdateRequest current;
    volatile boolean busy;
    volatile boolean watching;
    int changes;

    Node(Cluster cluster, int index, int instance, GrpcClient client, SocketAddress server) {
      this.cluster = cluster;
      this.index = index;
      this.id = cluster.id + "-n" + index;
      this.instance = instance;
      this.client = client;
      this.server = server;
    }

    /** A fresh payload (new GCM nonce) and a new endpoint: what a node sends when its address changes. */
    AffiliateUpdateRequest next() {
      int n = changes++;
      byte[] key = new byte[32];
      new Random(id.hashCode()).nextBytes(key);
      try {
        InetAddress own = InetAddress.getByAddress(new byte[] {10, (byte) (index >> 8), (byte) index, (byte) (1 + n % 200)});
        InetAddress overlay = InetAddress.getByName("fd00::" + Integer.toHexString(index + 1));
        DecodedAffiliate data = new DecodedAffiliate(id, List.of(own), "node-" + index + ".example", "node-" + index,
            index < 3 ? "controlplane" : "worker", "Talos (v1.9.0)",
            Optional.of(new KubeSpanInfo(Base64.getEncoder().encodeToString(key), overlay, List.of(), List.of())));
        ByteString endpoint = ByteString.copyFrom(cluster.crypto.encryptEndpoint(new Endpoint(own, 51820)));
        return AffiliateUpdateRequest.newBuilder().setClusterId(cluster.id).setAffiliateId(id)
            .setAffiliateData(ByteString.copyFrom(cluster.crypto.encryptAffiliate(data)))
            .addAffiliateEndpoints(endpoint)
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(TTL.getSeconds()))
            .build();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** One outstanding change: its watchers count down as it reaches them. */
  private static final class Change {
    final long sent;
    final int expected;
    final int writerInstance;
    final boolean measured;
    final AtomicInteger arrived = new AtomicInteger();
    final AtomicLong last = new AtomicLong();
    final AtomicLong lastOther = new AtomicLong();

    Change(long sent, int expected, int writerInstance, boolean measured) {
      this.sent = sent;
      this.expected = expected;
      this.writerInstance = writerInstance;
      this.measured = measured;
    }
  }

  private static String sourceAddress(int a) {
    int n = a + 1;
    return "127." + (1 + n / (254 * 256)) + "." + (n / 254 % 256) + "." + (1 + n % 254);
  }

  private void build(Vertx vertx) {
    Random random = new Random(16);
    Map<String, GrpcClient> connections = new HashMap<>();
    int g = 0;
    for (int c = 0; c < clusterCount; c++) {
      byte[] secret = new byte[ClusterSecret.LENGTH];
      random.nextBytes(secret);
      Cluster cluster = new Cluster("fleet-c" + c, new AffiliateCrypto(ClusterSecret.fromBytes(secret)));
      clusters.add(cluster);
      for (int i = 0; i < nodesPerCluster; i++, g++) {
        int address = g / nodesPerAddress;
        int instance = i % instances;
        String source = sourceAddress(address);
        GrpcClient client = connections.computeIfAbsent(source + "/" + instance, k -> GrpcClient.client(vertx,
            new GrpcClientOptions().setScheduleDeadlineAutomatically(true).setMaxMessageSize(16 * 1024 * 1024),
            new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                .setHttp2MultiplexingLimit(4096).setLocalAddress(source)));
        Node node = new Node(cluster, i, instance, client, SocketAddress.inetSocketAddress(services.get(instance).port, "127.0.0.1"));
        cluster.nodes.add(node);
        nodes.add(node);
      }
    }
    int addresses = (nodes.size() + nodesPerAddress - 1) / nodesPerAddress;
    notes.add(String.format("fleet: %,d clusters x %,d nodes = %,d nodes on %,d source addresses (127.1.0.2 ...), %,d connections "
            + "(one per address and instance): %,d Watch streams per connection; %d instance(s)",
        clusterCount, nodesPerCluster, nodes.size(), addresses, connections.size(),
        Math.min(nodesPerAddress, nodes.size()) / instances, instances));
  }

  // ---- phases

  private void run() throws Exception {
    Map<Integer, Snapshot> empty = measureAll("0: service started, empty");
    long t0 = System.nanoTime();
    paced("join (Hello + AffiliateUpdate)", this::join);
    double joinSeconds = (System.nanoTime() - t0) / 1e9;
    row("join: Hello + first AffiliateUpdate of every node", String.format("%,d nodes in %.1f s", nodes.size(), joinSeconds),
        String.format("%,.0f updates/s", nodes.size() / joinSeconds), "", "");
    Map<Integer, Snapshot> written = measureAll("1: affiliates written, no Watch");
    t0 = System.nanoTime();
    paced("Watch opens (snapshot received)", this::watch);
    double watchSeconds = (System.nanoTime() - t0) / 1e9;
    row("Watch opens, snapshot received", String.format("%,d streams in %.1f s", nodes.size(), watchSeconds),
        String.format("%,.0f /s", nodes.size() / watchSeconds), "", "");
    Thread.sleep(2000);
    Map<Integer, Snapshot> watching = measureAll("2: every node watching, idle");
    memoryRows(empty, written, watching);
    steady();
  }

  /** Runs {@code step} once per node, paced per address and fleet-wide, at most --in-flight at once. */
  private void paced(String what, java.util.function.Function<Node, Future<Void>> step) throws InterruptedException {
    int addresses = (nodes.size() + nodesPerAddress - 1) / nodesPerAddress;
    double rate = Math.min(joinRate, (double) joinPerAddress * addresses);
    Semaphore slots = new Semaphore(inFlight);
    CountDownLatch done = new CountDownLatch(nodes.size());
    long start = System.nanoTime();
    int sent = 0;
    // round-robin over addresses: node k of every address, then node k+1
    for (int k = 0; k < nodesPerAddress; k++) {
      for (int a = 0; a < addresses; a++) {
        int g = a * nodesPerAddress + k;
        if (g >= nodes.size()) {
          continue;
        }
        long due = start + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        slots.acquire();
        sent++;
        step.apply(nodes.get(g)).onComplete(ar -> {
          if (ar.failed()) {
            errors.computeIfAbsent(what + ": " + ar.cause().getMessage(), e -> new AtomicInteger()).incrementAndGet();
          }
          slots.release();
          done.countDown();
        });
      }
    }
    if (!done.await(90, TimeUnit.SECONDS)) {
      String stuck = what + ": " + done.getCount() + " of " + nodes.size() + " nodes not done 90 s after the last started"
          + "; service says: " + services.stream().map(Service::state).toList();
      System.out.println("bench fleet: " + stuck);
      notes.add(stuck);
    }
  }

  private Future<Void> join(Node node) {
    return retrying(() -> unary(node, ClusterGrpcClient.Hello,
            HelloRequest.newBuilder().setClusterId(node.cluster.id).setClientVersion("v1.9.0").build(), Duration.ofSeconds(10)), 8)
        .compose(v -> {
          node.current = node.next();
          return retrying(() -> unary(node, ClusterGrpcClient.AffiliateUpdate, node.current, Duration.ofSeconds(30)), 8);
        }).mapEmpty();
  }

  private <Q, R> Future<R> unary(Node node, ServiceMethod<R, Q> method, Q request, Duration deadline) {
    return node.client.request(node.server, method).compose(req -> {
      req.timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return req.send(request).compose(resp -> resp.last());
    });
  }

  /** Talos's reconnect backoff, shortened: 0.5 s x 1.5 with jitter. */
  private <T> Future<T> retrying(java.util.function.Supplier<Future<T>> call, int attempts) {
    return call.get().recover(e -> {
      errors.computeIfAbsent("retried: " + e.getMessage(), k -> new AtomicInteger()).incrementAndGet();
      if (attempts <= 1) {
        return Future.failedFuture(e);
      }
      io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
      long delay = (long) (500 * Math.pow(1.5, 8 - attempts) * (0.5 + Math.random()));
      vertx.setTimer(Math.max(1, delay), id -> retrying(call, attempts - 1).onComplete(p));
      return p.future();
    });
  }

  private Future<Void> watch(Node node) {
    io.vertx.core.Promise<Void> first = io.vertx.core.Promise.promise();
    node.client.request(node.server, ClusterGrpcClient.Watch).onSuccess(req -> {
      // handlers before the request goes out: set from this (non Vert.x) thread after it, the
      // snapshot could arrive first and be dropped
      req.response().onSuccess(resp -> {
        resp.handler(m -> {
          if (!node.watching) {
            node.watching = true;
            first.tryComplete();
            return;
          }
          received(node, m);
        });
        resp.endHandler(v -> {
          node.watching = false;
          if (!stopping) {
            errors.computeIfAbsent("Watch ended: " + resp.status() + " " + resp.statusMessage(), k -> new AtomicInteger()).incrementAndGet();
          }
          first.tryFail("Watch ended before its snapshot: " + resp.status() + " " + resp.statusMessage());
        });
        resp.exceptionHandler(first::tryFail);
      }).onFailure(first::tryFail);
      req.end(WatchRequest.newBuilder().setClusterId(node.cluster.id).build());
    }).onFailure(first::tryFail);
    return first.future();
  }

  private void received(Node watcher, WatchResponse m) {
    long now = System.nanoTime();
    for (var affiliate : m.getAffiliatesList()) {
      ByteString data = affiliate.getData();
      if (data.size() < 8) {
        continue;
      }
      Change c = pending.get(data.substring(0, 8).asReadOnlyByteBuffer().getLong());
      if (c == null) {
        continue;
      }
      c.last.accumulateAndGet(now, Math::max);
      if (watcher.instance != c.writerInstance) {
        c.lastOther.accumulateAndGet(now, Math::max);
      }
      if (c.arrived.incrementAndGet() == c.expected) {
        pending.remove(data.substring(0, 8).asReadOnlyByteBuffer().getLong());
        if (c.measured) {
          synchronized (fanout) {
            fanout.add(new long[] {c.last.get() - c.sent, instances > 1 ? c.lastOther.get() - c.sent : -1});
          }
        }
      }
    }
  }

  private static long key(AffiliateUpdateRequest r) {
    return r.getAffiliateData().substring(0, 8).asReadOnlyByteBuffer().getLong();
  }

  private void steady() throws Exception {
    Random random = new Random(7);
    int total = nodes.size();
    double refreshRate = total / (double) refreshSeconds;
    long start = System.nanoTime();
    long warmEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
    long changesSent = 0;
    long refreshesSent = 0;
    int refreshCursor = random.nextInt(total);
    long measuredUpdates = 0;
    long[] lagMax = new long[services.size()];
    long nextScrape = 0;
    Map<Integer, long[]> gcBefore = null;
    Map<Integer, Long> cpuBefore = null;
    long acked0 = 0;
    long measureStart = 0;
    boolean measuring = false;
    double load0 = 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (!measuring && now >= warmEnd) {
        measuring = true;
        measureStart = now;
        acked0 = updatesAcked.get();
        gcBefore = new HashMap<>();
        cpuBefore = new HashMap<>();
        for (Service s : services) {
          gcBefore.put(s.index, s.gcPauses());
          cpuBefore.put(s.index, s.cpuMillis());
          if (jfr) {
            s.startJfr();
          }
        }
        load0 = loadAverage();
      }
      double elapsed = (now - start) / 1e9;
      while (changesSent < (long) (elapsed * changeRate)) {
        Node n = nodes.get(random.nextInt(total));
        if (n.busy) {
          continue;
        }
        changesSent++;
        if (now >= warmEnd) {
          measuredUpdates++;
        }
        change(n, now >= warmEnd);
      }
      while (refreshesSent < (long) (elapsed * refreshRate)) {
        Node n = nodes.get(refreshCursor);
        refreshCursor = (refreshCursor + 1) % total;
        refreshesSent++;
        if (!n.busy) {
          update(n, n.current).onComplete(ar -> n.busy = false);
        }
      }
      if (measuring && now >= nextScrape) {
        nextScrape = now + TimeUnit.SECONDS.toNanos(1);
        for (Service s : services) {
          lagMax[s.index] = Math.max(lagMax[s.index], s.lag());
        }
      }
      Thread.sleep(2);
    }
    double measuredSeconds = (System.nanoTime() - measureStart) / 1e9;
    long acked = updatesAcked.get() - acked0;
    double load1 = loadAverage();
    // let the last changes arrive
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (pending.values().stream().anyMatch(c -> c.measured) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long incomplete = pending.values().stream().filter(c -> c.measured).count();
    long[] all;
    long[] cross;
    long[] ack;
    synchronized (fanout) {
      all = fanout.stream().mapToLong(f -> f[0]).toArray();
      cross = fanout.stream().mapToLong(f -> f[1]).filter(v -> v >= 0).toArray();
    }
    synchronized (acks) {
      ack = acks.stream().mapToLong(Long::longValue).toArray();
    }
    stopping = true;
    row(String.format("steady state: %,.0f changes/s + refreshes every %d s", changeRate, refreshSeconds),
        String.format("%,.1f s measured, %,d changes", measuredSeconds, measuredUpdates),
        String.format("%,.0f updates/s acked", acked / measuredSeconds), "", "");
    rowMs("AffiliateUpdate sent -> OK (the changes)", ack.length + " changes", Percentiles.p50p99max(ack));
    rowMs(String.format("fan-out: change sent -> all %d watchers of its cluster", nodesPerCluster),
        all.length + " changes, " + incomplete + " incomplete", Percentiles.p50p99max(all));
    if (instances > 1) {
      rowMs("  ... -> the last watcher on the OTHER instance", cross.length + " changes", Percentiles.p50p99max(cross));
    }
    for (Service s : services) {
      long[] gc = s.gcPauses();
      long[] before = gcBefore.get(s.index);
      long cpu = s.cpuMillis() - cpuBefore.get(s.index);
      row("instance " + s.index + ": GC pauses in the measured window",
          String.format("%d pauses, %.1f ms total", gc[0] - before[0], (gc[1] - before[1]) / 1000.0),
          String.format("max %.1f ms", s.maxPauseSince(before[2]) / 1000.0), "", "");
      row("instance " + s.index + ": Kafka consumer lag (projection), max of 1 s samples", "", lagMax[s.index] + " records", "", "");
      row("instance " + s.index + ": service CPU in the measured window", "", String.format("%.0f %% of a core", 100.0 * cpu / 1000.0 / measuredSeconds), "", "");
      if (jfr) {
        notes.addAll(s.jfrTop());
      }
    }
    notes.add(String.format("load average: %.2f at the start of the measured window, %.2f at its end (2 cores, shared)", load0, load1));
  }

  private void change(Node n, boolean measured) {
    n.busy = true;
    AffiliateUpdateRequest r = n.next();
    n.current = r;
    long sent = System.nanoTime();
    int watchers = (int) n.cluster.nodes.stream().filter(w -> w.watching).count();
    Change c = new Change(sent, watchers, n.instance, measured);
    pending.put(key(r), c);
    update(n, r).onComplete(ar -> {
      n.busy = false;
      if (ar.succeeded()) {
        if (measured) {
          synchronized (acks) {
            acks.add(System.nanoTime() - sent);
          }
        }
      } else {
        pending.remove(key(r));
      }
    });
  }

  private Future<Void> update(Node n, AffiliateUpdateRequest r) {
    n.busy = true;
    return unary(n, ClusterGrpcClient.AffiliateUpdate, r, Duration.ofSeconds(30)).<Void>mapEmpty()
        .onSuccess(v -> updatesAcked.incrementAndGet())
        .onFailure(e -> errors.computeIfAbsent("AffiliateUpdate: " + e.getMessage(), k -> new AtomicInteger()).incrementAndGet());
  }

  // ---- memory

  record Snapshot(long liveHeap, long rss, Map<String, long[]> histogram) {}

  private Map<Integer, Snapshot> measureAll(String when) throws Exception {
    Map<Integer, Snapshot> m = new LinkedHashMap<>();
    for (Service s : services) {
      m.put(s.index, s.measure());
    }
    System.out.println("bench fleet: measured " + when + "; " + services.stream().map(Service::state).toList());
    return m;
  }

  private void memoryRows(Map<Integer, Snapshot> empty, Map<Integer, Snapshot> written, Map<Integer, Snapshot> watching) {
    long affiliates = nodes.size();
    long streams = nodes.stream().filter(n -> n.watching).count();
    long heapA = 0;
    long rssA = 0;
    long heapW = 0;
    long rssW = 0;
    Map<String, long[]> diff = new HashMap<>();
    for (Service s : services) {
      heapA += written.get(s.index).liveHeap - empty.get(s.index).liveHeap;
      rssA += written.get(s.index).rss - empty.get(s.index).rss;
      heapW += watching.get(s.index).liveHeap - written.get(s.index).liveHeap;
      rssW += watching.get(s.index).rss - written.get(s.index).rss;
      watching.get(s.index).histogram.forEach((cls, v) -> {
        long[] before = written.get(s.index).histogram.getOrDefault(cls, new long[2]);
        diff.merge(cls, new long[] {v[0] - before[0], v[1] - before[1]}, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
      });
      row("instance " + s.index + ": live heap / RSS, empty -> written -> watching", "",
          mib(empty.get(s.index).liveHeap) + " / " + mib(empty.get(s.index).rss),
          mib(written.get(s.index).liveHeap) + " / " + mib(written.get(s.index).rss),
          mib(watching.get(s.index).liveHeap) + " / " + mib(watching.get(s.index).rss));
    }
    row("live heap per affiliate (written - empty)", String.format("%,d affiliates", affiliates), bytes(heapA / (double) affiliates), "", "");
    row("RSS per affiliate", "", bytes(rssA / (double) affiliates), "", "");
    row("live heap per idle Watch stream (watching - written)", String.format("%,d streams", streams), bytes(heapW / (double) streams), "", "");
    row("RSS per idle Watch stream", "", bytes(rssW / (double) streams), "", "");
    // who holds it: the classes that grew, and by library
    Map<String, Long> byOwner = new LinkedHashMap<>();
    diff.forEach((cls, v) -> byOwner.merge(owner(cls), v[1], Long::sum));
    StringBuilder owners = new StringBuilder("per idle Watch stream, by library (heap histogram diff):");
    byOwner.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> owners.append(String.format(" %s %s;", e.getKey(), bytes(e.getValue() / (double) streams))));
    notes.add(owners.toString());
    notes.add("classes that grew most per idle Watch stream (instances per stream, bytes per stream):");
    diff.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed()).limit(25)
        .forEach(e -> notes.add(String.format("  %6.2f  %7.1f B  %s", e.getValue()[0] / (double) streams, e.getValue()[1] / (double) streams, e.getKey())));
  }

  private static String owner(String cls) {
    if (cls.startsWith("io.netty.")) {
      return "Netty";
    }
    if (cls.startsWith("io.vertx.")) {
      return "Vert.x";
    }
    if (cls.startsWith("io.spanlog.")) {
      return "Spanlog";
    }
    if (cls.startsWith("org.apache.kafka.")) {
      return "Kafka";
    }
    return "JDK types (arrays, maps, lambdas: held by the above)";
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static String bytes(double b) {
    return Math.abs(b) >= 10 * 1024 ? String.format("%.1f KiB", b / 1024) : String.format("%.0f B", b);
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  // ---- the service, in its own JVM

  private static final class Service implements AutoCloseable {
    final int index;
    final Process process;
    final Path gcLog;
    final Path jfrFile;
    final List<String> output = new ArrayList<>();
    int port;
    int metricsPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private Service(int index, Process process, Path gcLog, Path jfrFile) {
      this.index = index;
      this.process = process;
      this.gcLog = gcLog;
      this.jfrFile = jfrFile;
    }

    static Service start(FleetBench bench, int index) throws Exception {
      Path gcLog = bench.work.resolve("gc-" + index + ".log");
      Path jfrFile = bench.work.resolve("service-" + index + ".jfr");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + bench.serviceHeap, "-XX:+UseG1GC", "-Xlog:gc:file=" + gcLog + ":uptimemillis",
          "-cp", System.getProperty("java.class.path"), DiscoveryMain.class.getName(),
          "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--bootstrap", bench.bootstrap,
          "--instance-id", "fleet-" + index,
          "--max-clusters", String.valueOf(Math.max(8192, bench.clusterCount + 16)),
          "--max-affiliates", String.valueOf(Math.max(32768, bench.clusterCount * bench.nodesPerCluster + 1024))));
      command.addAll(bench.serviceFlags);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      Service s = new Service(index, p, gcLog, jfrFile);
      CompletableFuture<int[]> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            synchronized (s.output) {
              if (s.output.size() < 2000) {
                s.output.add(line);
              }
            }
            Matcher m = READY.matcher(line);
            if (m.matches()) {
              ready.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
            }
          }
        } catch (IOException e) {
          // gone
        }
        ready.completeExceptionally(new IllegalStateException("the discovery JVM exited"));
      }, "fleet-service-" + index);
      reader.setDaemon(true);
      reader.start();
      try {
        int[] ports = ready.get(120, TimeUnit.SECONDS);
        s.port = ports[0];
        s.metricsPort = ports[1];
      } catch (Exception e) {
        s.close();
        synchronized (s.output) {
          throw new IllegalStateException("discovery instance " + index + " did not start; its output:\n" + String.join("\n", s.output), e);
        }
      }
      System.out.println("bench fleet: discovery instance " + index + " (pid " + p.pid() + ") on port " + s.port);
      return s;
    }

    String jcmd(String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(process.pid())));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(120, TimeUnit.SECONDS);
      return out;
    }

    /** Live heap by class (GC.class_histogram collects first) and RSS. */
    Snapshot measure() throws Exception {
      String histogram = jcmd("GC.class_histogram");
      Map<String, long[]> classes = new HashMap<>();
      long total = 0;
      for (String line : histogram.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[0].endsWith(":")) {
          classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        } else if (f.length == 3 && f[0].equals("Total")) {
          total = Long.parseLong(f[2]);
        }
      }
      return new Snapshot(total, rss(), classes);
    }

    long rss() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
      return -1;
    }

    long cpuMillis() throws IOException {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime + stime, 100 ticks/s
    }

    /** {pauses, total microseconds, uptime ms of the log's end} so far. */
    long[] gcPauses() throws IOException {
      long count = 0;
      long micros = 0;
      long uptime = 0;
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC_PAUSE.matcher(line);
        if (m.find()) {
          count++;
          micros += (long) (Double.parseDouble(m.group(2)) * 1000);
          uptime = Long.parseLong(m.group(1));
        }
      }
      return new long[] {count, micros, uptime};
    }

    long maxPauseSince(long uptimeMillis) throws IOException {
      long max = 0;
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC_PAUSE.matcher(line);
        if (m.find() && Long.parseLong(m.group(1)) > uptimeMillis) {
          max = Math.max(max, (long) (Double.parseDouble(m.group(2)) * 1000));
        }
      }
      return max;
    }

    /** The projection's Kafka lag, from the service's own metrics. */
    long lag() {
      return (long) metric("spanlog_discovery_projection_lag");
    }

    /** One value of the service's Prometheus metrics; -1 when absent. */
    double metric(String prefix) {
      try {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
          if (line.startsWith(prefix)) {
            return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          }
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        return -1;
      }
      return -1;
    }

    String state() {
      return String.format("instance %d: %.0f affiliates, %.0f Watch streams, %.0f snapshots built, lag %.0f", index,
          metric("discovery_state_affiliates"), metric("discovery_state_subscriptions"),
          metric("spanlog_discovery_watch_snapshots_built"), metric("spanlog_discovery_projection_lag"));
    }

    void startJfr() throws Exception {
      jcmd("JFR.start", "name=fleet", "settings=profile", "filename=" + jfrFile);
    }

    /** The service's hottest frames while measured: top of stack, and the first Spanlog frame under it. */
    List<String> jfrTop() throws Exception {
      jcmd("JFR.stop", "name=fleet");
      Map<String, Integer> top = new HashMap<>();
      Map<String, Integer> spanlog = new HashMap<>();
      int samples = 0;
      for (var e : RecordingFile.readAllEvents(jfrFile)) {
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        top.merge(frame(st.getFrames().get(0)), 1, Integer::sum);
        String ours = "(no Spanlog frame)";
        for (RecordedFrame f : st.getFrames()) {
          if (f.getMethod().getType().getName().startsWith("io.spanlog.")) {
            ours = frame(f);
            break;
          }
        }
        spanlog.merge(ours, 1, Integer::sum);
      }
      List<String> lines = new ArrayList<>();
      int n = samples;
      lines.add("instance " + index + " JFR, " + n + " execution samples; top frames:");
      top.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(15)
          .forEach(e -> lines.add(String.format("  %5.1f %%  %s", 100.0 * e.getValue() / n, e.getKey())));
      lines.add("instance " + index + " JFR, first Spanlog frame on the stack:");
      spanlog.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
          .forEach(e -> lines.add(String.format("  %5.1f %%  %s", 100.0 * e.getValue() / n, e.getKey())));
      return lines;
    }

    private static String frame(RecordedFrame f) {
      return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    @Override
    public void close() {
      process.toHandle().destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.toHandle().destroyForcibly();
          process.waitFor(20, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.toHandle().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- output

  private void row(String what, String detail, String value, String b, String c) {
    rows.add(new String[] {what, detail, value, b, c});
    System.out.println("bench fleet: " + String.join(" | ", rows.get(rows.size() - 1)));
  }

  private void rowMs(String what, String detail, long[] p) {
    row(what, detail, ms(p[0]), ms(p[1]), ms(p[2]));
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "" : String.format("%.1f ms", nanos / 1e6);
  }

  private void print() {
    String format = "| %-66s | %-32s | %-22s | %-12s | %-12s |%n";
    System.out.println();
    System.out.printf(format, "what", "detail", "p50 / value", "p99", "max");
    System.out.printf(format, "-".repeat(66), "-".repeat(32), "-".repeat(22), "-".repeat(12), "-".repeat(12));
    for (String[] r : rows) {
      System.out.printf(format, (Object[]) r);
    }
    System.out.println();
    notes.forEach(System.out::println);
    if (!errors.isEmpty()) {
      System.out.println("calls that failed or were retried:");
      errors.forEach((k, v) -> System.out.println("  " + v.get() + " x " + k));
    }
    System.out.printf("simulator JVM: %s, %d CPUs, max heap %d MB; service JVM(s): -Xmx%s, G1%n", System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, serviceHeap);
  }
}
