// The survey (SKM) on the status page: shown once the ticket is selesai and not answered yet — at load, or live
// when status.js draws the finish (the `antre:ticket` event). One answer per ticket; the server has the last word.
import { buildForm, readForm, sendSurvey } from "../survey/form.js";

(function () {
  var boot = JSON.parse(document.getElementById("survey-data").textContent);
  var token = JSON.parse(document.getElementById("ticket-data").textContent).token;
  var W = boot.words, state = boot.state, built = false;
  var $ = function (id) { return document.getElementById(id); };
  var box = $("survey"), form = $("survey-form"), msg = $("survey-msg"), send = $("survey-send");

  function show(status) {
    if (status !== "done") { box.hidden = true; return; }
    box.hidden = false;
    if (state === "not_served") state = "open";  // served while the page was open: now it may be answered
    if (state === "open") {
      if (!built) { buildForm($("survey-questions"), boot); built = true; }
      form.hidden = false;
    } else {
      form.hidden = true;
      $("survey-intro").hidden = true;
      msg.className = "ok";
      msg.textContent = state === "answered" ? W.sv_answered : W.sv_thanks;
    }
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var read = readForm(form, boot.questions);
    form.querySelectorAll(".q.missing").forEach(function (q) { q.classList.remove("missing"); });
    if (read.missing.length) {
      read.missing.forEach(function (c) { $("q-" + c).classList.add("missing"); });
      msg.className = "err";
      msg.textContent = W.sv_missing.replace("{codes}", read.missing.join(", "));
      $("q-" + read.missing[0]).scrollIntoView({behavior: "smooth", block: "center"});
      return;
    }
    send.disabled = true;
    send.textContent = W.sv_sending;
    sendSurvey(token, read.body).then(function (r) {
      if (r.status === 201) { state = "thanks"; show("done"); box.scrollIntoView({block: "start"}); return; }
      if (r.error && r.error.code === "already_answered") { state = "answered"; show("done"); return; }
      msg.className = "err";
      msg.textContent = (r.error && r.error.message) || W.sv_failed;
    }).catch(function () {
      msg.className = "err";
      msg.textContent = W.sv_failed;
    }).then(function () { send.disabled = false; send.textContent = W.sv_submit; });
  });
  form.addEventListener("change", function (e) {  // an answer given clears that question's "missing" mark
    var q = e.target.closest && e.target.closest(".q");
    if (q) q.classList.remove("missing");
    if (!form.querySelector(".q.missing") && msg.className === "err") { msg.textContent = ""; msg.className = ""; }
  });
  document.addEventListener("antre:ticket", function (e) { show(e.detail.status); });
  show(boot.status);
})();
