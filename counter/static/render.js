// Drawing the counter screen from its state; lists are rebuilt only when their data change (keeps focus).
import { t } from "./i18n.js";
import { ACTIONS, allowed, canRecallSkipped } from "./rules.js";
import { skippedHere } from "./state.js";

const $ = (id) => document.getElementById(id);
const lastDrawn = {};

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** "4:05" or "1:02:09" from seconds (never negative, even with a clock slightly off). */
export function duration(secs) {
  const s = Math.max(0, Math.floor(secs));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** Milliseconds of an ISO time; the server sends microseconds, which not every engine parses. */
function parseTime(iso) {
  return Date.parse(String(iso).replace(/(\.\d{3})\d+/, "$1"));
}

/** HH.MM of an ISO time as written by the server (the site's own zone, whatever the PC's zone is): the one
 * Indonesian time format of every screen (09.30, 08.00–10.00). */
function clock(iso) {
  return iso ? iso.slice(11, 16).replace(":", ".") : "";
}

function priorityBadge(code) {
  const badge = el("span", `badge badge-priority prio-${code}`, t(`prio_${code}`));
  badge.dataset.priority = code;
  return badge;
}

function serviceName(s, code) {
  return (s.services[code] && s.services[code].name) || code;
}

function renderCurrent(s, nowMs) {
  const v = s.view;
  const cur = v && v.current;
  const box = $("current");
  box.dataset.status = cur ? cur.status : "none";
  $("current-number").textContent = cur ? cur.number : "—";
  $("current-service").textContent = cur ? serviceName(s, cur.service) : v ? t(`idle_${v.status}`) : "";
  const status = $("current-status");
  status.textContent = cur ? t(`ticket_${cur.status}`) + (cur.recalls ? ` · ${t("recalls", { n: cur.recalls })}` : "") : "";
  status.hidden = !cur;
  const prio = $("current-priority");
  prio.hidden = !(cur && cur.priority);
  if (cur && cur.priority) {
    prio.textContent = t(`prio_${cur.priority}`);
    prio.className = `badge badge-priority prio-${cur.priority}`;
  }
}

/** The ticking part: time since called / since start, and the minutes each waiting ticket has waited. */
export function renderTimer(s, nowMs) {
  const cur = s.view && s.view.current;
  let text = "";
  if (cur && cur.status === "serving" && cur.started_at) {
    text = t("since_started", { t: duration((nowMs - Date.parse(cur.started_at)) / 1000) });
  } else if (cur && cur.called_at) {
    text = t("since_called", { t: duration((nowMs - Date.parse(cur.called_at)) / 1000) });
  }
  $("current-timer").textContent = text;
  document.querySelectorAll("#waiting-list .waited").forEach((node) => {
    node.textContent = t("minutes_short", { n: Math.max(0, Math.floor((nowMs - parseTime(node.dataset.queued)) / 60000)) });
  });
}

function fillList(id, items, draw) {
  const list = $(id);
  list.replaceChildren(...items.map(draw));
  $(id.replace("-list", "-empty")).hidden = items.length > 0;
  $(id.replace("-list", "-count")).textContent = String(items.length);
}

function drawWaiting(s) {
  return (item) => {
    const li = el("li", item.priority ? "row prio" : "row");
    li.dataset.number = item.number;
    const num = el("span", "num", item.number);
    if (item.priority) num.append(" ", priorityBadge(item.priority));
    const waited = el("span", "waited");
    waited.dataset.queued = item.queued_at;
    const svc = el("span", "svc", serviceName(s, item.service));
    svc.title = svc.textContent;
    li.append(num, svc, waited);
    return li;
  };
}

function drawSkipped(s) {
  return (item) => {
    const li = el("li", "row");
    li.dataset.number = item.number;
    const info = el("span", "svc", `${serviceName(s, item.service)} · ${t("skipped_at", { time: clock(item.skipped_at) })}`);
    info.title = info.textContent;
    const button = el("button", "btn btn-small recall-skipped", t("act_recall"));
    button.type = "button";
    button.dataset.number = item.number;
    li.append(el("span", "num", item.number), info, button);
    return li;
  };
}

function drawUnprinted(s) {
  return (item) => {
    const li = el("li", "row");
    li.dataset.number = item.number;
    const button = el("button", "btn btn-small reprint", t("act_reprint"));
    button.type = "button";
    button.dataset.token = item.token;
    button.dataset.number = item.number;
    const info = el("span", "svc", `${serviceName(s, item.service)} · ${clock(item.issued_at)}`);
    info.title = info.textContent;
    li.append(el("span", "num", item.number), info, button);
    return li;
  };
}

function renderLists(s) {
  const v = s.view;
  // Each list is rebuilt only when its own data (or the language / service names) change: a focused button
  // in one list survives updates of the others.
  const common = [Object.keys(s.services).length, document.documentElement.lang];
  const lists = [
    ["waiting-list", v ? v.waiting : [], drawWaiting(s)],
    ["skipped-list", v ? v.skipped : [], drawSkipped(s)],
    ["unprinted-list", s.unprinted, drawUnprinted(s)],
  ];
  for (const [id, items, draw] of lists) {
    const key = JSON.stringify([items, common]);
    if (key !== lastDrawn[id]) {
      lastDrawn[id] = key;
      fillList(id, items, draw);
    }
  }
  const free = canRecallSkipped(s);
  document.querySelectorAll(".recall-skipped").forEach((b) => { b.disabled = !free; });
  const online = s.connected && !s.inFlight;
  document.querySelectorAll(".reprint").forEach((b) => { b.disabled = !online; });
}

function renderHeader(s) {
  const status = $("counter-status");
  const value = s.view ? s.view.status : "unknown";
  status.dataset.status = value;
  status.textContent = s.view ? t(`status_${value}`) : "…";
  const conn = $("conn-state");
  const state = s.connected ? "online" : s.everConnected ? "offline" : s.problem === "noscript" ? "failed" : "connecting";
  conn.dataset.state = state;
  conn.querySelector(".conn-text").textContent = t(state);
  $("banner-offline").hidden = s.connected || !s.everConnected;
  const problem = !s.connected && !s.everConnected && s.problem;
  $("banner-problem").hidden = !problem;
  $("banner-problem").dataset.problem = problem || "";
  $("problem-title").textContent = problem ? t(`${problem}_title`) : "";
  $("problem-hint").textContent = problem ? t(`${problem}_hint`) : "";
  document.body.classList.toggle("is-offline", !s.connected && (s.everConnected || Boolean(problem)));
}

function renderToday(s) {
  const today = s.view ? s.view.today : { served: 0, avg_service_minutes: null };
  $("today-served").textContent = String(today.served);
  $("today-skipped").textContent = String(skippedHere(s.view));
  $("today-avg").textContent = today.avg_service_minutes == null ? "—" : t("minutes_short", { n: today.avg_service_minutes });
}

function renderMessage(s) {
  const box = $("message");
  const m = s.message;
  box.textContent = m ? (m.key ? t(m.key, m.vars || {}) : m.text) : "";
  box.dataset.kind = m ? m.kind : "";
}

/** Redraw everything from the state `s` at server time `nowMs`. */
export function renderAll(s, nowMs) {
  for (const name of Object.keys(ACTIONS)) {
    $(`btn-${name}`).disabled = !allowed(name, s);
  }
  $("transfer-confirm").disabled = !allowed("transfer", s);
  renderHeader(s);
  renderCurrent(s, nowMs);
  renderLists(s);
  renderTimer(s, nowMs); // after the lists: a row just drawn shows its minutes now, not at the next tick
  renderToday(s);
  renderMessage(s);
}
