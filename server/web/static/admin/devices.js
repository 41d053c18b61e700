// Antre admin console, devices page (and the home page, while an alert is open): every two seconds the devices' health (online, printer) and the open alerts
// from /admin/devices/health.json, so a kiosk out of paper or a TV gone silent shows here within seconds.
"use strict";

(function () {
  const box = document.getElementById("device-alerts");
  if (!box) return;
  const list = document.getElementById("alerts-list");
  const none = document.getElementById("alerts-none");
  const tz = box.dataset.tz || undefined;

  function seen(iso) {
    const d = new Date(iso);
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
      timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      second: "2-digit", hourCycle: "h23" }).formatToParts(d).map((p) => [p.type, p.value]));
    return `${parts.day}-${parts.month}-${parts.year} ${parts.hour}.${parts.minute}.${parts.second}`;
  }

  function renderAlerts(alerts) {
    list.replaceChildren(...alerts.map((a) => {
      const li = document.createElement("li");
      li.dataset.device = a.device_id;
      li.dataset.problem = a.problem;
      const link = document.createElement("a");
      link.href = `${box.dataset.devices || ""}#device-${a.device_id}`;
      link.textContent = a.text;
      li.append(link);
      return li;
    }));
    none.hidden = alerts.length > 0;
    box.classList.toggle("bad", alerts.length > 0);
    if (box.dataset.hideEmpty === "1") box.hidden = alerts.length === 0; // the home page: only while one is open
  }

  function renderDevice(d) {
    const row = document.getElementById(`device-${d.id}`);
    if (!row) return;
    const cell = row.querySelector(".online-cell");
    if (cell) {
      const span = document.createElement("span");
      span.className = `state ${d.online ? "ok" : "warn"}`;
      span.textContent = d.online_text;
      cell.replaceChildren(span);
    }
    const when = row.querySelector(".seen-cell");
    if (when && d.last_seen) when.textContent = seen(d.last_seen);
    const printer = row.querySelector(".state-cell .kv-printer");
    if (printer && d.printer) {
      printer.lastChild.textContent = d.printer_text;
      printer.classList.toggle("bad", ["paper_out", "offline", "cover_open"].includes(d.printer));
    }
  }

  async function poll() {
    try {
      const reply = await fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (reply.redirected || !reply.ok) return; // signed out: the next page load goes to the login page
      const data = await reply.json();
      renderAlerts(data.alerts);
      data.devices.forEach(renderDevice);
      box.dataset.updated = String(Date.now());
    } catch (err) {
      // the server is away for a moment: the page keeps what it showed and tries again
    }
  }

  setInterval(poll, Number(box.dataset.poll) || 2000);
})();
