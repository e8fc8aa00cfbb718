package io.spanlog.ctl;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.discovery.ClusterState;
import io.spanlog.events.Envelope;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.read.ReadStats;
import io.spanlog.history.read.Scan;
import io.spanlog.history.time.TimeSpec;
import io.spanlog.history.timeline.LinkTimeline;
import io.spanlog.history.timeline.LinkTimelineFold;
import io.spanlog.history.timeline.StateSpan;
import io.spanlog.history.timeline.TimelineEntry;
import io.spanlog.history.timeline.TimelineLog;
import io.spanlog.history.timeline.TimelineQuery;
import io.spanlog.history.timeline.UnknownLinkException;
import io.spanlog.history.timeline.Wording;
import io.spanlog.history.timeline.WrongSecretException;
import io.spanlog.history.timeline.render.TimelineRenderer;
import io.spanlog.history.HistoryException;
import io.spanlog.history.SecretLookup;
import io.spanlog.history.state.DiscoveryReplay;
import io.spanlog.text.PrintableText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spanlog ctl history timeline}: one link's story over a time range, read from the log and
 * told by {@link LinkTimelineFold}; {@code --html} also draws it as one self-contained page.
 */
@Command(name = "timeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "One time-ordered story of a link (NODE observing PEER) from the log: affiliate changes of both ends",
      "(endpoints added, expired, harvested, with the writer's address), the endpoint in use and where it came",
      "from, cycling to another candidate, state changes with the rule that set them, handshake gaps, RX/TX,",
      "and both ends' reachability of discovery. Link states come from the endpoint observer's events; where",
      "there are none it says so and reads the raw samples (sealed: give the cluster's secret with --secrets)."},
    footer = {
      "",
      "Exit codes: 0 ok, 1 failure (Kafka unreachable, unknown cluster or link, wrong secret, a range",
      "before the log's retained start, --html not writable), 2 bad usage (bad --link, TIME or format)."})
final class HistoryTimeline implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  HistoryOptions log;

  @Option(names = "--cluster", required = true, paramLabel = "<id>", description = "the cluster")
  String cluster;

  @Option(names = "--link", required = true, paramLabel = "NODE:PEER",
      description = "the link: NODE observing PEER, each a node name, host name or public key")
  String link;

  @Option(names = "--from", required = true, paramLabel = "TIME", description = "start of the range (" + TimeSpec.FORMS + ")")
  String from;

  @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "end of the range (default: now)")
  String to;

  @Option(names = "--secrets", paramLabel = "<dir>",
      description = "the secrets directory (one file per cluster): decrypts affiliates, endpoints and samples; "
          + "without it only the observer's events (clear) tell the story")
  Path secrets;

  @Option(names = "--html", paramLabel = "<file>",
      description = "also write the timeline as one self-contained HTML page (opens with no network)")
  Path html;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String format = log.output();
    String[] ends;
    try {
      ends = TimelineQuery.parseLink(link);
    } catch (IllegalArgumentException e) {
      throw CtlFailure.usage(e.getMessage());
    }
    Instant start = log.time("--from", from);
    Instant end = log.time("--to", to);
    if (end.isBefore(start)) {
      throw CtlFailure.usage("--to (" + end + ") is before --from (" + start + ")");
    }
    if (cluster.isBlank()) {
      throw CtlFailure.usage("--cluster must not be empty");
    }
    Optional<ClusterSecret> secret = SecretLookup.find(secrets, cluster);
    TimelineQuery query = new TimelineQuery(cluster, ends[0], ends[1], start, end, secret);

    ReadStats stats = new ReadStats();
    LinkTimeline timeline;
    try (LogAccess access = log.access();
        LogReader reader = new LogReader(access, Progress.onTerminal(System.err))) {
      timeline = TimelineLog.read(reader, topics(log), query, stats);
    } catch (UnknownLinkException | WrongSecretException | HistoryException | IllegalStateException e) {
      throw CtlFailure.failure(PrintableText.of(e.getMessage()));
    }
    out.print(HistoryOutput.render(format, timeline, () -> table(timeline)));
    out.flush();
    if (stats.skippedTotal() > 0) {
      err.println("spanlog ctl: " + stats.skippedSentence());
    }
    if (html != null) {
      try {
        Path parent = html.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(html, new TimelineRenderer().page(timeline), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw CtlFailure.failure("cannot write the HTML page to " + html + ": " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
      }
      err.println("spanlog ctl: wrote the timeline page to " + html.toAbsolutePath() + " (open it in a browser; "
          + "it needs no network)");
    }
    err.flush();
    return ExitCodes.OK;
  }

  /** The topics a timeline reads, as the options name them. */
  static TimelineLog.Topics topics(HistoryOptions log) {
    return new TimelineLog.Topics(log.eventsTopic(), log.checkpointsTopic(), log.telemetryTopic(),
        log.linkEventsTopic(), log.linkMetricsTopic());
  }


  static String table(LinkTimeline tl) {
    StringBuilder s = new StringBuilder();
    Table head = Table.of("LINK", "CLUSTER", "FROM", "TO", "STATES FROM", "RATES FROM");
    head.row(tl.title(), tl.clusterId(), millis(tl.from()), millis(tl.to()), words(tl.stateSource().name()),
        words(tl.rateSource().name()));
    s.append(head.render());
    s.append("NODE ").append(PrintableText.of(tl.node().name())).append(' ').append(tl.node().publicKey())
        .append("   PEER ").append(PrintableText.of(tl.peer().name())).append(' ').append(tl.peer().publicKey())
        .append('\n');
    tl.notes().forEach(n -> s.append("note: ").append(PrintableText.of(n)).append('\n'));
    s.append('\n');
    Table states = Table.of("STATE", "FROM", "TO", "FOR", "ENDPOINT", "RULE");
    for (StateSpan span : tl.states()) {
      states.row(span.state().wireName(), millis(span.from()), millis(span.to()),
          Wording.duration(Duration.between(span.from(), span.to())),
          span.endpoint().map(e -> e + " (" + span.source().wireName() + ")").orElse(""), span.rule());
    }
    s.append(states.render()).append('\n');
    Table events = Table.of("TIME", "ABOUT", "EVENT", "WHAT");
    for (TimelineEntry e : tl.entries()) {
      String about = switch (e.about()) {
        case NODE -> tl.node().name();
        case PEER -> tl.peer().name();
        case LINK -> "link";
      };
      events.row(e.at().truncatedTo(ChronoUnit.MILLIS).toString(), about, e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.text());
    }
    s.append(events.render());
    return s.toString();
  }

  private static String millis(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static String words(String source) {
    return switch (source) {
      case "OBSERVER" -> "observer";
      case "SAMPLES" -> "raw samples";
      default -> "none";
    };
  }
}
