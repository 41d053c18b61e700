// The board's reducer (server/web/static/board/state.js) with node's own test runner:
// node --test tests/board/state.test.mjs (run by tests/board/test_board_state.py).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyBoard, calledLate, counterCards, level, overdue, remember, resync, serviceRows, totals,
} from "../../server/web/static/board/state.js";

const T0 = Date.parse("2026-12-07T09:00:00+08:00");
const at = (min) => new Date(T0 + min * 60000).toISOString().replace(".000Z", "+00:00");

function ticket(id, number, service, status, queuedMin, extra = {}) {
  return { id, number, service, status, priority: null, counter: null, clerk: null, queued_at: at(queuedMin),
    called_at: null, started_at: null, recalls: 0, ...extra };
}

function snapshot() {
  return {
    seq: 10, date: "2026-12-07", now: at(0), site: "MPP", scope: null,
    agencies: [{ code: "DUKCAPIL", name: "Disdukcapil" }],
    services: [
      { code: "KTP", name: "KTP-el", prefix: "D", agency: "DUKCAPIL", agency_name: "Disdukcapil", target_wait_minutes: 30 },
      { code: "KK", name: "Kartu Keluarga", prefix: "E", agency: "DUKCAPIL", agency_name: "Disdukcapil", target_wait_minutes: 20 },
    ],
    counters: [
      { code: "L04", name: "Loket 4", services: ["KTP", "KK"], status: "open", clerk: "rina", ticket: null },
      { code: "L05", name: "Loket 5", services: ["KK"], status: "closed", clerk: null, ticket: null },
    ],
    waiting: [ticket(1, "D001", "KTP", "waiting", -40), ticket(2, "D002", "KTP", "waiting", -10),
      ticket(3, "E001", "KK", "waiting", -16)],
    lines: { KTP: { waiting: 2, eta_minutes: 16 }, KK: { waiting: 1, eta_minutes: 8 } },
    late: [], served: { KTP: 4, KK: 0 },
  };
}

const called = (seq, t, extra = {}) => ({
  seq, event: "ticket_called", ticket: t,
  counter: { code: "L04", name: "Loket 4", services: ["KTP", "KK"], status: "open", ticket: t, clerk: "rina" },
  lines: { KTP: { waiting: 1, eta_minutes: 8 } }, ...extra,
});

test("the snapshot gives each service its waiting, longest wait, estimate, open lokets and level", () => {
  const s = applyBoard(null, "board_snapshot", snapshot());
  const rows = serviceRows(s, T0);
  assert.deepEqual(rows.map((r) => [r.code, r.waiting, r.longest, r.eta, r.open, r.level, r.served]),
    [["KTP", 2, 40, 16, 1, "late", 4], ["KK", 1, 16, 8, 1, "warn", 0]]);
  assert.deepEqual(overdue(s, T0).map((t) => [t.number, t.minutes]), [["D001", 40]]);
});

test("a call takes the ticket out of the line, puts it on the loket and, when it waited too long, in the late list", () => {
  let s = applyBoard(null, "board_snapshot", snapshot());
  const t = ticket(1, "D001", "KTP", "called", -40, { counter: "L04", clerk: "rina", called_at: at(0) });
  s = applyBoard(s, "board_event", called(11, t));
  const rows = serviceRows(s, T0 + 60000);
  assert.equal(rows[0].waiting, 1);
  assert.equal(rows[0].longest, 11);
  assert.equal(rows[0].eta, 8);
  const [card, closed] = counterCards(s, T0 + 3 * 60000);
  assert.equal(card.ticket.number, "D001");
  assert.equal(card.minutes, 3);
  assert.deepEqual([card.callable, closed.callable], [2, 1]); // D002 and E001 for L04; E001 for L05 (KK)
  assert.deepEqual(calledLate(s).map((x) => x.number), ["D001"]);
  assert.equal(totals(s, T0).calledLate, 1);
});

test("a message seen twice, an older one, or one not newer than the snapshot changes nothing", () => {
  let s = applyBoard(null, "board_snapshot", snapshot());
  const t = ticket(1, "D001", "KTP", "called", -40, { counter: "L04", called_at: at(0) });
  const once = applyBoard(s, "board_event", called(11, t));
  assert.deepEqual(applyBoard(once, "board_event", called(11, t)), once);
  assert.equal(applyBoard(s, "board_event", called(10, t)), s); // already in the snapshot
  const finished = { seq: 13, event: "ticket_finished", ticket: { ...t, status: "done" } };
  s = applyBoard(once, "board_event", finished);
  assert.equal(s.served.KTP, 5);
  s = applyBoard(s, "board_event", finished); // a supervisor of two agencies gets it for each
  assert.equal(s.served.KTP, 5);
  s = applyBoard(s, "board_event", called(12, t)); // late: the ticket stays done, the loket keeps seq 11's view
  assert.equal(s.tickets[1].status, "done");
});

test("a loket's clerk stays when an event does not say who works there; a pause and a close show", () => {
  let s = applyBoard(null, "board_snapshot", snapshot());
  s = applyBoard(s, "board_event", { seq: 11, event: "counter_status_changed",
    counter: { code: "L04", name: "Loket 4", services: ["KTP", "KK"], status: "paused", ticket: null } });
  assert.equal(s.counters.L04.clerk, "rina");
  assert.equal(totals(s, T0).paused, 1);
  assert.equal(serviceRows(s, T0)[0].open, 0);
});

test("lokets, lines and tickets of services outside the board are ignored", () => {
  let s = applyBoard(null, "board_snapshot", snapshot());
  const other = ticket(9, "M001", "PKB", "waiting", 0);
  s = applyBoard(s, "board_event", { seq: 11, event: "ticket_issued", ticket: other,
    lines: { PKB: { waiting: 1, eta_minutes: 8 } },
    counter: { code: "L12", name: "Loket 12", services: ["PKB"], status: "open", ticket: null } });
  assert.deepEqual(serviceRows(s, T0).map((r) => r.code), ["KTP", "KK"]);
  assert.equal(s.counters.L12, undefined);
  assert.equal(s.lines.PKB, undefined);
  assert.equal(totals(s, T0).waiting, 3);
});

test("a new ticket joins its line; a transfer moves it; a reset marks the board stale", () => {
  let s = applyBoard(null, "board_snapshot", snapshot());
  s = applyBoard(s, "board_event", { seq: 11, event: "ticket_issued", ticket: ticket(4, "E002", "KK", "waiting", 0),
    lines: { KK: { waiting: 2, eta_minutes: 16 } } });
  assert.equal(serviceRows(s, T0)[1].waiting, 2);
  s = applyBoard(s, "board_event", { seq: 12, event: "ticket_transferred", from_service: "KTP",
    ticket: ticket(2, "D002", "KK", "waiting", -10, { counter: null }) });
  assert.deepEqual(serviceRows(s, T0).map((r) => r.waiting), [1, 3]);
  s = applyBoard(s, "board_reset", { seq: 13, event: "day_closed" });
  assert.equal(s.stale, true);
});

test("levels: green below three quarters of the target, amber up to it, red past it", () => {
  assert.deepEqual([level(0, 20), level(14, 20), level(15, 20), level(20, 20), level(21, 20), level(null, 20)],
    ["ok", "ok", "warn", "warn", "late", "ok"]);
});

test("an event that crossed the snapshot on its way is applied over it; older ones change nothing", () => {
  const t = ticket(1, "D001", "KTP", "called", -40, { counter: "L04", called_at: at(0) });
  let recent = remember([], called(11, t)); // arrived before the snapshot it is newer than
  recent = remember(recent, { seq: 9, event: "ticket_issued", ticket: ticket(7, "D009", "KTP", "waiting", -50) });
  const s = resync(snapshot(), recent);
  assert.equal(s.counters.L04.ticket.number, "D001");
  assert.equal(s.tickets[7], undefined); // seq 9 is already in the snapshot (seq 10)
  let many = [];
  for (let i = 0; i < 250; i += 1) many = remember(many, { seq: i, event: "tick" });
  assert.equal(many.length, 200);
  assert.equal(many[0].seq, 50);
});
