// The survey tablet at a counter: listens on /survey for the ticket its counter just finished, asks the nine
// questions one per screen (a tap answers and moves on), sends them with the tablet's device token, and goes back
// to the idle screen after `idle_secs` without a touch. Offers for a ticket already answered or walked away from
// are not shown again.
import { sendSurvey } from "./form.js";

(function () {
  var boot = JSON.parse(document.getElementById("boot").textContent);
  var W = boot.words, Q = boot.questions, KEY = "antre.survey.token";
  var $ = function (id) { return document.getElementById(id); };
  var offer = null, pending = null, answers = {}, at = 0, timer = null, socket = null;
  var done = {};  // tokens answered or abandoned here: a reconnect's snapshot must not bring them back

  function screen(name) {
    ["setup", "idle", "offer", "ask", "final", "thanks"].forEach(function (s) { $(s).hidden = s !== name; });
    document.body.dataset.screen = name;
  }
  function idle() {
    clearTimeout(timer);
    if (offer) done[offer.token] = true;
    offer = null; answers = {}; at = 0;
    if (pending && !done[pending.token]) { var next = pending; pending = null; show(next); return; }
    screen("idle");
  }
  function touched() {  // every touch gives the visitor another full minute
    clearTimeout(timer);
    if (document.body.dataset.screen !== "idle" && document.body.dataset.screen !== "setup") {
      timer = setTimeout(idle, boot.idle_secs * 1000);
    }
  }
  function show(o) {
    offer = o; answers = {}; at = 0;
    $("offer-number").textContent = o.number;
    $("offer-service").textContent = o.service_name;
    screen("offer");
    touched();
  }
  function ask() {
    var q = Q[at];
    $("step").textContent = W.sv_question.replace("{i}", at + 1);
    $("question").textContent = q.text;
    var box = $("answers");
    box.textContent = "";
    q.options.forEach(function (o) {
      var b = document.createElement("button");
      b.type = "button";
      b.dataset.score = String(o.score);
      if (answers[q.code] === o.score) b.className = "on";
      var s = document.createElement("span"); s.className = "score"; s.textContent = String(o.score);
      var t = document.createElement("span"); t.textContent = o.text;
      b.appendChild(s); b.appendChild(t);
      b.addEventListener("click", function () {
        answers[q.code] = o.score;
        at += 1;
        if (at < Q.length) ask(); else screen("final");
      });
      box.appendChild(b);
    });
    screen("ask");
  }
  function buildProfile() {
    Object.keys(boot.profile).forEach(function (key) {
      var p = boot.profile[key], label = document.createElement("label"), sel = document.createElement("select");
      label.textContent = p.label;
      sel.id = "profile-" + key;
      var none = document.createElement("option"); none.value = ""; none.textContent = W.sv_choose; sel.appendChild(none);
      p.options.forEach(function (o) {
        var opt = document.createElement("option"); opt.value = o.code; opt.textContent = o.text; sel.appendChild(opt);
      });
      label.appendChild(sel);
      $("profile").appendChild(label);
    });
  }
  function resetFinal() {
    $("sv-comment").value = ""; $("final-error").textContent = "";
    document.querySelectorAll("#profile select").forEach(function (s) { s.value = ""; });
  }
  function send() {
    var profile = {};
    document.querySelectorAll("#profile select").forEach(function (s) { if (s.value) profile[s.id.slice(8)] = s.value; });
    var body = {answers: answers, profile: profile, comment: $("sv-comment").value};
    $("send").disabled = true;
    sendSurvey(offer.token, body, localStorage.getItem(KEY)).then(function (r) {
      if (r.status === 201 || (r.error && r.error.code === "already_answered")) {
        $("thanks-text").textContent = r.status === 201 ? W.sv_thanks : W.sv_answered;
        done[offer.token] = true;
        resetFinal();
        screen("thanks");
        clearTimeout(timer);
        timer = setTimeout(idle, 6000);
        return;
      }
      $("final-error").textContent = (r.error && r.error.message) || W.sv_failed;
    }).catch(function () { $("final-error").textContent = W.sv_failed; })
      .then(function () { $("send").disabled = false; });
  }
  function onOffer(msg) {
    var o = msg && msg.offer;
    if (msg && msg.counter) $("where").textContent = W.tb_counter.replace("{c}", msg.counter);
    if (!o || done[o.token]) { if (!offer && document.body.dataset.screen !== "thanks") screen("idle"); return; }
    if (offer && offer.token === o.token) return;
    var busy = ["ask", "final", "thanks"].indexOf(document.body.dataset.screen) >= 0;
    if (busy) { pending = o; return; }  // the visitor at the tablet finishes first
    show(o);
  }
  function connect() {
    var token = localStorage.getItem(KEY);
    if (!token) { screen("setup"); return; }
    if (!window.io) { $("offline").hidden = false; return; }
    if (socket) socket.disconnect();
    socket = window.io("/survey", {transports: ["websocket"], auth: {token: token}});
    // Heartbeat: the office sees a tablet that is switched off or lost its Wi-Fi as offline (docs/operations.md).
    var started = Date.now(), beat = function () {
      if (socket.connected) socket.emit("heartbeat", {token: token, printer: "none", uptime: Math.round((Date.now() - started) / 1000)});
    };
    setInterval(beat, 10000);
    socket.on("connect", beat);
    socket.on("connect", function () { $("offline").hidden = true; });
    socket.on("disconnect", function () { $("offline").hidden = false; });
    socket.on("connect_error", function (err) {
      if (err && err.data && err.data.code) {  // refused: a wrong or revoked token, or not a survey tablet
        socket.disconnect();
        localStorage.removeItem(KEY);
        $("setup-error").textContent = W.tb_refused.replace("{reason}", err.message);
        screen("setup");
      } else {
        $("offline").hidden = false;
      }
    });
    socket.on("offer", onOffer);
    window.antreSurveyTablet = {socket: socket};
  }

  $("setup-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("token").value.trim();
    if (!value) return;
    localStorage.setItem(KEY, value);
    $("token").value = "";
    $("setup-error").textContent = "";
    screen("idle");
    connect();
  });
  $("begin").addEventListener("click", ask);
  $("back").addEventListener("click", function () { if (at > 0) { at -= 1; ask(); } else { screen("offer"); } });
  $("send").addEventListener("click", send);
  ["pointerdown", "keydown", "input"].forEach(function (name) { document.addEventListener(name, touched, true); });
  buildProfile();
  screen("idle");
  connect();
})();
