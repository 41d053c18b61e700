// The supervision board's state as a pure value: `board_snapshot` advanced by `board_event` messages, and what the
// screen draws from it at a given moment. No I/O here: board.js applies each message and draws; tests replay
// messages with node (tests/board/state.test.mjs).
//
// Every loket, line and ticket keeps the `seq` it last changed at and takes a message only when it is newer, so a
// message seen twice (a supervisor of two agencies gets an event's part for each) or late changes nothing.

const LATE_SHARE = 0.75; // amber from three quarters of the target wait

function bySeq(items) {
  return Object.fromEntries(items.map((x) => [x.code ?? x.id, x]));
}

/** The state a snapshot gives: everything stamped with the snapshot's seq. */
export function fromSnapshot(snap) {
  const seq = snap.seq;
  const stamp = (x) => ({ ...x, seq });
  const lines = {};
  for (const [code, line] of Object.entries(snap.lines || {})) lines[code] = stamp(line);
  const served = {};
  for (const s of snap.services) served[s.code] = (snap.served || {})[s.code] || 0;
  return {
    base: seq, seq, site: snap.site, date: snap.date, scope: snap.scope, agencies: snap.agencies,
    serverNow: snap.now,
    order: snap.services.map((s) => s.code),
    services: bySeq(snap.services),
    counterOrder: snap.counters.map((c) => c.code),
    counters: bySeq(snap.counters.map(stamp)),
    tickets: bySeq(snap.waiting.map(stamp)),
    lines,
    late: bySeq(snap.late),
    served,
    stale: false,
  };
}

function waitedSeconds(t) {
  if (!t.called_at || !t.queued_at) return null;
  return (Date.parse(t.called_at) - Date.parse(t.queued_at)) / 1000;
}

function applyTicket(state, t, seq, event) {
  const known = state.tickets[t.id];
  if (known && known.seq >= seq) return state;
  const service = state.services[t.service];
  const next = { ...state, tickets: { ...state.tickets, [t.id]: { ...t, seq } } };
  if (service && event === "ticket_finished" && t.status === "done") {
    next.served = { ...state.served, [t.service]: (state.served[t.service] || 0) + 1 };
  }
  const waited = waitedSeconds(t);
  if (service && t.status === "called" && waited !== null && waited > service.target_wait_minutes * 60) {
    next.late = { ...state.late, [t.id]: t };
  }
  return next;
}

function applyCounter(state, c, seq) {
  const known = state.counters[c.code];
  if (!known || known.seq >= seq) return state; // not a loket of this board, or older than what it shows
  const clerk = c.clerk ?? known.clerk ?? null;
  return { ...state, counters: { ...state.counters, [c.code]: { ...c, clerk, seq } } };
}

function applyLines(state, lines, seq) {
  let out = state.lines;
  for (const [code, line] of Object.entries(lines)) {
    if (!state.services[code] || (out[code] && out[code].seq >= seq)) continue;
    out = { ...out, [code]: { ...line, seq } };
  }
  return out === state.lines ? state : { ...state, lines: out };
}

const KEPT = 200; // recent events kept to replay over the next snapshot

/**
 * The recent `board_event` payloads with `payload` added (the oldest dropped past KEPT): a snapshot read while an
 * event was on its way would otherwise lose it, as the snapshot replaces the state the event was applied to.
 */
export function remember(recent, payload) {
  const out = [...recent, payload];
  return out.length > KEPT ? out.slice(out.length - KEPT) : out;
}

/** A snapshot with the remembered events newer than it applied on top (those it already holds change nothing). */
export function resync(snap, recent) {
  return recent.reduce((state, payload) => applyBoard(state, "board_event", payload), fromSnapshot(snap));
}

/**
 * The board after one message. `board_snapshot` starts over; `board_reset` marks the state stale (the page asks
 * for a snapshot); a `board_event` not newer than the snapshot is already in it.
 */
export function applyBoard(state, name, payload) {
  if (name === "board_snapshot") return fromSnapshot(payload);
  if (!state || !payload) return state;
  if (name === "board_reset") return { ...state, stale: true };
  if (name !== "board_event" || typeof payload.seq !== "number" || payload.seq <= state.base) return state;
  let next = { ...state, seq: Math.max(state.seq, payload.seq) };
  if (payload.ticket) next = applyTicket(next, payload.ticket, payload.seq, payload.event);
  if (payload.counter) next = applyCounter(next, payload.counter, payload.seq);
  if (payload.lines) next = applyLines(next, payload.lines, payload.seq);
  return next;
}

// ---------------------------------------------------------------------------------------------------- views

function minutesSince(iso, nowMs) {
  return iso ? Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 60000)) : null;
}

/** "ok", "warn" (from 3/4 of the target) or "late" (past it) for `minutes` against `target`. */
export function level(minutes, target) {
  if (minutes === null || minutes === undefined) return "ok";
  if (minutes > target) return "late";
  return minutes >= target * LATE_SHARE ? "warn" : "ok";
}

/** Waiting tickets of the board's services, longest-waiting first. */
export function waitingTickets(state) {
  return Object.values(state.tickets)
    .filter((t) => t.status === "waiting" && state.services[t.service])
    .sort((a, b) => (a.queued_at < b.queued_at ? -1 : a.queued_at > b.queued_at ? 1 : a.id - b.id));
}

/** One row per service: waiting, longest wait now, estimated wait, lokets open for it, served, its level. */
export function serviceRows(state, nowMs) {
  const waiting = waitingTickets(state);
  const counters = Object.values(state.counters);
  return state.order.map((code) => {
    const s = state.services[code];
    const mine = waiting.filter((t) => t.service === code);
    const longest = mine.length ? minutesSince(mine[0].queued_at, nowMs) : null;
    const eta = mine.length ? (state.lines[code] ? state.lines[code].eta_minutes : null) : 0;
    const open = counters.filter((c) => c.status === "open" && c.services.includes(code)).length;
    const worst = Math.max(longest ?? 0, eta ?? 0);
    return {
      ...s, waiting: mine.length, longest, eta, open, served: state.served[code] || 0,
      level: level(longest, s.target_wait_minutes), eta_level: level(eta, s.target_wait_minutes),
      worst, idle: mine.length === 0 && open === 0 && !(state.served[code] > 0),
    };
  });
}

/** Waiting tickets past their service's target now, longest first, with the minutes waited. */
export function overdue(state, nowMs) {
  return waitingTickets(state)
    .map((t) => ({ ...t, minutes: minutesSince(t.queued_at, nowMs) }))
    .filter((t) => t.minutes > state.services[t.service].target_wait_minutes);
}

/** Tickets called today after waiting past the target (of the board's services), latest call first. */
export function calledLate(state) {
  return Object.values(state.late)
    .filter((t) => state.services[t.service])
    .sort((a, b) => (a.called_at < b.called_at ? 1 : -1));
}

/**
 * One card per loket: its state, clerk, ticket, the minutes since it was called / service started, and how many
 * of the board's waiting visitors it could call (an open loket calling nobody while they wait stands out).
 */
export function counterCards(state, nowMs) {
  const waiting = waitingTickets(state);
  return state.counterOrder.map((code) => {
    const c = state.counters[code];
    const t = c.ticket;
    const since = t ? (t.status === "serving" ? t.started_at : t.called_at) : null;
    const callable = waiting.filter((w) => c.services.includes(w.service)).length;
    return { ...c, minutes: minutesSince(since, nowMs), callable };
  });
}

/** The header's figures. */
export function totals(state, nowMs) {
  const rows = serviceRows(state, nowMs);
  const cards = Object.values(state.counters);
  return {
    waiting: rows.reduce((n, r) => n + r.waiting, 0),
    overdue: overdue(state, nowMs).length,
    calledLate: calledLate(state).length,
    served: rows.reduce((n, r) => n + r.served, 0),
    open: cards.filter((c) => c.status === "open").length,
    paused: cards.filter((c) => c.status === "paused").length,
    counters: cards.length,
  };
}
