// Trellis Observer UI: plain JavaScript, no build step. Every view reads a JSON endpoint under
// /api/ and one EventSource (/api/events/stream) pushes the tree, runtime events and load samples.
// Elements that tests read carry data-testid attributes; keep them stable.
"use strict";

const page = document.getElementById("page");
const state = {
  actions: false,
  route: "",
  tree: null,            // the last /api/applications view
  selected: null,        // pid of the selected tree node
  controls: null,        // {pid, el}: the kill controls of the selected node
  load: null,            // the last /api/load view
  events: new Map(),     // sequence -> runtime event
  processes: { q: "", sort: "pid", order: "asc", offset: 0, limit: 50 },
};

// ---- helpers ------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

function svg(tag, attrs, ...children) {
  return build(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
}

// Sets attributes (testid -> data-testid, text -> textContent, onX -> listener; null/false
// skipped) and appends the children that are not null (strings become text).
function build(e, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "testid") e.setAttribute("data-testid", v);
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path, options) {
  const res = await fetch(path, options);
  const body = await res.json().catch(() => ({ error: res.statusText, status: res.status }));
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

const fmt = (n) => Number(n).toLocaleString("en-US");
const lower = (s) => String(s).toLowerCase();

function duration(iso) { // "PT5S", "PT1M30.5S" -> "5s", "1m30.5s"
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso || "");
  if (!m) return iso;
  return (m[1] ? m[1] + "h" : "") + (m[2] ? m[2] + "m" : "") + (m[3] ? m[3] + "s" : "") || "0s";
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + " " + units[i];
}

function pidLink(pid) {
  if (!pid) return "—";
  return el("a", { class: "pid", href: "#/process/" + encodeURIComponent(pid), testid: "pid-link", text: pid });
}

function errorBox(e) {
  return el("p", { class: "error", testid: "error", text: String(e.message || e) });
}

// ---- routing ------------------------------------------------------------------------------

const routes = {
  system: showSystem,
  load: showLoad,
  applications: showApplications,
  processes: showProcesses,
  process: showProcess,
  tables: showTables,
  events: showEvents,
};

function route() {
  const [, name = "applications", arg] = location.hash.split("/");
  const view = routes[name] ? name : "applications";
  state.route = view;
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle("active", a.getAttribute("href") === "#/" + (view === "process" ? "processes" : view));
  }
  page.replaceChildren();
  page.setAttribute("data-view", view);
  routes[view](arg ? decodeURIComponent(arg) : undefined).catch((e) => page.replaceChildren(errorBox(e)));
}

window.addEventListener("hashchange", route);

// ---- the event stream ---------------------------------------------------------------------

function connect() {
  const status = document.querySelector("[data-testid=stream-status]");
  const source = new EventSource("/api/events/stream");
  source.onopen = () => { status.textContent = "live"; status.classList.add("live"); };
  source.onerror = () => { status.textContent = "reconnecting…"; status.classList.remove("live"); };
  source.addEventListener("tree", (m) => {
    state.tree = JSON.parse(m.data);
    state.actions = state.tree.actions;
    if (state.route === "applications") renderTrees();
  });
  source.addEventListener("runtime", (m) => {
    addEvents([JSON.parse(m.data)]);
    if (state.route === "events") renderEvents();
  });
  source.addEventListener("load", (m) => {
    if (!state.load) return;
    state.load.samples.push(JSON.parse(m.data));
    if (state.load.samples.length > state.load.capacity) state.load.samples.shift();
    if (state.route === "load") renderCharts();
  });
}

// ---- System -------------------------------------------------------------------------------

async function showSystem() {
  const s = await api("/api/system");
  state.actions = s.actions;
  const card = (key, label, value) =>
    el("div", { class: "card" }, el("div", { class: "k", text: label }),
      el("div", { class: "v", testid: "system-" + key, text: value }));
  page.append(
    el("h2", { text: "System" }),
    el("div", { class: "cards", testid: "page-system" },
      card("processes", "Processes", fmt(s.processes)),
      card("spawns", "Spawned since start", fmt(s.spawns)),
      card("messages", "Messages sent", fmt(s.messages)),
      card("supervisors", "Supervisors", fmt(s.supervisors)),
      card("applications", "Applications", fmt(s.applications)),
      card("restarts", "Restarts", fmt(s.supervision.restarts)),
      card("intensity", "Intensity exceeded", fmt(s.supervision.intensityExceeded)),
      card("names", "Registered names", fmt(s.registeredNames)),
      card("timers", "Timers", fmt(s.timers)),
      card("tables", "Tables", fmt(s.tables)),
      card("uptime", "Uptime", duration(s.uptime)),
      card("heap", "Heap used", bytes(s.memory.heapUsed)),
      card("heap-max", "Heap max", bytes(s.memory.heapMax)),
      card("threads", "JVM threads", fmt(s.threads))),
    el("h3", { text: "Exits by reason" }),
    el("table", { testid: "system-exits" },
      el("tr", {}, Object.keys(s.exits).map((k) => el("th", { text: k }))),
      el("tr", {}, Object.values(s.exits).map((v) => el("td", { class: "num", text: fmt(v) })))),
    el("h3", { text: "Runtime" }),
    el("dl", { class: "kv", testid: "system-runtime" },
      el("dt", { text: "Java" }), el("dd", { testid: "system-java", text: s.java.version + " (" + s.java.vendor + ")" }),
      el("dt", { text: "VM" }), el("dd", { text: s.java.vm }),
      el("dt", { text: "OS" }), el("dd", { text: s.os.name + " " + s.os.arch + ", " + s.os.processors + " processors" }),
      el("dt", { text: "Started" }), el("dd", { text: new Date(s.startedAt).toLocaleString() }),
      el("dt", { text: "Actions" }), el("dd", { testid: "system-actions", text: s.actions ? "on (--observer-actions)" : "off" })));
}

// ---- Load ---------------------------------------------------------------------------------

const CHARTS = [
  ["processes", "Processes", (s) => s.processes, (v) => fmt(Math.round(v))],
  ["spawns", "Spawns / s (exits dashed)", (s) => s.spawnsPerSecond, (v) => fmt(Math.round(v)), (s) => s.exitsPerSecond],
  ["messages", "Messages / s", (s) => s.messagesPerSecond, (v) => fmt(Math.round(v))],
  ["restarts", "Restarts / s", (s) => s.restartsPerSecond, (v) => v.toFixed(1)],
  ["heap", "Heap used", (s) => s.heapUsed, bytes],
];

async function showLoad() {
  state.load = await api("/api/load");
  page.append(el("h2", { text: "Load" }),
    el("p", { class: "note", text: "Sampled on the server every " + state.load.intervalMillis / 1000 +
      " s; the last " + Math.round(state.load.capacity * state.load.intervalMillis / 60000) + " minutes." }),
    el("div", { class: "charts", testid: "page-load" },
      CHARTS.map(([key, title]) => el("div", { class: "chart" },
        el("div", { class: "title" }, el("span", { text: title }), el("span", { testid: "chart-" + key + "-now" })),
        el("canvas", { testid: "chart-" + key, width: 840, height: 280 })))));
  renderCharts();
}

function renderCharts() {
  const samples = state.load.samples;
  for (const [key, , value, label, second] of CHARTS) {
    const canvas = page.querySelector("[data-testid=chart-" + key + "]");
    if (!canvas) return;
    const now = page.querySelector("[data-testid=chart-" + key + "-now]");
    now.textContent = samples.length ? label(value(samples[samples.length - 1])) : "—";
    drawChart(canvas, samples, value, label, second);
  }
}

function drawChart(canvas, samples, value, label, second) {
  const g = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, pad = 36, left = 150;
  const span = Math.max(60, samples.length) - 1; // the first minute already spreads across
  g.clearRect(0, 0, w, h);
  g.font = "20px system-ui";
  g.fillStyle = "#66727a";
  const values = samples.map(value).concat(second ? samples.map(second) : []);
  const max = Math.max(1, ...values) * 1.1;
  g.strokeStyle = "#e3e7e9";
  for (let i = 0; i <= 4; i++) {
    const y = pad / 2 + (h - pad) * i / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(w, y); g.stroke();
    g.fillText(label(max * (4 - i) / 4), 0, y + 6);
  }
  const line = (f, dash) => {
    if (samples.length < 2) return;
    g.setLineDash(dash ? [8, 6] : []);
    g.strokeStyle = "#2f6f4f"; g.lineWidth = 3;
    g.beginPath();
    samples.forEach((s, i) => {
      const x = left + (w - left) * i / span;
      const y = pad / 2 + (h - pad) * (1 - f(s) / max);
      i ? g.lineTo(x, y) : g.moveTo(x, y);
    });
    g.stroke();
    g.setLineDash([]);
  };
  line(value, false);
  if (second) line(second, true);
}

// ---- Applications and the supervision tree ------------------------------------------------

async function showApplications() {
  state.tree = await api("/api/applications");
  state.actions = state.tree.actions;
  page.append(el("h2", { text: "Applications" }),
    el("div", { class: "apps", testid: "page-applications" },
      el("div", { class: "trees", testid: "trees" }),
      el("aside", { class: "panel", testid: "selection" })));
  renderTrees();
}

const NODE_W = 250, NODE_H = 56, GAP_X = 40, GAP_Y = 10;

function renderTrees() {
  const trees = page.querySelector("[data-testid=trees]");
  if (!trees || !state.tree) return;
  const sups = new Map(state.tree.supervisors.map((s) => [s.pid, s]));
  const roots = new Set();
  trees.replaceChildren();
  for (const app of state.tree.applications) {
    roots.add(app.supervisor);
    trees.append(el("section", { class: "app", testid: "application", "data-name": app.name },
      el("h3", { testid: "app-name", text: app.name }),
      sups.has(app.supervisor) ? drawTree(sups.get(app.supervisor), sups) :
        el("p", { class: "note" }, "top process ", pidLink(app.supervisor), " is not a supervisor")));
  }
  const children = new Set(state.tree.supervisors.flatMap((s) => s.children.map((c) => c.pid)));
  const others = state.tree.supervisors.filter((s) => !roots.has(s.pid) && !children.has(s.pid));
  for (const s of others) {
    trees.append(el("section", { class: "app", testid: "application", "data-name": "" },
      el("h3", { testid: "app-name", text: "(no application) " + s.path }), drawTree(s, sups)));
  }
  renderSelection();
}

// Lays the tree out left to right: each leaf takes a row, a parent is centred on its children.
function drawTree(root, sups) {
  let rows = 0;
  const nodes = [], edges = [];
  function place(node, depth) {
    node.x = depth * (NODE_W + GAP_X);
    const kids = node.kids || [];
    if (!kids.length) { node.y = rows++ * (NODE_H + GAP_Y); }
    else {
      kids.forEach((k) => place(k, depth + 1));
      node.y = (kids[0].y + kids[kids.length - 1].y) / 2;
      kids.forEach((k) => edges.push([node, k]));
    }
    nodes.push(node);
  }
  function build(snapshot, child, seen) {
    const node = { sup: snapshot, child, pid: snapshot ? snapshot.pid : child.pid, kids: [] };
    if (snapshot && !seen.has(snapshot.pid)) {
      seen.add(snapshot.pid);
      for (const c of snapshot.children) {
        node.kids.push(build(c.pid && sups.has(c.pid) ? sups.get(c.pid) : null, c, seen));
      }
      const more = snapshot.childCount - snapshot.children.length;
      if (more > 0) node.kids.push({ more, kids: [] });
    }
    return node;
  }
  place(build(root, null, new Set()), 0);
  const width = Math.max(...nodes.map((n) => n.x)) + NODE_W + 4;
  const height = rows * (NODE_H + GAP_Y);
  const g = svg("svg", { class: "tree", testid: "tree", width, height, viewBox: `0 0 ${width} ${height}` });
  for (const [a, b] of edges) {
    const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2, xm = x1 + GAP_X / 2;
    g.append(svg("path", { class: "edge", d: `M${x1},${y1} H${xm} V${y2} H${x2}` }));
  }
  for (const n of nodes) g.append(n.more ? moreNode(n) : treeNode(n));
  return g;
}

function moreNode(n) {
  return svg("g", { class: "node more", testid: "tree-more", transform: `translate(${n.x},${n.y})` },
    svg("rect", { width: NODE_W, height: NODE_H }),
    svg("text", { x: 10, y: 32, text: "… and " + fmt(n.more) + " more" }));
}

function treeNode(n) {
  const c = n.child, s = n.sup;
  const id = c ? c.id : s.label;
  const st = c ? lower(c.state) : "running";
  const pid = n.pid || (c ? lower(c.state) : "");
  const title = id + "  " + (n.pid || st);
  let sub, subClass = "sub";
  if (s) {
    sub = s.strategy + " · " + s.maxRestarts + " in " + duration(s.period) + " · left " + s.restartsLeft;
    if (s.restartsLeft === 0) subClass += " bad"; else if (s.restartsLeft < s.maxRestarts) subClass += " warn";
  } else {
    sub = childInfo(c);
    if (c.restarts > 0) subClass += " warn";
  }
  const classes = "node " + (s ? "supervisor" : "worker") + " " + st + (n.pid && n.pid === state.selected ? " selected" : "");
  const g = svg("g", {
    class: classes, testid: "tree-node", transform: `translate(${n.x},${n.y})`,
    "data-id": id, "data-pid": n.pid || "", "data-kind": s ? "supervisor" : "worker", "data-state": st,
    onclick: () => { if (n.pid) { state.selected = n.pid; renderTrees(); } },
  },
  svg("title", { text: title + "\n" + sub }),
  svg("rect", { width: NODE_W, height: NODE_H }),
  svg("text", { x: 10, y: 17 }, svg("tspan", { "font-weight": 600, text: clip(id, 22) + "  " }),
    svg("tspan", { class: "mono", testid: "node-pid", text: pid })),
  svg("text", { x: 10, y: 33, class: subClass, testid: s ? "node-sup-info" : "node-child-info", text: clip(sub, 40) }),
  s && c ? svg("text", { x: 10, y: 48, class: "sub" + (c.restarts > 0 ? " warn" : ""), testid: "node-child-info",
    text: clip(childInfo(c), 40) }) : null);
  return g;
}

const childInfo = (c) => c.restart + " · restarts " + c.restarts + (c.lastExit ? " · last " + c.lastExit : "");
const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

function findNode(pid) {
  for (const s of state.tree.supervisors) {
    if (s.pid === pid) return { sup: s, child: parentChild(pid) };
    for (const c of s.children) if (c.pid === pid) return { sup: null, child: c, parent: s };
  }
  return null;
}

function parentChild(pid) {
  for (const s of state.tree.supervisors) for (const c of s.children) if (c.pid === pid) return c;
  return null;
}

function renderSelection() {
  const panel = page.querySelector("[data-testid=selection]");
  if (!panel) return;
  panel.replaceChildren();
  if (!state.selected) {
    panel.append(el("p", { class: "note", text: "Click a process in a tree to see it here" +
      (state.actions ? " and kill it." : ". Start the server with --observer-actions to kill processes from here.") }));
    return;
  }
  const found = findNode(state.selected);
  if (!found) {
    panel.append(el("p", { testid: "selection-gone", text: "Process " + state.selected + " is gone." }));
    if (state.controls && state.controls.pid === state.selected && state.controls.el) {
      for (const b of state.controls.el.querySelectorAll("button, select, input")) b.disabled = true;
      panel.append(state.controls.el); // keeps the result of the kill that ended it
    }
    return;
  }
  const { sup, child } = found;
  // The kill controls outlive re-renders of the panel (the tree is pushed often), so a chosen
  // reason or a half-typed custom one is kept while the same process stays selected.
  if (!state.controls || state.controls.pid !== state.selected) {
    state.controls = { pid: state.selected, el: killControls(state.selected) };
  }
  const rows = [["Pid", pidLink(state.selected)]];
  if (child) {
    rows.push(["Child id", child.id], ["Type", child.type], ["Restart", child.restart],
      ["Restarts", String(child.restarts)], ["Last exit", child.lastExit || "—"]);
  }
  if (sup) {
    rows.push(["Supervisor", sup.path], ["Strategy", sup.strategy],
      ["Intensity", sup.maxRestarts + " in " + duration(sup.period)], ["Budget left", String(sup.restartsLeft)],
      ["Restarts done", String(sup.restarts)], ["Children", fmt(sup.childCount)]);
  }
  panel.append(el("h3", { testid: "selection-title", text: child ? child.id : sup.label }),
    el("dl", { class: "kv", testid: "selection-info" }, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)])),
    state.controls.el);
}

function killControls(pid) {
  if (!state.actions) return null;
  const reason = el("select", { testid: "kill-reason" },
    ["kill", "shutdown", "normal", "other"].map((r) => el("option", { value: r, text: r })));
  const custom = el("input", { testid: "kill-custom", placeholder: "reason", hidden: true });
  reason.addEventListener("change", () => { custom.hidden = reason.value !== "other"; });
  const result = el("span", { class: "note", testid: "kill-result" });
  const button = el("button", {
    class: "danger", testid: "kill-button", text: "Kill",
    onclick: async () => {
      const r = reason.value === "other" ? custom.value : reason.value;
      try {
        const done = await api("/api/processes/" + encodeURIComponent(pid) + "/kill", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reason: r }),
        });
        result.textContent = "sent " + done.reason + " to " + done.pid;
      } catch (e) { result.textContent = e.message; result.classList.add("error"); }
    },
  });
  return el("div", { class: "actions" }, reason, custom, button, result);
}

// ---- Processes ----------------------------------------------------------------------------

const COLUMNS = [["pid", "Pid"], ["name", "Name"], ["label", "Label"], ["status", "Status"],
  ["mailbox", "Mailbox"], ["messages", "Messages in"], ["parent", "Parent"]];

async function showProcesses() {
  const q = state.processes;
  let timer;
  const search = el("input", {
    type: "search", testid: "process-search", placeholder: "search pid, name or label", value: q.q,
    oninput: () => { clearTimeout(timer); timer = setTimeout(() => { q.q = search.value; q.offset = 0; loadProcesses(); }, 250); },
  });
  const nav = (testid, text, f) => el("button", { testid, text, onclick: () => { f(); loadProcesses(); } });
  page.append(el("h2", { text: "Processes" }),
    el("div", { class: "toolbar" }, search,
      nav("page-first", "« First", () => { q.offset = 0; }),
      nav("page-prev", "‹ Prev", () => { q.offset = Math.max(0, q.offset - q.limit); }),
      nav("page-next", "Next ›", () => { q.offset += q.limit; }),
      nav("page-last", "Last »", () => { q.offset = Math.max(0, Math.floor((q.matched - 1) / q.limit) * q.limit); }),
      el("span", { class: "note", testid: "page-info" })),
    el("table", { testid: "process-table" }, el("thead", {}, el("tr", {}, COLUMNS.map(([key, title]) =>
      el("th", { class: "sortable", testid: "sort-" + key, text: title, "data-key": key,
        onclick: () => { q.order = q.sort === key && q.order === "asc" ? "desc" : "asc"; q.sort = key; q.offset = 0; loadProcesses(); } })))),
    el("tbody", { testid: "process-rows" })));
  await loadProcesses();
}

async function loadProcesses() {
  const q = state.processes;
  const params = new URLSearchParams({ q: q.q, sort: q.sort, order: q.order, offset: q.offset, limit: q.limit });
  const p = await api("/api/processes?" + params);
  q.matched = p.matched;
  if (state.route !== "processes") return;
  const rows = page.querySelector("[data-testid=process-rows]");
  rows.replaceChildren(...p.rows.map((r) => el("tr", { testid: "process-row", "data-pid": r.pid },
    el("td", {}, pidLink(r.pid)), el("td", { text: r.registeredName || "" }), el("td", { text: r.label }),
    el("td", { text: lower(r.status) }), el("td", { class: "num", text: fmt(r.mailboxLength) }),
    el("td", { class: "num", text: fmt(r.messagesReceived) }), el("td", {}, r.parent ? pidLink(r.parent) : ""))));
  const last = Math.min(p.offset + p.rows.length, p.matched);
  page.querySelector("[data-testid=page-info]").textContent = p.matched === 0 ? "no process matches" :
    `${fmt(p.offset + 1)}–${fmt(last)} of ${fmt(p.matched)}` + (p.q ? ` matching (${fmt(p.total)} processes)` : " processes");
  page.querySelector("[data-testid=page-prev]").disabled = p.offset === 0;
  page.querySelector("[data-testid=page-first]").disabled = p.offset === 0;
  page.querySelector("[data-testid=page-next]").disabled = last >= p.matched;
  page.querySelector("[data-testid=page-last]").disabled = last >= p.matched;
  for (const th of page.querySelectorAll("th.sortable")) {
    th.classList.toggle("sorted", th.dataset.key === p.sort);
    th.classList.toggle("desc", th.dataset.key === p.sort && p.order === "desc");
  }
}

// ---- Process detail -----------------------------------------------------------------------

async function showProcess(pid) {
  const [p, sys] = await Promise.all([api("/api/processes/" + encodeURIComponent(pid)), api("/api/system")]);
  state.actions = sys.actions;
  const list = (pids) => pids.length ? pids.flatMap((x, i) => (i ? [", ", pidLink(x)] : [pidLink(x)])) : ["—"];
  const chain = p.supervisorChain.map((a) => el("li", {},
    pidLink(a.pid), " ", a.alive ? (a.label + (a.name ? " (" + a.name + ")" : "")) : "(exited)",
    a.supervisor ? " — supervisor" : "", a.application ? " — application " + a.application : ""));
  const stateView = el("div", {});
  if (state.actions) {
    const out = el("pre", { testid: "detail-state", hidden: true });
    stateView.append(el("button", {
      testid: "detail-state-button", text: "Show state (sys:get_state, 1 s)",
      onclick: async () => {
        out.hidden = false;
        try { const s = await api("/api/processes/" + encodeURIComponent(pid) + "/state"); out.textContent = s.type + "\n" + s.state; }
        catch (e) { out.textContent = e.message; }
      },
    }), out);
  }
  page.append(...[el("h2", { testid: "detail-title", text: "Process " + p.pid + (p.name ? " (" + p.name + ")" : "") }),
    el("dl", { class: "kv", testid: "page-process" },
      el("dt", { text: "Pid" }), el("dd", { class: "mono", testid: "detail-pid", text: p.pid }),
      el("dt", { text: "Label" }), el("dd", { testid: "detail-label", text: p.label }),
      el("dt", { text: "Status" }), el("dd", { testid: "detail-status", text: lower(p.status) }),
      el("dt", { text: "Mailbox" }), el("dd", { testid: "detail-mailbox", text: fmt(p.mailboxLength) }),
      el("dt", { text: "Messages in" }), el("dd", { text: fmt(p.messagesReceived) }),
      el("dt", { text: "Traps exits" }), el("dd", { text: p.trapExit ? "yes" : "no" }),
      el("dt", { text: "Parent" }), el("dd", {}, pidLink(p.parent)),
      el("dt", { text: "Links" }), el("dd", { testid: "detail-links" }, list(p.links)),
      el("dt", { text: "Monitored by" }), el("dd", { testid: "detail-monitors" }, list(p.monitoredBy)),
      el("dt", { text: "Application" }), el("dd", { testid: "detail-application", text: p.application || "—" })),
    p.supervisor ? el("p", { testid: "detail-supervisor", text: "Supervisor: " + p.supervisor.strategy + ", " +
      p.supervisor.maxRestarts + " restarts in " + duration(p.supervisor.period) + ", " + p.supervisor.restartsLeft +
      " left, " + fmt(p.supervisor.childCount) + " children" }) : null,
    el("h3", { text: "Supervisor chain" }), el("ol", { testid: "detail-chain" }, chain.length ? chain : el("li", { text: "—" })),
    killControls(p.pid), stateView,
    el("h3", { text: "Current stack" }), el("pre", { testid: "detail-stack", text: p.stack.join("\n") || "(none)" })]
    .filter(Boolean));
}

// ---- Tables -------------------------------------------------------------------------------

async function showTables() {
  const t = await api("/api/tables");
  page.append(el("h2", { text: "Tables" }),
    el("table", { testid: "page-tables" },
      el("tr", {}, ["Name", "Owner", "Size", "Access"].map((h) => el("th", { text: h }))),
      t.tables.map((r) => el("tr", { testid: "table-row", "data-name": r.name },
        el("td", { text: r.name }), el("td", {}, pidLink(r.owner)), el("td", { class: "num", text: fmt(r.size) }),
        el("td", { text: r.access })))));
}

// ---- Events -------------------------------------------------------------------------------

async function showEvents() {
  addEvents((await api("/api/events?limit=500")).events);
  page.append(el("h2", { text: "Events" }),
    el("p", { class: "note", text: "Crashes, restarts and restart intensity exceeded, newest first, live." }),
    el("table", { testid: "page-events" }, el("thead", {}, el("tr", {},
      ["#", "Time", "Event", "Where", "What"].map((h) => el("th", { text: h })))), el("tbody", { testid: "event-rows" })));
  renderEvents();
}

// Keeps the newest 1000 events, whatever order the stream and /api/events deliver them in.
function addEvents(events) {
  for (const e of events) state.events.set(e.sequence, e);
  if (state.events.size > 1000) {
    const keep = [...state.events.keys()].sort((a, b) => a - b).slice(-1000);
    state.events = new Map(keep.map((k) => [k, state.events.get(k)]));
  }
}

function renderEvents() {
  const rows = page.querySelector("[data-testid=event-rows]");
  if (!rows) return;
  const newest = [...state.events.values()].sort((a, b) => b.sequence - a.sequence).slice(0, 500);
  rows.replaceChildren(...newest.map((e) => {
    let where, what;
    if (e.type === "crash") { where = [pidLink(e.pid), " " + e.label + (e.name ? " (" + e.name + ")" : "")]; what = e.reason; }
    else if (e.type === "restart") {
      where = [e.supervisorPath + " / " + e.childId];
      what = [pidLink(e.oldPid), " → ", pidLink(e.newPid), " (restart " + e.restarts + (e.reason ? ", after " + e.reason : "") + ")"];
    } else { where = [e.supervisorPath]; what = "gave up after " + e.maxRestarts + " restarts in " + duration(e.period) + " (child " + e.childId + ")"; }
    return el("tr", { testid: "event-row", "data-type": e.type, class: "ev-" + e.type },
      el("td", { class: "num", text: e.sequence }), el("td", { text: new Date(e.time).toLocaleTimeString() }),
      el("td", { text: e.type.replace("_", " ") }), el("td", {}, where), el("td", {}, what));
  }));
}

connect();
route();
