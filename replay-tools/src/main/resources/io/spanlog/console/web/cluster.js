"use strict";
(function () {
  const COLOURS = { up: "#2e9d4f", down: "#d33", unknown: "#aaa" };
  const NONE = "#eee";
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
  let view = null;      // the last JSON view
  let index = new Map(); // publicKey -> row/column
  let cells = new Map(); // "nodeKey→peerKey" -> link
  let size = 10;
  let from = 0;         // retained range, ms
  let live = true;      // following now (no ?at=)

  // what the browser test reads
  window.spanlog = {
    cell: (node, peer) => {
      for (const l of cells.values()) if (l.node === node && l.peer === peer) return l.state;
      return null;
    },
    view: () => view,
  };

  function draw() {
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
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const l = cells.get(nodes[i].publicKey + "→" + nodes[j].publicKey);
        g.fillStyle = l ? (COLOURS[l.state] || COLOURS.unknown) : NONE;
        const gap = size > 3 ? 1 : 0;
        g.fillRect(label + j * size, label + i * size, size - gap, size - gap);
      }
    }
    canvas.dataset.label = String(label);
  }

  function show(j) {
    view = j;
    index = new Map(j.nodes.map((nd, i) => [nd.publicKey, i]));
    cells = new Map(j.links.map(l => [l.nodeKey + "→" + l.peerKey, l]));
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
    const a = view.nodes[i], b = view.nodes[j];
    const l = cells.get(a.publicKey + "→" + b.publicKey);
    tip.textContent = a.label + " → " + b.label + "\n" + (l
      ? l.state + (l.since ? " since " + l.since : "") + "\nendpoint " + (l.endpoint ?? "-") + " (" + (l.source ?? "-") + ")\n"
        + l.reason + "\nfrom " + l.from
      : "no link");
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
      cells.set(key, Object.assign({}, old, l, { from: "link-events" }));
      if (!index.has(l.nodeKey) || !index.has(l.peerKey)) { load(null); return; }
      draw();
    });
  });
})();
