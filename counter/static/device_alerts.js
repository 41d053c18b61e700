// Counter terminal: a small amber banner when a kiosk or TV of this building (or a device of this loket's agency)
// is offline or its printer cannot print, so the clerk can tell visitors and call the IT officer. The server pushes
// `device_alerts` when the list changes; on every (re)connect the page asks for the current list. It clears itself
// when the device recovers.
import { lang } from "./i18n.js";

const TITLE = ["Perangkat bermasalah:", "Device problem:"];

function banner() {
  let el = document.getElementById("banner-devices");
  if (!el) {
    el = document.createElement("div");
    el.id = "banner-devices";
    el.className = "banner-devices";
    el.setAttribute("role", "status");
    el.hidden = true;
    const anchor = document.getElementById("banner-problem") || document.body.firstElementChild;
    anchor.after(el);
  }
  return el;
}

function show(payload) {
  const alerts = (payload && Array.isArray(payload.alerts)) ? payload.alerts : [];
  const el = banner();
  const en = lang() === "en";
  const title = document.createElement("strong");
  title.textContent = TITLE[en ? 1 : 0];
  const items = alerts.map((a) => {
    const span = document.createElement("span");
    span.className = "device-alert";
    span.dataset.problem = a.problem;
    span.textContent = en ? a.text_en : a.text;
    return span;
  });
  el.replaceChildren(title, ...items);
  el.hidden = alerts.length === 0;
}

/** Follow the device alerts on the counter's socket (`cfg`: the page's token and counter code). */
export function watchDeviceAlerts(socket, cfg) {
  if (!socket) return;
  const ask = () => socket.emit("device_alerts", { token: cfg.token, counter: cfg.counter }, (reply) => {
    if (reply && !reply.error) show(reply);
  });
  socket.on("connect", ask);
  socket.on("device_alerts", show);
  if (socket.connected) ask();
}
