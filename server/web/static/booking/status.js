// Live ticket status: /ticket namespace (WebSocket only); on a call, say where to go, beep and vibrate.
// The ticket is kept by the reducer in status_state.js: messages are applied, never answered by a refetch.
import { applyStatus } from "./status_state.js";

(function () {
  var boot = JSON.parse(document.getElementById("ticket-data").textContent);
  var W = boot.words, token = boot.token, last = boot.ticket, audio = null;
  var $ = function (id) { return document.getElementById(id); };
  var CANCELLABLE = ["waiting", "called", "skipped"];  // the domain's "cancel" transition starts from these
  var socket = null;

  function minutes(n) { return W.st_minutes.replace("{n}", n); }
  function label(text) { return W.labels[text] || text; }
  function note(t) {
    if (t.status === "serving") return W.st_serving + " " + (t.counter_name || "");
    if (t.status === "done") return W.st_done;
    if (t.status === "skipped") return W.st_skipped;
    if (t.status === "cancelled") return W.st_cancelled;
    return "";
  }
  function render(t) {
    if (!t || !t.number) return;
    var wasCall = last.status === "called" ? last.called_at + "/" + last.recalls : null;
    var isCall = t.status === "called" ? t.called_at + "/" + t.recalls : null;
    $("number").textContent = t.number;
    $("service").textContent = t.service_name;
    $("state").textContent = label(t.status_label);
    $("ahead").textContent = t.ahead;
    var closed = t.status === "waiting" && t.no_counter_open === true;
    $("eta").textContent = closed || t.eta_minutes == null ? "—" : minutes(t.eta_minutes);
    $("no-counter").textContent = W.st_no_counter.replace("{service}", t.service_name);
    $("counter").textContent = t.counter_name || "";
    $("note-text").textContent = note(t);
    document.body.className = (t.status === "called" ? "called" : "") + (note(t) ? " note" : "") +
      (t.status === "done" || t.status === "cancelled" ? " over" : "") +
      (CANCELLABLE.indexOf(t.status) >= 0 ? " can-cancel" : "") + (closed ? " nocounter" : "");
    document.title = (t.status === "called" ? "(!) " : "") + t.number + " · " + W.st_title;
    if (isCall && isCall !== wasCall) alarm();  // a new call or a recall (Panggil Ulang)
    last = t;
    document.dispatchEvent(new CustomEvent("antre:ticket", {detail: t}));  // the survey form listens (status_survey.js)
  }
  function beep(at, freq, secs) {
    var osc = audio.createOscillator(), gain = audio.createGain();
    osc.type = "sine"; osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.5, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + secs);
    osc.connect(gain); gain.connect(audio.destination);
    osc.start(at); osc.stop(at + secs + 0.05);
  }
  function alarm() {
    if (audio) {
      var t0 = audio.currentTime + 0.05;
      [0, 1].forEach(function (i) { beep(t0 + i * 0.9, 880, 0.3); beep(t0 + i * 0.9 + 0.35, 660, 0.45); });
    }
    if (navigator.vibrate) { try { navigator.vibrate([400, 150, 400, 150, 800]); } catch (e) { /* not allowed */ } }
  }
  // Browsers only allow sound (and vibration) after a tap: this button is that tap.
  $("sound").addEventListener("click", function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
    if (audio && audio.resume) audio.resume();
    this.setAttribute("aria-pressed", "true");
    this.textContent = W.st_sound_on;
    if (audio) beep(audio.currentTime + 0.05, 880, 0.15);
    if (navigator.vibrate) { try { navigator.vibrate(100); } catch (e) { /* not allowed */ } }
  });
  // Giving up the ticket: a confirmation step, then the visitor cancel of the API; the page then shows the
  // cancelled state from the ticket_status message the cancel sends (or from a snapshot if that was missed).
  function confirming(on) {
    $("cancel-confirm").hidden = !on;
    $("cancel-open").hidden = on;
    $("cancel-open").setAttribute("aria-expanded", on ? "true" : "false");
  }
  $("cancel-open").addEventListener("click", function () { $("cancel-error").textContent = ""; confirming(true); });
  $("cancel-no").addEventListener("click", function () { confirming(false); });
  $("cancel-yes").addEventListener("click", function () {
    var yes = this;
    yes.disabled = true;
    fetch("/api/v1/tickets/" + encodeURIComponent(token) + "/cancel", {method: "POST"}).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      confirming(false);
      if (socket && socket.connected) socket.emit("snapshot", {token: token}, function (t) { apply("ticket_status", t); });
    }).catch(function () {
      $("cancel-error").textContent = W.st_cancel_failed;
    }).then(function () { yes.disabled = false; });
  });
  document.body.classList.toggle("can-cancel", CANCELLABLE.indexOf(last.status) >= 0);
  function live(on) {
    $("live").className = "live" + (on ? " on" : "");
    $("live").lastChild.textContent = on ? W.st_live : W.st_offline;
  }
  if (!window.io) return;  // the page still shows the state it was served with
  // Back-off capped at 1.2 s: the ticket again within 2 s of a restarted server (issue 16: 4).
  socket = window.io("/ticket", {transports: ["websocket"], auth: {token: token}, reconnectionDelay: 300,
                                 reconnectionDelayMax: 1200});
  function apply(name, payload) {
    var before = last.service;
    render(applyStatus(last, name, payload));
    // Transferred to another layanan: a snapshot request also joins that line's room, so its standings follow.
    if (last.service !== before) socket.emit("snapshot", {token: token}, function (t) { apply("ticket_status", t); });
  }
  socket.on("connect", function () {
    last = Object.assign({}, last, {seq: -1});  // the state sent on (re)connect always wins, even after a restart
    live(true);
  });
  socket.on("disconnect", function () { live(false); });
  socket.on("connect_error", function () { live(false); });
  socket.on("ticket_status", function (t) { apply("ticket_status", t); });
  socket.on("queue_changed", function (q) { apply("queue_changed", q); });
  window.antreStatus = {socket: socket, last: function () { return last; }};
})();
