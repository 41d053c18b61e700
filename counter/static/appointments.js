// Today's appointments of the counter's services (a kelurahan clerk checks citizens in here: Lapor Hadir).
import { ApiError, toLogin } from "./api.js";
import { t } from "./i18n.js";

const POLL_MS = 60000; // bookings of the day trickle in; the socket does not announce them
const STATUSES = new Set(["booked", "checked_in", "expired", "cancelled"]);
const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** "Rahmat H." from "Rahmat Hidayat": enough for the clerk to greet, not a full name on a visible screen. */
export function maskName(name) {
  const words = String(name || "").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "—";
  return [words[0], ...words.slice(1).map((w) => `${w[0].toUpperCase()}.`)].join(" ");
}

function drawRow(b, busy) {
  const status = STATUSES.has(b.status) ? b.status : "booked";
  const li = el("li", `appt-row appt-${status}`);
  li.dataset.code = b.code;
  li.dataset.status = status;
  const main = el("div", "appt-main");
  const top = el("div", "appt-top");
  top.append(el("span", "appt-code", b.code), el("span", "appt-name", maskName(b.name)));
  // One Indonesian time format everywhere, as the citizen's pages write it: 08.00–10.00.
  const when = b.start ? `${b.session_name} ${dotted(b.start)}–${dotted(b.end)}` : b.session_name || b.session;
  const what = el("div", "appt-what", `${when} · ${b.service_name || b.service}`);
  what.title = what.textContent;
  main.append(top, what);
  const side = el("div", "appt-side");
  const label = status === "checked_in" && b.ticket_number ? `${t("appt_checked_in")} · ${b.ticket_number}` : t(`appt_${status}`);
  side.append(el("span", `appt-badge badge-${status}`, label));
  if (status === "booked") {
    const button = el("button", "btn btn-small appt-checkin", t("appts_checkin"));
    button.type = "button";
    button.dataset.code = b.code;
    button.disabled = busy;
    side.append(button);
  }
  li.append(main, side);
  return li;
}

function dotted(hhmm) {
  return String(hhmm).replace(":", ".");
}

/** The appointments panel: `refresh()` after (re)connecting; it polls by itself and redraws on `render()`. */
export function makeAppointments({ api, cfg, isOnline }) {
  const services = new Set(cfg.services || []);
  const A = { rows: [], loaded: false, busy: false, message: null };
  let loading = null;
  let again = false;
  let drawn = "";

  function render() {
    const panel = $("appointments");
    panel.hidden = !(cfg.appointments || A.rows.length > 0);
    const busy = A.busy || !isOnline();
    // Rebuilt only when something shown changes: a focused button survives the counter's frequent redraws.
    const key = JSON.stringify([A.rows, busy, document.documentElement.lang]);
    if (key !== drawn) {
      drawn = key;
      $("appts-list").replaceChildren(...A.rows.map((b) => drawRow(b, busy)));
    }
    $("appts-empty").hidden = A.rows.length > 0 || !A.loaded;
    $("appts-count").textContent = String(A.rows.length);
    $("appts-submit").disabled = busy;
    const box = $("appts-message");
    const m = A.message;
    box.textContent = m ? (m.key ? t(m.key, m.vars || {}) : m.text) : "";
    box.dataset.kind = m ? m.kind : "";
  }

  function failed(err) {
    if (err instanceof ApiError && err.status === 401) {
      toLogin(cfg.loginUrl);
      return;
    }
    if (err instanceof ApiError && err.status === 0) A.message = { key: "msg_network", kind: "error" };
    else A.message = { text: err instanceof ApiError ? err.message : String(err), kind: "error" };
  }

  /** Fetch today's list; calls during a fetch coalesce into one more. */
  function refresh() {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      try {
        do {
          again = false;
          try {
            const rows = await api("GET", "/bookings/today");
            A.rows = rows.filter((b) => services.has(b.service));
            A.loaded = true;
          } catch (err) {
            // A counter without kelurahan services keeps quiet about a list it does not show.
            if (cfg.appointments || A.rows.length) failed(err);
          }
        } while (again);
      } finally {
        loading = null;
        render();
      }
    })();
    return loading;
  }

  async function checkIn(raw) {
    const code = String(raw || "").replace(/\s+/g, "").toUpperCase();
    if (!code) {
      A.message = { key: "appts_code_missing", kind: "error" };
      render();
      return;
    }
    if (A.busy) return;
    A.busy = true;
    render();
    try {
      const answer = await api("POST", `/bookings/${encodeURIComponent(code)}/check-in`, {});
      // 201 a new ticket, 200 the same ticket again (a second scan): either way this is the citizen's number.
      A.message = { key: "appts_done", vars: { number: answer.number }, kind: "ok" };
      return true;
    } catch (err) {
      failed(err);
      return false;
    } finally {
      A.busy = false;
      await refresh();
    }
  }

  function wire() {
    $("appts-list").addEventListener("click", (e) => {
      const button = e.target.closest("button.appt-checkin");
      if (button && !button.disabled) checkIn(button.dataset.code);
    });
    $("appts-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const input = $("appts-code");
      if (await checkIn(input.value)) input.value = "";
      input.focus(); // the next scan goes straight into the box
    });
  }

  wire();
  render();
  setInterval(() => { if (isOnline()) refresh(); }, POLL_MS);
  window.antreAppointments = A; // read by tests, like window.antreCounter
  return { refresh, render };
}
