// The clerk's working screen: live state over Socket.IO (/counter), applied by the reducer in state.js (no
// refetch per event); actions over REST; keyboard shortcuts.
/* global io */
import { ApiError, makeApi, toLogin } from "./api.js";
import { makeAppointments } from "./appointments.js";
import { watchDeviceAlerts } from "./device_alerts.js";
import { has, initLang, t } from "./i18n.js";
import { renderAll, renderTimer } from "./render.js";
import { ACTION_BY_KEY, ACTIONS, allowed, canRecallSkipped } from "./rules.js";
import { applyCounter } from "./state.js";

const AUTH_CODES = new Set(["token_expired", "invalid_token", "unauthorized"]);
const UNPRINTED_POLL_MS = 20000;
const RETRY_REFUSED_MS = 3000;
const CONNECT_GRACE_MS = 6000; // the first connection normally takes well under a second

const cfg = JSON.parse(document.getElementById("counter-config").textContent);
const api = makeApi(cfg.api, cfg.token);
const loadedMs = Date.now(); // the PC's clock may be off; timers use the server's, at its rate (a demo's is faster)
const counterPath = `/counters/${encodeURIComponent(cfg.counter)}`;

const S = {
  view: null, seq: -1, services: {}, unprinted: [],
  connected: false, everConnected: false, inFlight: false, forbidden: false, message: null,
  problem: null, // why the page cannot connect at all: "noscript" (socket.io.min.js missing) or "stuck"
};
window.antreCounter = S; // read by tests and handy when supporting a clerk from the browser console

const appointments = makeAppointments({ api, cfg, isOnline: () => S.connected });
const serverNow = () => cfg.serverNowMs + (Date.now() - loadedMs) * (cfg.clockRate || 1);
const render = () => { renderAll(S, serverNow()); appointments.render(); };
const say = (key, vars = {}, kind = "ok") => { S.message = { key, vars, kind }; };

function applyView(view) {
  if (!view || typeof view.seq !== "number" || view.seq < S.seq) return; // an older answer lost the race
  S.view = view;
  S.seq = view.seq;
  render();
}

/** One `/counter` message through the reducer; the daily reset asks for a fresh snapshot. */
function applyMessage(name, payload) {
  if (!S.view) return;
  S.view = applyCounter(S.view, name, payload);
  S.seq = S.view.seq;
  if (S.view.stale) requestSnapshot();
  render();
}

let socket = null;
function requestSnapshot() {
  if (socket && socket.connected) socket.emit("snapshot", { token: cfg.token, counter: cfg.counter }, applyView);
}

function fail(err) {
  if (!(err instanceof ApiError)) {
    console.error(err); // a bug of this page: say so, but never leave the buttons stuck
    S.message = { text: String(err), kind: "error" };
    return;
  }
  if (err.status === 401 || AUTH_CODES.has(err.code)) {
    toLogin(cfg.loginUrl);
    return;
  }
  if (err.code === "counter_not_assigned") S.forbidden = true;
  if (err.status === 0) say("msg_network", {}, "error");
  else if (has(`err_${err.code}`)) say(`err_${err.code}`, {}, "error");
  else S.message = { text: err.message, kind: "error" };
}

// ---------------------------------------------------------------- loading state
async function loadServices() {
  try {
    const list = await api("GET", "/services");
    S.services = Object.fromEntries(list.map((s) => [s.code, s]));
  } catch (err) {
    fail(err);
  }
  render();
}

async function loadUnprinted() {
  try {
    S.unprinted = await api("GET", "/tickets/unprinted");
  } catch (err) {
    if (err instanceof ApiError && err.status === 0) return; // the socket shows the outage
    fail(err);
  }
  render();
}

// ---------------------------------------------------------------- actions
const DONE_MESSAGES = {
  call: "msg_called", recall: "msg_recalled", start: "msg_started", finish: "msg_finished", skip: "msg_skipped",
  transfer: "msg_transferred", open: "msg_open", pause: "msg_paused", close: "msg_closed",
  finishNext: "msg_finished_called",
};

/** Send one action (its REST calls one after the other, `body` with the first); while it is in flight every button
 *  is off, so a double click never sends two, and a pair never interleaves with another action. A failed step
 *  stops the rest and says why, the steps done so far stay applied. */
async function send(name, body, vars = {}) {
  const steps = [].concat(ACTIONS[name].path);
  S.inFlight = true;
  render();
  try {
    let done = null; // the ticket an earlier step finished (Selesai & Panggil Berikutnya)
    for (const [i, path] of steps.entries()) {
      const answer = await api("POST", `${counterPath}/${path}`, i === 0 ? body : undefined);
      applyAnswer(answer);
      const number = answer && answer.ticket ? answer.ticket.number : "";
      if (i < steps.length - 1) {
        done = number;
        say("msg_finished", { number });
      } else if (answer === null) {
        say(done ? "msg_finished_nobody" : "msg_nobody", { number: done }, "info");
      } else {
        say(DONE_MESSAGES[name], { number, done, ...vars });
      }
    }
  } catch (err) {
    fail(err);
  } finally {
    S.inFlight = false;
    render();
  }
}

/** The committed state the action's answer tells, applied at once: its own event may still be on the way (it is
 *  applied again when it comes, which changes nothing), and the buttons must show the state after this action. */
function applyAnswer(answer) {
  if (!S.view || !answer) return;
  const seq = S.view.seq;
  if (answer.ticket) applyMessage("ticket_changed", { seq, ticket: answer.ticket, counter: cfg.counter });
  else if (answer.status) applyMessage("counter_status", { seq, status: answer.status });
}

function act(name) {
  if (!allowed(name, S)) {
    if (name === "call" && S.view && !S.view.current && S.view.waiting.length === 0) {
      say("msg_nobody", {}, "info");
      render();
    }
    return;
  }
  if (name === "transfer") openTransfer();
  else send(name);
}

async function recallSkipped(number) {
  if (!canRecallSkipped(S)) return;
  await send("recall", { number });
}

async function reprint(token, number) {
  if (!S.connected || S.inFlight) return;
  S.inFlight = true;
  render();
  try {
    await api("POST", `/tickets/${encodeURIComponent(token)}/reprint`);
    say("msg_reprint", { number });
  } catch (err) {
    fail(err);
  }
  S.inFlight = false;
  await loadUnprinted();
}

// ---------------------------------------------------------------- transfer dialog
const dialog = document.getElementById("transfer-dialog");
const picker = document.getElementById("transfer-service");
const filter = document.getElementById("transfer-filter");

function fillPicker() {
  const current = S.view && S.view.current ? S.view.current.service : null;
  const words = filter.value.trim().toLowerCase();
  const groups = new Map();
  const here = new Set(cfg.placeAgencies || []); // this building's agencies: never another office's services
  for (const s of Object.values(S.services)) {
    if (here.size && !here.has(s.agency)) continue;
    const label = `${s.name} (${s.prefix})${s.open_now ? "" : ` — ${t("transfer_closed")}`}`;
    if (s.code === current || (words && !`${label} ${s.agency_name} ${s.code}`.toLowerCase().includes(words))) continue;
    if (!groups.has(s.agency_name)) groups.set(s.agency_name, []);
    const option = new Option(label, s.code);
    groups.get(s.agency_name).push(option);
  }
  picker.replaceChildren(...[...groups].map(([agency, options]) => {
    const group = document.createElement("optgroup");
    group.label = agency;
    group.append(...options);
    return group;
  }));
  if (picker.options.length) picker.selectedIndex = 0;
}

function openTransfer() {
  document.getElementById("transfer-number").textContent = S.view.current.number;
  filter.value = "";
  fillPicker();
  dialog.showModal();
  filter.focus();
}

async function confirmTransfer() {
  const service = picker.value;
  if (!service || !allowed("transfer", S)) return;
  dialog.close();
  await send("transfer", { service }, { service: (S.services[service] || {}).name || service });
}

// ---------------------------------------------------------------- wiring
function wire() {
  document.getElementById("actions").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (button && !button.disabled) act(button.dataset.action);
  });
  document.getElementById("skipped-list").addEventListener("click", (e) => {
    const button = e.target.closest("button.recall-skipped");
    if (button && !button.disabled) recallSkipped(button.dataset.number);
  });
  document.getElementById("unprinted-list").addEventListener("click", (e) => {
    const button = e.target.closest("button.reprint");
    if (button && !button.disabled) reprint(button.dataset.token, button.dataset.number);
  });
  document.getElementById("transfer-form").addEventListener("submit", (e) => {
    e.preventDefault();
    confirmTransfer();
  });
  document.getElementById("transfer-cancel").addEventListener("click", () => dialog.close());
  filter.addEventListener("input", fillPicker);
  filter.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); picker.focus(); }
  });
  picker.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); confirmTransfer(); }
  });
  picker.addEventListener("dblclick", confirmTransfer);
  document.addEventListener("keydown", (e) => {
    const name = ACTION_BY_KEY[e.key];
    if (!name) return;
    e.preventDefault(); // F1 help, F5 reload… belong to the counter here
    if (!dialog.open && !e.repeat) act(name);
  });
}

function connect() {
  if (typeof io !== "function") { // the Socket.IO script failed to load: say so instead of "connecting" forever
    S.problem = "noscript";
    render();
    return null;
  }
  setTimeout(() => {
    if (!S.everConnected) {
      S.problem = "stuck";
      render();
    }
  }, CONNECT_GRACE_MS);
  socket = io(cfg.namespace, {
    transports: ["websocket"],
    auth: { token: cfg.token, counter: cfg.counter },
    reconnectionDelay: 300, // capped at 1.2 s: the fresh state within 2 s of a restarted server (issue 16)
    reconnectionDelayMax: 1200,
  });
  socket.on("connect", () => {
    S.seq = -1; // the state sent on connect always wins, even from a server whose seq restarted (new database)
    S.connected = true;
    S.everConnected = true;
    S.problem = null;
    if (S.message && S.message.key === "msg_network") S.message = null;
    render();
    loadServices();
    loadUnprinted();
    appointments.refresh();
  });
  socket.on("counter_state", applyView); // sent on every (re)connect: the fresh state after an outage
  for (const name of ["ticket_changed", "counter_status", "day_closed"]) {
    socket.on(name, (payload) => applyMessage(name, payload));
  }
  socket.on("site_changed", () => { // an administrator changed services or lokets: this loket's view and names
    requestSnapshot();
    loadServices();
  });
  socket.on("disconnect", (reason) => {
    S.connected = false;
    render();
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", (err) => {
    S.connected = false;
    S.problem = null; // the offline banner tells this outage
    S.everConnected = true; // from now on an outage is shown as one, also when the very first try failed
    const code = err && err.data && err.data.code;
    if (AUTH_CODES.has(code)) {
      toLogin(cfg.loginUrl);
      return;
    }
    if (code === "counter_not_assigned" || code === "unknown_counter") {
      S.forbidden = true;
      S.message = { text: err.data.message, kind: "error" };
    }
    render();
    // A refusal by the namespace is not retried by the client itself; an outage is (socket.active).
    if (!socket.active && !S.forbidden) setTimeout(() => socket.connect(), RETRY_REFUSED_MS);
  });
  return socket;
}

initLang(() => { render(); if (dialog.open) fillPicker(); });
wire();
render();
watchDeviceAlerts(connect(), cfg);
setInterval(() => renderTimer(S, serverNow()), 1000);
setInterval(() => { if (S.connected) loadUnprinted(); }, UNPRINTED_POLL_MS);
