// The confirmation's print button (a script file: the CSP allows no inline onclick; issue 17).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
