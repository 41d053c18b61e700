// Antre admin console: client-side table search, "show retired", checkbox-list search, copy a device token.
"use strict";

function norm(text) {
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

function rowsOf(target) {
  return target.tagName === "TABLE" ? Array.from(target.tBodies[0].rows) : Array.from(target.querySelectorAll("[data-row]"));
}

function applyFilter(input) {
  const target = document.querySelector(input.dataset.filter);
  if (!target) return;
  const words = norm(input.value).split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const row of rowsOf(target)) {
    if (row.classList.contains("group")) continue;
    const hit = words.every((w) => norm(row.textContent).includes(w));
    row.hidden = !hit;
    if (hit && !(target.classList.contains("hide-retired") && row.classList.contains("retired"))) shown += 1;
  }
  for (const group of target.querySelectorAll(".group")) {
    // A group heading matches too: typing an agency code shows all of its services.
    const headHit = words.length > 0 && words.every((w) => norm(group.firstElementChild.textContent).includes(w));
    if (headHit) group.querySelectorAll("label[data-row]").forEach((l) => { l.hidden = false; });
    group.hidden = !headHit && !group.querySelector("label[data-row]:not([hidden])");
  }
  const empty = target.parentElement.querySelector(".empty");
  if (empty) empty.hidden = shown > 0 || rowsOf(target).length === 0;
  updateCount(target, shown);
}

function updateCount(table, shown) {
  const counter = document.querySelector(`.count-shown[data-for="#${table.id}"]`);
  if (counter) counter.textContent = counter.dataset.template.replace("{n}", shown);
}

function countVisible(table) {
  return rowsOf(table).filter((r) => !r.hidden && !(table.classList.contains("hide-retired") && r.classList.contains("retired"))).length;
}

document.querySelectorAll("input.filter").forEach((input) => {
  input.addEventListener("input", () => applyFilter(input));
  if (input.value) applyFilter(input);
});

document.querySelectorAll("input.show-retired").forEach((box) => {
  const table = document.querySelector(box.dataset.table);
  box.addEventListener("change", () => {
    table.classList.toggle("hide-retired", !box.checked);
    updateCount(table, countVisible(table));
  });
});

document.querySelectorAll("table.data").forEach((table) => updateCount(table, countVisible(table)));

document.querySelectorAll("button.copy").forEach((button) => {
  button.addEventListener("click", () => {
    const text = document.querySelector(button.dataset.copy).textContent.trim();
    navigator.clipboard.writeText(text).then(() => { button.textContent = button.dataset.done; });
  });
});

// Put the cursor in the first field that has a message, so the clerk sees what to fix.
const firstInvalid = document.querySelector(".field.invalid input, .field.invalid select, .field.invalid textarea");
if (firstInvalid) firstInvalid.focus();

// A user form shows counters for a clerk and agencies for a supervisor; a hidden list is disabled so it is not sent.
const roleSelect = document.getElementById("f-role");
function showForRole() {
  const parts = { counters: roleSelect.value === "clerk", agencies: roleSelect.value === "supervisor" };
  for (const [name, shown] of Object.entries(parts)) {
    const box = document.querySelector(`.field[data-field="${name}"]`);
    if (!box) continue;
    box.hidden = !shown && !box.classList.contains("invalid");
    box.querySelector("fieldset").disabled = box.hidden;
  }
}
if (roleSelect && document.getElementById("user-form")) {
  roleSelect.addEventListener("change", showForRole);
  showForRole();
}
