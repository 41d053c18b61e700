// Reports page: show the date fields the chosen period needs; the monthly page's print button. (No inline JS: CSP.)
(function () {
  "use strict";
  var kind = document.getElementById("kind");
  function sync() {
    var range = kind.value === "range";
    document.querySelectorAll(".report-form .range").forEach(function (el) { el.hidden = !range; });
    document.querySelectorAll(".report-form .anchor").forEach(function (el) { el.hidden = range; });
  }
  if (kind) { kind.addEventListener("change", sync); sync(); }
  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
