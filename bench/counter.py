"""Benchmark of the clerk's counter screen: press-to-screen latency of Panggil and kiosk-to-screen latency of a new
ticket, measured inside headless Chromium against a real server subprocess."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "counter")]

ROUNDS = 40
SERVICE, COUNTER = "PASPOR", "L10"
# Page-side probes: the moment a row appears in the waiting line, and the moment the called number is drawn.
PROBE_JS = """() => {
  window.__seen = {};
  new MutationObserver(() => {
    document.querySelectorAll('#waiting-list li').forEach(li => {
      if (!(li.dataset.number in window.__seen)) window.__seen[li.dataset.number] = Date.now();
    });
  }).observe(document.getElementById('waiting-list'), {childList: true});
}"""
CALL_JS = """() => new Promise(resolve => {
  const target = document.getElementById('current');
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    if (target.dataset.status === 'called') { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(target, {attributes: true});
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'F1', bubbles: true}));
})"""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _row(name: str, values: list[float]) -> str:
    return (f"| {name} | {len(values)} | {statistics.median(values):.0f} | {_pct(values, 0.9):.0f} | "
            f"{_pct(values, 0.99):.0f} | {max(values):.0f} |")


def _measure(base: str, kiosk_token: str) -> tuple[list[float], list[float]]:
    from counter_kit import issue, launch, login, new_page, open_counter, open_counter_status, wait_current
    from playwright.sync_api import sync_playwright

    from support import Api

    kiosk = Api(base, kiosk_token)
    appear, call = [], []
    with sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser)
        login(page, base, "bench")
        page.wait_for_url("**/counter/")
        open_counter(page, base, COUNTER)
        open_counter_status(page)
        page.evaluate(PROBE_JS)
        for _ in range(ROUNDS):
            sent = time.time() * 1000
            number = issue(kiosk, SERVICE)["number"]
            page.wait_for_function("n => n in window.__seen", arg=number)
            appear.append(page.evaluate("n => window.__seen[n]", number) - sent)
            page.wait_for_selector("#btn-call:not([disabled])")
            call.append(page.evaluate(CALL_JS))
            wait_current(page, "called")
            page.keyboard.press("F5")  # Lewati: frees the counter for the next round
            wait_current(page, None)
        browser.close()
    return appear, call


def main() -> str:
    from counter_kit import seed_accounts

    from support import ServerProcess, site_config

    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp), site_config()).start()
        try:
            token = seed_accounts(server, {"bench": [COUNTER]}, "kios-bench")
            appear, call = _measure(server.url, token)
        finally:
            server.stop()
    return "\n".join([
        "## Counter screen (clerk terminal)",
        "",
        "| latency (ms) | n | p50 | p90 | p99 | max |",
        "| --- | --- | --- | --- | --- | --- |",
        _row("Panggil (F1) → called ticket drawn", call),
        _row("kiosk issues a ticket → row in the waiting line", appear),
        "",
        f"Method: one headless Chromium page on loket {COUNTER} against one server subprocess (eventlet, SQLite) on "
        "loopback; F1 is timed inside the page from the key event to the redraw (REST call + state refetch); a "
        "new ticket from the POST leaving the test process to the row appearing (Socket.IO event + state "
        "refetch); the same machine runs browser, server and client.",
    ])


if __name__ == "__main__":
    print(main())
