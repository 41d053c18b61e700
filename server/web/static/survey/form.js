// The SKM questionnaire as a form (status page) and the one call that sends an answer. No framework; every text
// is set with textContent, so nothing a server or a visitor wrote is ever parsed as HTML.

function el(tag, attrs, text) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Builds the nine questions (four answers each, big tap targets), the optional profile and the comment box. */
export function buildForm(root, data) {
  var W = data.words;
  data.questions.forEach(function (q, i) {
    var set = el("fieldset", {"class": "q", "id": "q-" + q.code, "data-code": q.code});
    var legend = el("legend");
    legend.appendChild(el("span", {"class": "qn"}, (i + 1) + "."));
    legend.appendChild(document.createTextNode(" " + q.text));
    set.appendChild(legend);
    var opts = el("div", {"class": "opts"});
    q.options.forEach(function (o) {
      var label = el("label", {"class": "opt"});
      var input = el("input", {"type": "radio", "name": q.code, "value": String(o.score)});
      label.appendChild(input);
      label.appendChild(el("span", {}, o.text));
      opts.appendChild(label);
    });
    set.appendChild(opts);
    root.appendChild(set);
  });
  var more = el("details", {"class": "profile"});
  more.appendChild(el("summary", {}, W.sv_profile));
  Object.keys(data.profile).forEach(function (key) {
    var p = data.profile[key], label = el("label", {"class": "pf"}, p.label);
    var select = el("select", {"name": "profile-" + key, "id": "profile-" + key});
    select.appendChild(el("option", {"value": ""}, W.sv_choose));
    p.options.forEach(function (o) { select.appendChild(el("option", {"value": o.code}, o.text)); });
    label.appendChild(select);
    more.appendChild(label);
  });
  root.appendChild(more);
  var comment = el("label", {"class": "pf", "for": "sv-comment"}, W.sv_comment);
  root.appendChild(comment);
  var area = el("textarea", {"id": "sv-comment", "maxlength": "1000", "rows": "3"});
  root.appendChild(area);
  var count = el("div", {"class": "count", "id": "sv-count"}, W.sv_chars.replace("{n}", "0"));
  area.addEventListener("input", function () { count.textContent = W.sv_chars.replace("{n}", area.value.length); });
  root.appendChild(count);
}

/** What the form holds: {answers, profile, comment}, and the codes still unanswered. */
export function readForm(root, questions) {
  var answers = {}, missing = [], profile = {};
  questions.forEach(function (q) {
    var picked = root.querySelector("input[name='" + q.code + "']:checked");
    if (picked) answers[q.code] = Number(picked.value); else missing.push(q.code);
  });
  root.querySelectorAll("select[name^='profile-']").forEach(function (s) {
    if (s.value) profile[s.name.slice(8)] = s.value;
  });
  var area = root.querySelector("#sv-comment");
  return {body: {answers: answers, profile: profile, comment: area ? area.value : ""}, missing: missing};
}

/** POST the answer; resolves {status, error} (error: the server's {code, message}, or null). */
export function sendSurvey(token, body, deviceToken) {
  var headers = {"Content-Type": "application/json"};
  if (deviceToken) headers.Authorization = "Bearer " + deviceToken;
  return fetch("/api/v1/tickets/" + encodeURIComponent(token) + "/survey",
               {method: "POST", headers: headers, body: JSON.stringify(body)}).then(function (r) {
    return r.json().catch(function () { return {}; }).then(function (j) {
      return {status: r.status, error: r.ok ? null : (j.error || {code: "http_" + r.status, message: ""})};
    });
  });
}
