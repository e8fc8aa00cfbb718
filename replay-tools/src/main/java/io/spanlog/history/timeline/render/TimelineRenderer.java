package io.spanlog.history.timeline.render;

import io.spanlog.history.timeline.EndpointMark;
import io.spanlog.history.timeline.LinkTimeline;
import io.spanlog.history.timeline.PresenceSpan;
import io.spanlog.history.timeline.RatePoint;
import io.spanlog.history.timeline.StateSpan;
import io.spanlog.history.timeline.TimelineEntry;
import io.spanlog.history.timeline.Wording;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Draws a {@link LinkTimeline} as hand-written SVG and HTML: the state bands (the link's state,
 * both ends' discovery reachability) with the endpoint changes marked, the RX/TX plot, and the
 * event list. {@link #page} puts them in one self-contained HTML page (inline CSS and SVG, no
 * script, nothing fetched), which opens with no network; {@link #interactivePage} is the same page
 * as the console serves it, with zoom and links out.
 *
 * <p>Every text that comes from the log is escaped ({@link Html#escape}). The elements tests and
 * the console look for carry stable ids and classes: {@code svg#state-bands} with {@code
 * rect.band.state-up|down|unknown} and {@code rect.presence}, {@code line.endpoint-change},
 * {@code svg#rates} with {@code polyline.rate.rx} and {@code .rate.tx}, {@code table#events}.
 */
public final class TimelineRenderer {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int LABEL = 150;
  private static final int RIGHT = 20;
  private static final int STATE_ROW = 30;
  private static final int PRESENCE_ROW = 16;
  private static final int MARK_STRIP = 34;
  private static final int RATES_HEIGHT = 200;

  private final int width;

  /** A renderer drawing {@code width} pixels wide (the SVGs scale to their container). */
  public TimelineRenderer(int width) {
    if (width < LABEL + RIGHT + 100) {
      throw new IllegalArgumentException("a timeline needs at least " + (LABEL + RIGHT + 100) + " px, not " + width);
    }
    this.width = width;
  }

  public TimelineRenderer() {
    this(1100);
  }

  private TimeAxis axis(LinkTimeline tl) {
    return new TimeAxis(tl.from(), tl.to(), LABEL, width - LABEL - RIGHT);
  }

  /** The state bands: link state, both ends' discovery reachability, endpoint changes marked. */
  public String stateBandsSvg(LinkTimeline tl) {
    TimeAxis axis = axis(tl);
    int top = MARK_STRIP;
    int linkY = top;
    int nodeY = linkY + STATE_ROW + 6;
    int peerY = nodeY + PRESENCE_ROW + 4;
    int axisY = peerY + PRESENCE_ROW + 6;
    int height = axisY + 22;
    StringBuilder s = new StringBuilder();
    s.append("<svg id=\"state-bands\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
        .append(height).append("\" width=\"100%\" role=\"img\" aria-label=\"link state over time\"")
        .append(timeRange(tl)).append(">\n");
    rowLabel(s, linkY + STATE_ROW / 2, "link state");
    rowLabel(s, nodeY + PRESENCE_ROW / 2, tl.node().name() + " discovery");
    rowLabel(s, peerY + PRESENCE_ROW / 2, tl.peer().name() + " discovery");
    for (StateSpan span : tl.states()) {
      double x = axis.x(span.from());
      double w = Math.max(1, axis.x(span.to()) - x);
      String state = span.state().wireName();
      s.append("<rect class=\"band state-").append(state).append("\" x=\"").append(num(x)).append("\" y=\"")
          .append(linkY).append("\" width=\"").append(num(w)).append("\" height=\"").append(STATE_ROW)
          .append("\"><title>").append(Html.escape(state + " from " + TIME.format(span.from()) + " to "
              + TIME.format(span.to()) + (span.rule().isEmpty() ? "" : ": " + span.rule())
              + span.endpoint().map(e -> " (endpoint " + e + ", " + span.source().wireName() + ")").orElse("")))
          .append("</title></rect>\n");
      if (w > 60) {
        s.append("<text class=\"band-label\" x=\"").append(num(x + 4)).append("\" y=\"").append(linkY + 19)
            .append("\">").append(Html.escape(state)).append("</text>\n");
      }
    }
    presenceRow(s, axis, tl.nodePresence(), nodeY, tl.node().name());
    presenceRow(s, axis, tl.peerPresence(), peerY, tl.peer().name());
    int n = 0;
    for (EndpointMark m : tl.endpointChanges()) {
      double x = axis.x(m.at());
      int labelY = (n++ % 2 == 0) ? 12 : 26;
      String what = m.endpoint() + " (" + m.source().wireName()
          + (m.index() >= 0 ? ", " + (m.index() + 1) + "/" + m.candidates() : "") + ")";
      s.append("<g class=\"endpoint-mark\"><title>").append(Html.escape(TIME.format(m.at()) + ": now using " + what))
          .append("</title><line class=\"endpoint-change\" x1=\"").append(num(x)).append("\" x2=\"").append(num(x))
          .append("\" y1=\"").append(labelY + 2).append("\" y2=\"").append(axisY).append("\"/>")
          .append("<text class=\"endpoint-label\" x=\"").append(num(x + 3)).append("\" y=\"").append(labelY)
          .append("\"").append(x > width - 260 ? " text-anchor=\"end\" dx=\"-6\"" : "").append(">")
          .append(Html.escape("\u2192 " + what)).append("</text></g>\n");
    }
    axis(s, axis, axisY);
    s.append("</svg>\n");
    return s.toString();
  }

  private void presenceRow(StringBuilder s, TimeAxis axis, List<PresenceSpan> spans, int y, String who) {
    for (PresenceSpan p : spans) {
      double x = axis.x(p.from());
      double w = Math.max(1, axis.x(p.to()) - x);
      String cls = p.presence().name().toLowerCase(Locale.ROOT).replace('_', '-');
      s.append("<rect class=\"presence ").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(y)
          .append("\" width=\"").append(num(w)).append("\" height=\"").append(PRESENCE_ROW).append("\"><title>")
          .append(Html.escape(who + ": " + presenceWords(p.presence()) + " from " + TIME.format(p.from()) + " to "
              + TIME.format(p.to())))
          .append("</title></rect>\n");
    }
  }

  private static String presenceWords(PresenceSpan.Presence p) {
    return switch (p) {
      case REACHES_DISCOVERY -> "reporting, reaches discovery";
      case CANNOT_REACH_DISCOVERY -> "reporting, cannot reach discovery";
      case SILENT -> "no samples (silent)";
      case UNKNOWN -> "nothing in the log";
    };
  }

  /** The RX/TX plot (bytes per second), endpoint changes marked. */
  public String ratesSvg(LinkTimeline tl) {
    TimeAxis axis = axis(tl);
    int top = 24;
    int plot = RATES_HEIGHT - top - 30;
    int bottom = top + plot;
    double max = 1;
    for (RatePoint r : tl.rates()) {
      max = Math.max(max, Math.max(r.rxBytesPerSecond(), r.txBytesPerSecond()));
    }
    max *= 1.1;
    StringBuilder s = new StringBuilder();
    s.append("<svg id=\"rates\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
        .append(RATES_HEIGHT).append("\" width=\"100%\" role=\"img\" aria-label=\"RX and TX over time\"")
        .append(timeRange(tl)).append(">\n");
    for (int i = 0; i <= 2; i++) {
      double v = max * i / 2;
      double y = bottom - plot * i / 2.0;
      s.append("<line class=\"grid\" x1=\"").append(LABEL).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"")
          .append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>")
          .append("<text class=\"y-label\" x=\"").append(LABEL - 6).append("\" y=\"").append(num(y + 4))
          .append("\" text-anchor=\"end\">").append(Html.escape(Wording.rate(v))).append("</text>\n");
    }
    for (EndpointMark m : tl.endpointChanges()) {
      double x = axis.x(m.at());
      s.append("<line class=\"endpoint-change\" x1=\"").append(num(x)).append("\" x2=\"").append(num(x))
          .append("\" y1=\"").append(top).append("\" y2=\"").append(bottom).append("\"/>\n");
    }
    if (tl.rates().isEmpty()) {
      s.append("<text class=\"empty\" x=\"").append(LABEL + 10).append("\" y=\"").append(top + plot / 2)
          .append("\">no RX/TX recorded for this link in the range</text>\n");
    } else {
      series(s, axis, tl.rates(), RatePoint::rxBytesPerSecond, "rx", max, bottom, plot);
      series(s, axis, tl.rates(), RatePoint::txBytesPerSecond, "tx", max, bottom, plot);
    }
    s.append("<g class=\"legend\"><rect class=\"swatch rx\" x=\"").append(LABEL).append("\" y=\"6\" width=\"12\" "
        + "height=\"4\"/><text x=\"").append(LABEL + 16).append("\" y=\"12\">RX (bytes/s received from ")
        .append(Html.escape(tl.peer().name())).append(")</text><rect class=\"swatch tx\" x=\"").append(LABEL + 330)
        .append("\" y=\"6\" width=\"12\" height=\"4\"/><text x=\"").append(LABEL + 346)
        .append("\" y=\"12\">TX (bytes/s sent)</text><text class=\"source\" x=\"").append(width - RIGHT)
        .append("\" y=\"12\" text-anchor=\"end\">from ").append(Html.escape(sourceWords(tl.rateSource().name())))
        .append("</text></g>\n");
    axis(s, axis, bottom);
    s.append("</svg>\n");
    return s.toString();
  }

  private static void series(StringBuilder s, TimeAxis axis, List<RatePoint> rates, ToDoubleFunction<RatePoint> v,
      String cls, double max, int bottom, int plot) {
    StringBuilder points = new StringBuilder();
    for (RatePoint r : rates) {
      double y = bottom - plot * v.applyAsDouble(r) / max;
      points.append(num(axis.x(r.middle()))).append(',').append(num(y)).append(' ');
    }
    s.append("<polyline class=\"rate ").append(cls).append("\" points=\"").append(points.toString().strip())
        .append("\"/>\n");
    for (RatePoint r : rates) {
      double y = bottom - plot * v.applyAsDouble(r) / max;
      s.append("<circle class=\"rate-point ").append(cls).append("\" cx=\"").append(num(axis.x(r.middle())))
          .append("\" cy=\"").append(num(y)).append("\" r=\"2\"><title>").append(Html.escape(cls.toUpperCase(Locale.ROOT)
              + " " + Wording.rate(v.applyAsDouble(r)) + ", " + TIME.format(r.from()) + " to " + TIME.format(r.to())))
          .append("</title></circle>\n");
    }
  }

  private void axis(StringBuilder s, TimeAxis axis, int y) {
    s.append("<g class=\"axis\"><line x1=\"").append(LABEL).append("\" x2=\"").append(width - RIGHT)
        .append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\"/>");
    for (Instant t : axis.ticks()) {
      double x = axis.x(t);
      s.append("<line x1=\"").append(num(x)).append("\" x2=\"").append(num(x)).append("\" y1=\"").append(y)
          .append("\" y2=\"").append(y + 4).append("\"/><text x=\"").append(num(x)).append("\" y=\"").append(y + 16)
          .append("\" text-anchor=\"middle\">").append(axis.label(t)).append("</text>");
    }
    s.append("</g>\n");
  }

  private static void rowLabel(StringBuilder s, int y, String text) {
    s.append("<text class=\"row-label\" x=\"").append(LABEL - 8).append("\" y=\"").append(y + 4)
        .append("\" text-anchor=\"end\">").append(Html.escape(text)).append("</text>\n");
  }

  /** The event list as an HTML table, with the notes before it. */
  public String eventsHtml(LinkTimeline tl) {
    StringBuilder s = new StringBuilder();
    if (!tl.notes().isEmpty()) {
      s.append("<ul class=\"notes\">\n");
      tl.notes().forEach(n -> s.append("<li>").append(Html.escape(n)).append("</li>\n"));
      s.append("</ul>\n");
    }
    s.append("<table id=\"events\">\n<thead><tr><th>time (UTC)</th><th>about</th><th>event</th><th>what</th>"
        + "</tr></thead>\n<tbody>\n");
    for (TimelineEntry e : tl.entries()) {
      String about = switch (e.about()) {
        case NODE -> tl.node().name();
        case PEER -> tl.peer().name();
        case LINK -> "link";
      };
      String kind = e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
      s.append("<tr class=\"").append(kind).append("\"><td class=\"time\">").append(TIME.format(e.at()))
          .append("</td><td class=\"about\">").append(Html.escape(about)).append("</td><td class=\"kind\">").append(kind)
          .append("</td><td>").append(Html.escape(e.text()));
      details(s, e.details());
      s.append("</td></tr>\n");
    }
    s.append("</tbody>\n</table>\n");
    return s.toString();
  }

  private static void details(StringBuilder s, Map<String, String> details) {
    if (details.isEmpty()) {
      return;
    }
    s.append("<div class=\"details\">");
    details.forEach((k, v) -> s.append("<span><b>").append(Html.escape(k)).append("</b> ").append(Html.escape(v))
        .append("</span> "));
    s.append("</div>");
  }

  /** The header: cluster, the two ends with their keys, the range and where the facts came from. */
  public String headerHtml(LinkTimeline tl) {
    return "<header><h1>" + Html.escape(tl.title()) + "</h1>\n<p class=\"meta\">cluster <code>"
        + Html.escape(tl.clusterId()) + "</code> &middot; " + TIME.format(tl.from()) + " to " + TIME.format(tl.to())
        + " UTC &middot; states from " + Html.escape(sourceWords(tl.stateSource().name())) + "</p>\n"
        + "<p class=\"keys\">" + Html.escape(tl.node().name()) + " <code>" + Html.escape(tl.node().publicKey())
        + "</code> observing " + Html.escape(tl.peer().name()) + " <code>" + Html.escape(tl.peer().publicKey())
        + "</code></p></header>\n";
  }

  private static String sourceWords(String source) {
    return switch (source) {
      case "OBSERVER" -> "the endpoint observer's events";
      case "SAMPLES" -> "the raw samples";
      default -> "nothing recorded";
    };
  }

  /** The legend of the bands' colours. */
  public static String legendHtml() {
    return "<p class=\"legend\">"
        + "<span class=\"key state-up\"></span>up <span class=\"key state-down\"></span>down "
        + "<span class=\"key state-unknown\"></span>unknown &middot; discovery: "
        + "<span class=\"key reaches-discovery\"></span>reaches it <span class=\"key cannot-reach-discovery\"></span>"
        + "cannot reach it <span class=\"key silent\"></span>silent <span class=\"key unknown\"></span>no data "
        + "&middot; <span class=\"key mark\"></span>endpoint change</p>\n";
  }

  /** The CSS the parts need (inline it, or serve it). */
  public static String css() {
    return """
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d232a;background:#fff}
        h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 6px}
        .meta,.keys{margin:2px 0;color:#4a5560} code{font-size:12px;background:#f1f3f5;padding:1px 4px;border-radius:3px}
        svg{display:block;max-width:100%;font-size:11px;font-family:inherit}
        .band.state-up{fill:#2f9e55}.band.state-down{fill:#d9463e}.band.state-unknown{fill:#b8bec4}
        .band-label{fill:#fff;font-weight:600;pointer-events:none}
        .presence.reaches-discovery{fill:#5b9bd5}.presence.cannot-reach-discovery{fill:#f0a830}
        .presence.silent{fill:#4a4f55}.presence.unknown{fill:#e4e7ea}
        .row-label{fill:#333}
        .endpoint-change{stroke:#6c3fb5;stroke-width:1.5;stroke-dasharray:4 3}
        .endpoint-label{fill:#6c3fb5;font-weight:600}
        .axis line{stroke:#7a838c}.axis text{fill:#4a5560}
        .grid{stroke:#e4e7ea}.y-label{fill:#4a5560}
        .rate{fill:none;stroke-width:2}.rate.rx{stroke:#1f77b4}.rate.tx{stroke:#ff7f0e}
        .rate-point.rx{fill:#1f77b4}.rate-point.tx{fill:#ff7f0e}
        .swatch.rx{fill:#1f77b4}.swatch.tx{fill:#ff7f0e}.source,.empty{fill:#7a838c}
        .legend .key{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:-2px}
        .key.state-up{background:#2f9e55}.key.state-down{background:#d9463e}.key.state-unknown{background:#b8bec4}
        .key.reaches-discovery{background:#5b9bd5}.key.cannot-reach-discovery{background:#f0a830}
        .key.silent{background:#4a4f55}.key.unknown{background:#e4e7ea}
        .key.mark{width:0;border-left:2px dashed #6c3fb5}
        .notes{background:#fff8e1;border:1px solid #f0d890;padding:8px 8px 8px 28px;margin:12px 0}
        table#events{border-collapse:collapse;width:100%;font-size:13px}
        #events th,#events td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #e4e7ea}
        #events th{background:#f6f7f8}
        #events td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
        #events td.kind,#events td.about{white-space:nowrap;color:#4a5560}
        #events tr.state-changed td{background:#fdf1f0}
        #events tr.endpoint-cycled td,#events tr.endpoint-in-use td{background:#f4effb}
        .details{color:#5c6670;font-size:12px;margin-top:2px}.details span{margin-right:10px}
        .timeline-nav{margin:10px 0}.timeline-nav .hint{color:#7a838c}
        .zoom-selection{fill:#1f77b4;fill-opacity:.15;stroke:#1f77b4;stroke-width:1}
        """;
  }

  /** One self-contained page: header, bands, plot, events. Opens with no network. */
  public String page(LinkTimeline tl) {
    return page(tl, "", "");
  }

  /**
   * Where the console's page leads: a wider range of the same link, the same view as one
   * self-contained file, and the cluster at the end of the range. Each is a URL, already escaped
   * for a URL but not for HTML.
   */
  public record Links(String zoomOut, String download, String cluster) {}

  /**
   * The page as the console serves it: {@link #page}'s content, plus links out and zoom — drag
   * across the bands or the plot and the page opens that range, read again from the log (the
   * URL names it, so a zoomed view can be shared). The script is inline: nothing is fetched.
   */
  public String interactivePage(LinkTimeline tl, Links links) {
    String nav = "<style>svg[data-from]{cursor:crosshair}</style>\n<nav class=\"timeline-nav\"><a id=\"zoom-out\" href=\"" + Html.escape(links.zoomOut())
        + "\">zoom out</a> &middot; <a id=\"download\" href=\"" + Html.escape(links.download())
        + "\">this view as one HTML file</a> &middot; <a id=\"to-cluster\" href=\"" + Html.escape(links.cluster())
        + "\">the cluster at the end of this range</a> &middot; <span class=\"hint\">drag across the bands or the"
        + " plot to zoom in</span></nav>\n";
    return page(tl, nav, "<script>\n" + ZOOM_SCRIPT + "</script>\n");
  }

  private String page(LinkTimeline tl, String nav, String script) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<link rel=\"icon\" href=\"data:,\">\n"
        + "<title>" + Html.escape("Spanlog link timeline: " + tl.title() + " (" + tl.clusterId() + ")") + "</title>\n"
        + "<style>\n" + css() + "</style>\n</head>\n<body>\n"
        + headerHtml(tl) + nav
        + "<h2>States</h2>\n" + stateBandsSvg(tl) + legendHtml()
        + "<h2>RX/TX</h2>\n" + ratesSvg(tl)
        + "<h2>Events</h2>\n" + eventsHtml(tl)
        + "<footer><p class=\"meta\">Written by <code>spanlog ctl history timeline</code>.</p></footer>\n"
        + script
        + "</body>\n</html>\n";
  }

  /** The range an SVG draws and where its time axis lies, for the zoom script. */
  private String timeRange(LinkTimeline tl) {
    TimeAxis axis = axis(tl);
    return " data-from=\"" + axis.from.toEpochMilli() + "\" data-to=\"" + axis.to.toEpochMilli() + "\" data-x0=\""
        + LABEL + "\" data-plot=\"" + (width - LABEL - RIGHT) + "\" data-width=\"" + width + "\"";
  }

  /**
   * Drag across an SVG carrying a time range: a shaded selection follows the pointer; on release
   * a selection of at least a second opens the same URL with {@code from}/{@code to} set to it.
   */
  private static final String ZOOM_SCRIPT = """
      (function () {
        var NS = 'http://www.w3.org/2000/svg';
        document.querySelectorAll('svg[data-from]').forEach(function (svg) {
          var d = svg.dataset, from = +d.from, to = +d.to, x0 = +d.x0, plot = +d.plot;
          var startX = null, box = null;
          function viewX(clientX) {
            var r = svg.getBoundingClientRect();
            return Math.min(x0 + plot, Math.max(x0, (clientX - r.left) * (+d.width / r.width)));
          }
          function time(x) { return from + (x - x0) / plot * (to - from); }
          function iso(ms) { return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'); }
          svg.addEventListener('mousedown', function (e) {
            startX = viewX(e.clientX);
            box = document.createElementNS(NS, 'rect');
            box.setAttribute('class', 'zoom-selection');
            box.setAttribute('y', 0);
            box.setAttribute('height', svg.viewBox.baseVal.height);
            box.setAttribute('x', startX);
            box.setAttribute('width', 0);
            svg.appendChild(box);
            e.preventDefault();
          });
          svg.addEventListener('mousemove', function (e) {
            if (startX === null) return;
            var x = viewX(e.clientX);
            box.setAttribute('x', Math.min(startX, x));
            box.setAttribute('width', Math.abs(x - startX));
          });
          window.addEventListener('mouseup', function (e) {
            if (startX === null) return;
            var a = time(startX), b = time(viewX(e.clientX));
            startX = null;
            box.remove();
            if (Math.abs(b - a) < 1000) return;
            var url = new URL(window.location.href);
            url.searchParams.set('from', iso(Math.min(a, b)));
            url.searchParams.set('to', iso(Math.max(a, b) + 999));
            window.location.assign(url.toString());
          });
        });
      })();
      """;

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
