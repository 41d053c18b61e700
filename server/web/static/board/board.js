// The live supervision board: one `/board` socket (snapshot on connect, then events applied by state.js), drawn
// again on every message and once every few seconds for the minutes that pass. No polling of the server.
import {
  applyBoard, calledLate, counterCards, level, overdue, remember, resync, serviceRows, totals,
} from "./state.js";

const cfg = JSON.parse(document.getElementById("board-config").textContent);
const AUTH_CODES = new Set(["token_expired", "invalid_token", "unauthorized"]);
const TICK_MS = 5000; // minutes waited and served are redrawn from the local clock, not asked for
const OVERDUE_SHOWN = 14;
const LATE_SHOWN = 10;

const TEXT = {
  id: {
    title: "Papan pantau", services: "Layanan", service: "Layanan", waiting: "Menunggu", longest: "Terlama",
    eta: "Perkiraan", target: "Target", open_counters: "Loket buka", served: "Selesai", counters: "Loket",
    overdue: "Menunggu lewat target", called_late: "Dipanggil setelah lewat target hari ini", tv_mode: "Mode TV",
    console: "Konsol", connecting: "Menghubungkan…", live: "Langsung", offline: "Terputus — menyambung ulang…",
    st_open: "Buka", st_paused: "Istirahat", st_closed: "Tutup", t_called: "dipanggil", t_serving: "dilayani",
    idle_counter: "Tidak ada antrean", idle_waiting: "Belum memanggil", all_site: "Seluruh gedung", f_waiting: "Menunggu", f_overdue: "Lewat target",
    f_open: "Loket buka", f_paused: "Istirahat", f_served: "Selesai hari ini", f_called_late: "Terlambat dipanggil",
    none_overdue: "Tidak ada yang menunggu lewat target.", none_late: "Belum ada.", min: "mnt",
    idle_services: "Tanpa antrean dan tanpa loket buka", forbidden: "Akun ini tidak boleh membuka papan pantau.",
    offline_hint: "Data di layar adalah keadaan terakhir yang diketahui.", more: "lainnya", n_agencies: "instansi",
  },
  en: {
    title: "Live board", services: "Services", service: "Service", waiting: "Waiting", longest: "Longest",
    eta: "Estimate", target: "Target", open_counters: "Counters open", served: "Served", counters: "Counters",
    overdue: "Waiting past target", called_late: "Called after the target today", tv_mode: "TV mode",
    console: "Console", connecting: "Connecting…", live: "Live", offline: "Disconnected — reconnecting…",
    st_open: "Open", st_paused: "Break", st_closed: "Closed", t_called: "called", t_serving: "serving",
    idle_counter: "Nobody waiting", idle_waiting: "Not calling", all_site: "Whole building", f_waiting: "Waiting", f_overdue: "Past target",
    f_open: "Counters open", f_paused: "On break", f_served: "Served today", f_called_late: "Called late",
    none_overdue: "Nobody is waiting past the target.", none_late: "None yet.", min: "min",
    idle_services: "No line and no counter open", forbidden: "This account may not open the live board.",
    offline_hint: "The screen shows the last known state.", more: "more", n_agencies: "agencies",
  },
};
const T = TEXT[cfg.lang] || TEXT.id;
const S = { state: null, recent: [], connected: false, synced: { server: cfg.serverNowMs, local: Date.now() } };
const RATE = cfg.clockRate || 1; // a demo's clock runs faster than the wall's

function now() {
  // the server's clock, so minutes agree with the tickets' times
  return S.synced.server + (Date.now() - S.synced.local) * RATE;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function mins(m) {
  return m === null || m === undefined ? "—" : `${m} ${T.min}`;
}

function hhmm(iso) {
  return iso ? iso.slice(11, 16).replace(":", ".") : "";
}

function drawFigures(state, t) {
  const figures = [
    ["waiting", T.f_waiting, t.waiting, ""], ["overdue", T.f_overdue, t.overdue, t.overdue ? "late" : ""],
    ["open", T.f_open, `${t.open}/${t.counters}`, ""], ["paused", T.f_paused, t.paused, t.paused ? "warn" : ""],
    ["served", T.f_served, t.served, ""], ["called-late", T.f_called_late, t.calledLate, ""],
  ];
  document.getElementById("figures").replaceChildren(...figures.map(([id, label, value, cls]) =>
    el("div", { class: `figure ${cls}`, id: `fig-${id}` }, el("dt", {}, label), el("dd", {}, String(value)))));
}

function drawServices(state, nowMs) {
  const rows = serviceRows(state, nowMs);
  const active = rows.filter((r) => !r.idle);
  // The most urgent first: past the target, then by the longest wait.
  const rank = { late: 0, warn: 1, ok: 2 };
  active.sort((a, b) => rank[a.level] - rank[b.level] || (b.longest ?? -1) - (a.longest ?? -1) || b.waiting - a.waiting);
  document.querySelector("#services tbody").replaceChildren(...active.map((r) => el("tr",
    { class: `lvl-${r.level}`, "data-service": r.code },
    el("td", { class: "name" }, el("span", { class: "prefix" }, r.prefix), el("span", { class: "svc", title: r.name }, r.name),
      el("span", { class: "agency" }, r.agency)),
    el("td", { class: "num waiting" }, String(r.waiting)),
    el("td", { class: "num longest" }, mins(r.longest)),
    el("td", { class: `num eta lvl-${r.eta_level}` }, r.waiting ? mins(r.eta) : "—"),
    el("td", { class: "num target" }, mins(r.target_wait_minutes)),
    el("td", { class: `num open${r.open === 0 && r.waiting ? " none" : ""}` }, String(r.open)),
    el("td", { class: "num served" }, String(r.served)))));
  const idle = rows.filter((r) => r.idle);
  document.getElementById("idle-services").textContent = idle.length
    ? `${T.idle_services}: ${idle.map((r) => r.code).join(", ")}` : "";
}

function drawCounters(state, nowMs) {
  document.getElementById("counters").replaceChildren(...counterCards(state, nowMs).map((c) => {
    const t = c.ticket;
    const target = t && state.services[t.service] ? state.services[t.service].target_wait_minutes : null;
    return el("li", { class: `card st-${c.status}`, "data-counter": c.code, "data-number": t ? t.number : "" },
      el("div", { class: "head" }, el("span", { class: "cname", title: c.name }, c.name),
        el("span", { class: "status" }, T[`st_${c.status}`] || c.status)),
      el("div", { class: "clerk" }, c.status === "closed" ? "" : (c.clerk || "")),
      t ? el("div", { class: "now" }, el("span", { class: "number" }, t.number),
        el("span", { class: `since lvl-${t.status === "serving" && target ? level(c.minutes, target) : "ok"}` },
          `${t.status === "serving" ? T.t_serving : T.t_called} ${mins(c.minutes)}`))
        : el("div", { class: `now empty${c.status === "open" && c.callable ? " waiting" : ""}`,
          title: c.callable ? `${c.callable} ${T.waiting.toLowerCase()}` : "" },
        c.status === "open" ? (c.callable ? `${T.idle_waiting} (${c.callable})` : T.idle_counter) : ""));
  }));
}

function ticketItem(t, minutes, extra) {
  const s = S.state.services[t.service];
  return el("li", { "data-number": t.number },
    el("span", { class: "number" }, t.number), el("span", { class: "svc", title: s ? s.name : "" }, s ? s.name : t.service),
    el("span", { class: "mins" }, extra || mins(minutes)));
}

function drawLate(state, nowMs) {
  const over = overdue(state, nowMs).sort((a, b) => b.minutes - a.minutes);
  document.getElementById("overdue-count").textContent = over.length ? `(${over.length})` : "";
  const shown = over.slice(0, OVERDUE_SHOWN).map((t) => ticketItem(t, t.minutes));
  if (over.length > OVERDUE_SHOWN) shown.push(el("li", { class: "more" }, `+${over.length - OVERDUE_SHOWN} ${T.more}`));
  document.getElementById("overdue").replaceChildren(...(shown.length ? shown : [el("li", { class: "none" }, T.none_overdue)]));
  const late = calledLate(state);
  document.getElementById("late-count").textContent = late.length ? `(${late.length})` : "";
  const items = late.slice(0, LATE_SHOWN).map((t) => ticketItem(t, null,
    `${mins(Math.floor((Date.parse(t.called_at) - Date.parse(t.queued_at)) / 60000))} · ${hhmm(t.called_at)}`));
  document.getElementById("called-late").replaceChildren(...(items.length ? items : [el("li", { class: "none" }, T.none_late)]));
}

function drawConn() {
  const conn = document.getElementById("conn");
  conn.dataset.state = S.connected ? "live" : S.state ? "offline" : "connecting";
  document.getElementById("conn-text").textContent = S.connected ? T.live : S.state ? T.offline : T.connecting;
  const banner = document.getElementById("banner");
  banner.hidden = S.connected || !S.state;
  banner.textContent = S.forbidden ? T.forbidden : `${T.offline} ${T.offline_hint}`;
  if (S.forbidden) banner.hidden = false;
}

function render() {
  const nowMs = now();
  document.getElementById("clock").textContent = new Date(nowMs).toLocaleTimeString("id-ID",
    { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: cfg.timezone }).replace(":", ".");
  drawConn();
  const state = S.state;
  if (!state) return;
  const names = state.agencies.map((a) => a.name);
  document.getElementById("scope").textContent = !state.scope ? T.all_site
    : names.length <= 2 ? names.join(" · ") : `${names.length} ${T.n_agencies}`;
  drawFigures(state, totals(state, nowMs));
  drawServices(state, nowMs);
  drawCounters(state, nowMs);
  drawLate(state, nowMs);
  document.body.dataset.seq = String(state.seq); // tests wait on it
}

function apply(name, payload) {
  if (name === "board_event") S.recent = remember(S.recent, payload);
  if (name === "board_snapshot") {
    S.state = resync(payload, S.recent); // events that crossed the snapshot on the way are not lost
    if (payload.now) S.synced = { server: Date.parse(payload.now), local: Date.now() };
  } else {
    S.state = applyBoard(S.state, name, payload);
  }
  render();
}

function connect() {
  if (typeof io !== "function") return;
  const socket = io(cfg.namespace, {
    transports: ["websocket"], auth: { token: cfg.token, agencies: cfg.agencies }, reconnectionDelay: 500, reconnectionDelayMax: 2000,
  });
  socket.on("connect", () => { S.connected = true; render(); });
  socket.on("board_snapshot", (snap) => apply("board_snapshot", snap)); // on every (re)connect
  socket.on("board_event", (payload) => apply("board_event", payload));
  socket.on("board_reset", (payload) => { // the daily reset or a site change: start again from a snapshot
    apply("board_reset", payload);
    socket.emit("snapshot", {}, (snap) => { if (snap && !snap.error) apply("board_snapshot", snap); });
  });
  socket.on("disconnect", (reason) => {
    S.connected = false;
    render();
    if (reason === "io server disconnect") socket.connect(); // revoked: the retry is refused and leads to login
  });
  socket.on("connect_error", (err) => {
    S.connected = false;
    const code = err && err.data && err.data.code;
    if (AUTH_CODES.has(code)) { window.location.assign(cfg.loginUrl); return; }
    if (code === "forbidden") S.forbidden = true;
    render();
    if (!socket.active && !S.forbidden) setTimeout(() => socket.connect(), 2000);
  });
}

for (const node of document.querySelectorAll("[data-i18n]")) {
  const text = T[node.dataset.i18n];
  if (text) node.textContent = text;
}
render();
connect();
setInterval(render, TICK_MS);
