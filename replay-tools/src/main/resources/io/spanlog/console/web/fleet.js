"use strict";
(function () {
  const rows = new Map(); // cluster -> summary
  const body = document.querySelector("#fleet tbody");
  const filter = document.getElementById("filter");

  function worse(a, b) {
    return b.down - a.down || b.withoutDiscovery - a.withoutDiscovery || b.asymmetric - a.asymmetric || b.flapping - a.flapping
      || b.unknown - a.unknown || (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0);
  }

  function cell(text, cls) {
    const td = document.createElement("td");
    td.textContent = String(text);
    if (cls) td.className = cls;
    return td;
  }

  function render() {
    const q = filter.value.trim().toLowerCase();
    body.textContent = "";
    const all = Array.from(rows.values()).sort(worse);
    for (const s of all) {
      if (q && !s.cluster.toLowerCase().includes(q)) continue;
      const tr = document.createElement("tr");
      tr.dataset.cluster = s.cluster;
      const name = document.createElement("td");
      const a = document.createElement("a");
      a.href = "/cluster/" + encodeURIComponent(s.cluster);
      a.textContent = s.cluster;
      name.appendChild(a);
      tr.appendChild(name);
      tr.appendChild(cell(s.nodes, "n nodes"));
      tr.appendChild(cell(s.up, "n up"));
      tr.appendChild(cell(s.down, "n down" + (s.down ? " bad" : "")));
      tr.appendChild(cell(s.unknown, "n unknown"));
      tr.appendChild(cell(s.flapping, "n flapping" + (s.flapping ? " bad" : "")));
      tr.appendChild(cell(s.asymmetric, "n asymmetric" + (s.asymmetric ? " bad" : "")));
      tr.appendChild(cell(s.withoutDiscovery, "n without-discovery" + (s.withoutDiscovery ? " bad" : "")));
      body.appendChild(tr);
    }
    document.getElementById("empty").hidden = rows.size > 0;
  }

  filter.addEventListener("input", render);

  fetch("/api/fleet").then(r => r.json()).then(j => {
    for (const s of j.clusters) rows.set(s.cluster, s);
    render();
    const live = document.getElementById("live");
    const es = new EventSource("/api/events");
    es.onopen = () => { live.textContent = "live"; live.className = "live on"; };
    es.onerror = () => { live.textContent = "reconnecting…"; live.className = "live off"; };
    const update = ev => {
      const m = JSON.parse(ev.data);
      rows.set(m.summary.cluster, m.summary);
      render();
    };
    es.addEventListener("link", update);
    es.addEventListener("summary", update); // a node's silence or return
  });
})();
