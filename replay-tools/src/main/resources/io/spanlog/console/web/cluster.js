"use strict";
(function () {
  const COLOURS = { up: "#2e9d4f", down: "#d33", unknown: "#aaa" };
  const NONE = "#eee";
  // one byte per cell: 0 no link, 1 up, 2 down, 3 unknown (the view's rows: '-', 'u', 'd', '?')
  const CODE = { "-": 0, u: 1, d: 2, "?": 3 };
  const STATE = [null, "up", "down", "unknown"];
  const RGB = [[0xee, 0xee, 0xee], [0x2e, 0x9d, 0x4f], [0xdd, 0x33, 0x33], [0xaa, 0xaa, 0xaa]];
  const path = location.pathname;
  const encoded = path.substring("/cluster/".length);
  const cluster = decodeURIComponent(encoded);
  document.getElementById("cluster").textContent = cluster;
  document.title = cluster + " — Spanlog console";

  const canvas = document.getElementById("matrix");
  const tip = document.getElementById("tip");
  const slider = document.getElementById("time");
  const when = document.getElementById("when");
  const error = document.getElementById("error");
  const notice = document.getElementById("observer");
  let view = null;      // the last JSON view
  let index = new Map(); // publicKey -> row/column
  let cells = new Map(); // "nodeKey→peerKey" -> link (when the view carries the links' details)
  let grid = new Uint8Array(0); // n × n state codes
  let size = 10;
  let from = 0;         // retained range, ms
  let live = true;      // following now (no ?at=)
  let drawn = 0;

  // what the browser test reads
  window.spanlog = {
    cell: (node, peer) => {
      if (!view) return null;
      const i = view.nodes.findIndex(nd => nd.label === node), j = view.nodes.findIndex(nd => nd.label === peer);
      return i < 0 || j < 0 ? null : STATE[grid[i * view.nodes.length + j]];
    },
    link: (node, peer) => {
      for (const l of cells.values()) if (l.node === node && l.peer === peer) return l;
      return null;
    },
    tip: (node, peer) => view ? tipText(view.nodes.findIndex(nd => nd.label === node),
      view.nodes.findIndex(nd => nd.label === peer)) : null,
    view: () => view,
  };

  function draw() {
    const t0 = performance.now();
    const nodes = view.nodes;
    const n = nodes.length;
    size = Math.max(1, Math.min(28, Math.floor(800 / Math.max(1, n))));
    const label = size >= 12 ? 110 : 0;
    canvas.width = label + n * size;
    canvas.height = label + n * size;
    const g = canvas.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    if (label) {
      g.fillStyle = "#222";
      g.font = "11px system-ui, sans-serif";
      nodes.forEach((nd, i) => {
        g.textAlign = "right";
        g.fillText(nd.label.slice(0, 16), label - 4, label + i * size + size * 0.7);
        g.save();
        g.translate(label + i * size + size * 0.7, label - 4);
        g.rotate(-Math.PI / 2);
        g.textAlign = "left";
        g.fillText(nd.label.slice(0, 16), 0, 0);
        g.restore();
      });
    }
    if (size <= 3) {
      // a large cluster: one pixel block per cell, written straight into the image (no gaps)
      const w = n * size;
      const img = g.createImageData(w, w);
      const d = img.data;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const rgb = i === j ? [255, 255, 255] : RGB[grid[i * n + j]];
          for (let y = i * size; y < (i + 1) * size; y++) {
            for (let x = j * size; x < (j + 1) * size; x++) {
              const p = (y * w + x) * 4;
              d[p] = rgb[0]; d[p + 1] = rgb[1]; d[p + 2] = rgb[2]; d[p + 3] = 255;
            }
          }
        }
      }
      g.putImageData(img, label, label);
    } else {
      const fills = [NONE, COLOURS.up, COLOURS.down, COLOURS.unknown];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          g.fillStyle = fills[grid[i * n + j]];
          g.fillRect(label + j * size, label + i * size, size - 1, size - 1);
        }
      }
    }
    canvas.dataset.label = String(label);
    // the marker a benchmark waits for: the matrix is on the canvas
    drawn++;
    canvas.dataset.drawn = String(drawn);
    performance.mark("spanlog-matrix-drawn", { detail: { nodes: n, drawMs: performance.now() - t0 } });
  }

  function rate(v) {
    if (typeof v !== "number") return "-";
    const units = ["", "k", "M", "G", "T"];
    let u = 0;
    while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
    return (u === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 1 : 0) + units[u]) + " B/s";
  }

  function tipText(i, j) {
    const n = view.nodes.length;
    if (i < 0 || j < 0 || i >= n || j >= n || i === j) return null;
    const a = view.nodes[i], b = view.nodes[j];
    const state = STATE[grid[i * n + j]];
    if (!state) return a.label + " → " + b.label + "\nno link";
    const l = cells.get(a.publicKey + "→" + b.publicKey);
    if (!l) return a.label + " → " + b.label + "\n" + state + "\n(click for the link's page: endpoint, provenance, RX/TX)";
    const rates = typeof l.rxPerSecond === "number"
      ? "RX " + rate(l.rxPerSecond) + "  TX " + rate(l.txPerSecond)
        + (l.rateFrom ? " (window from " + l.rateFrom + ")" : "")
      : "RX/TX: no traffic window " + (l.from === "observer" ? "retained by the observer" : "in the log around this instant");
    return a.label + " → " + b.label + "\n" + state + (l.since ? " since " + l.since : "")
      + (l.asymmetricSince ? " (one-way since " + l.asymmetricSince + ")" : "")
      + "\nendpoint " + (l.endpoint ?? "-") + " (" + (l.source ?? "-") + ")\n" + rates + "\n"
      + l.reason + "\nfrom " + (l.from === "observer" ? "the endpoint observer (live)" : l.from);
  }

  function show(j) {
    view = j;
    index = new Map(j.nodes.map((nd, i) => [nd.publicKey, i]));
    cells = new Map((j.links || []).map(l => [l.nodeKey + "→" + l.peerKey, l]));
    const n = j.nodes.length;
    grid = new Uint8Array(n * n);
    j.rows.forEach((row, i) => { for (let k = 0; k < n; k++) grid[i * n + k] = CODE[row[k]] || 0; });
    if (j.observer && j.observer.notice) {
      notice.textContent = j.observer.notice;
      notice.hidden = false;
    } else {
      notice.textContent = j.observer ? "live view of the endpoint observer at " + j.observer.address : "";
      notice.hidden = !j.observer;
    }
    notice.className = j.observer && j.observer.notice ? "notice" : "note";
    draw();
    const tb = document.querySelector("#affiliates tbody");
    tb.textContent = "";
    for (const a of j.affiliates) {
      const tr = document.createElement("tr");
      const eps = a.endpoints ? a.endpoints.map(e => e.endpoint + " (" + e.source + ")").join(", ")
        : a.endpointCount + " (opaque)";
      for (const v of [a.id, a.hostname ?? "(opaque)", a.nodename ?? "", a.kubeSpanAddress ?? "", eps,
                       a.dataBytes, a.expiry, a.lastChange ?? ""]) {
        const td = document.createElement("td");
        td.textContent = String(v);
        tr.appendChild(td);
      }
      tb.appendChild(tr);
    }
    const notes = document.getElementById("notes");
    notes.textContent = "";
    for (const s of j.notes) {
      const li = document.createElement("li");
      li.textContent = s;
      notes.appendChild(li);
    }
    if (j.retainedFrom) from = Date.parse(j.retainedFrom);
    placeSlider(Date.parse(j.at));
  }

  function placeSlider(t) {
    const now = Date.now();
    const span = Math.max(1, now - from);
    slider.value = live ? "1000" : String(Math.round(1000 * (t - from) / span));
    when.textContent = live ? "now (live)" : new Date(t).toISOString();
  }

  function load(at) {
    const q = at ? "?at=" + encodeURIComponent(at) : "";
    return fetch("/api/cluster/" + encoded + q).then(r => r.json().then(j => ({ ok: r.ok, j }))).then(({ ok, j }) => {
      if (!ok) {
        error.textContent = j.error;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      show(j);
    });
  }

  let timer = null;
  slider.addEventListener("input", () => {
    const t = from + (Date.now() - from) * Number(slider.value) / 1000;
    live = Number(slider.value) >= 1000;
    const at = live ? null : new Date(t).toISOString();
    when.textContent = live ? "now (live)" : at;
    history.replaceState(null, "", location.pathname + (at ? "?at=" + encodeURIComponent(at) : ""));
    clearTimeout(timer);
    timer = setTimeout(() => load(at), 250);
  });
  document.getElementById("now").addEventListener("click", () => {
    live = true;
    history.replaceState(null, "", location.pathname);
    load(null);
  });

  canvas.addEventListener("mousemove", ev => {
    if (!view) return;
    const r = canvas.getBoundingClientRect();
    const label = Number(canvas.dataset.label || 0);
    const j = Math.floor((ev.clientX - r.left - label) / size);
    const i = Math.floor((ev.clientY - r.top - label) / size);
    const n = view.nodes.length;
    if (i < 0 || j < 0 || i >= n || j >= n || i === j) { tip.hidden = true; return; }
    tip.textContent = tipText(i, j);
    tip.style.left = (ev.clientX - r.left + 14) + "px";
    tip.style.top = (ev.clientY - r.top + 14) + "px";
    tip.hidden = false;
  });
  canvas.addEventListener("mouseleave", () => { tip.hidden = true; });
  canvas.addEventListener("click", ev => {
    if (tip.hidden || !view) return;
    const r = canvas.getBoundingClientRect();
    const label = Number(canvas.dataset.label || 0);
    const j = Math.floor((ev.clientX - r.left - label) / size);
    const i = Math.floor((ev.clientY - r.top - label) / size);
    location.href = location.pathname + "/link/" + encodeURIComponent(view.nodes[i].label) + "/"
      + encodeURIComponent(view.nodes[j].label);
  });

  const params = new URLSearchParams(location.search);
  const at = params.get("at");
  live = !at;
  load(at).then(() => {
    const liveBadge = document.getElementById("live");
    const es = new EventSource("/api/events");
    es.onopen = () => { liveBadge.textContent = "live"; liveBadge.className = "live on"; };
    es.onerror = () => { liveBadge.textContent = "reconnecting…"; liveBadge.className = "live off"; };
    es.addEventListener("link", ev => {
      const m = JSON.parse(ev.data);
      if (!live || m.link.cluster !== cluster || !view) return;
      const l = m.link;
      const key = l.nodeKey + "→" + l.peerKey;
      const old = cells.get(key) || {};
      // the state changed; the rates stay those of the last window until the view is loaded again
      cells.set(key, Object.assign({}, old, l, { from: "link-events" }));
      if (!index.has(l.nodeKey) || !index.has(l.peerKey)) { load(null); return; }
      grid[index.get(l.nodeKey) * view.nodes.length + index.get(l.peerKey)] = l.state === "up" ? 1 : l.state === "down" ? 2 : 3;
      draw();
    });
  });
})();
