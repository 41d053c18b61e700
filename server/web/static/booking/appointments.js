// Kelurahan clerk: sign in through the API, list today's appointments, check citizens in (Lapor Hadir).
(function () {
  "use strict";
  var API = "/api/v1", KEY = "antre.clerk.token";
  var T = JSON.parse(document.getElementById("ap-text").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var token = sessionStorage.getItem(KEY);

  function call(method, path, body) {
    var opts = {method: method, headers: {"Accept": "application/json"}};
    if (token) opts.headers.Authorization = "Bearer " + token;
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(API + path, opts).then(function (r) {
      return r.text().then(function (text) {
        var data = text ? JSON.parse(text) : {};
        if (r.status === 401) { signOut(); }
        if (!r.ok) throw new Error((data.error && data.error.message) || ("HTTP " + r.status));
        return {status: r.status, data: data};
      });
    });
  }
  function show(signedIn) { $("login").hidden = signedIn; $("work").hidden = !signedIn; }
  function message(text, kind) {
    $("msg").innerHTML = "";
    if (!text) return;
    var div = document.createElement("div");
    div.className = "alert " + (kind || "ok"); div.setAttribute("role", kind === "err" ? "alert" : "status");
    div.textContent = text; $("msg").appendChild(div);
  }
  function signOut() { token = null; sessionStorage.removeItem(KEY); show(false); }

  function el(tag, cls, text) {
    var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e;
  }
  function render(rows) {
    var list = $("list"); list.innerHTML = "";
    $("empty").hidden = rows.length > 0;
    rows.forEach(function (b) {
      var card = el("div", "card"); card.dataset.code = b.code;
      var head = el("div", "row"); head.style.marginTop = "0"; head.style.alignItems = "center";
      head.appendChild(el("b", null, b.start.replace(":", ".") + "–" + b.end.replace(":", ".") + " · " + b.session_name));
      var badge = el("span", "badge " + b.status, b.status_label); badge.style.marginLeft = "auto"; head.appendChild(badge);
      card.appendChild(head);
      card.appendChild(el("div", "title", b.name));
      card.appendChild(el("div", "muted", b.service_name));
      var facts = el("div", "muted", "Kode " + b.code + " · NIK " + b.nik_masked + (b.phone_masked ? " · " + b.phone_masked : "") +
                     (b.priority_label ? " · " + b.priority_label : ""));
      card.appendChild(facts);
      if (b.ticket_number) card.appendChild(el("div", null, T.ticket + ": " + b.ticket_number));
      if (b.checkin_open) {
        var btn = el("button", "btn", T.checkin); btn.type = "button";
        btn.addEventListener("click", function () { checkIn(b.code); });
        var row = el("div", "row"); row.appendChild(btn); card.appendChild(row);
      }
      list.appendChild(card);
    });
  }
  function load() {
    var agency = $("agency").value;
    return call("GET", "/bookings/today" + (agency ? "?agency=" + encodeURIComponent(agency) : ""))
      .then(function (r) { render(r.data); })
      .catch(function (e) { message(e.message, "err"); });
  }
  function checkIn(code) {
    return call("POST", "/bookings/" + encodeURIComponent(code) + "/check-in")
      .then(function (r) {
        message(T.ticket + " " + r.data.number + " — " + r.data.service_name + " (" + r.data.booking.name + ")", "ok");
        return load();
      })
      .catch(function (e) { message(e.message, "err"); });
  }

  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    call("POST", "/auth/token", {username: $("user").value.trim(), password: $("pass").value})
      .then(function (r) { token = r.data.token; sessionStorage.setItem(KEY, token); $("pass").value = "";
                           show(true); message(""); return load(); })
      .catch(function (e) { message(e.message, "err"); show(false); });
  });
  $("code-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var code = $("code").value.replace(/[\s-]/g, "").toUpperCase();
    $("code").value = "";
    if (code) checkIn(code);
  });
  $("refresh").addEventListener("click", load);
  $("agency").addEventListener("change", load);
  $("logout").addEventListener("click", function () {
    call("POST", "/auth/logout").catch(function () {}).then(signOut);
  });
  // A list that fills during the morning: refresh now and then (the clerk can also press Muat ulang).
  setInterval(function () { if (token) load(); }, 60000);
  show(!!token);
  if (token) load();
})();
