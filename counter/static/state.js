// The counter screen's state as a pure value: the snapshot (`counter_state`) advanced by `/counter` events.
// No I/O here: work.js applies each message and draws; tests replay events against the server's snapshots
// (tests/integration/test_snapshot_plus_events.py), so snapshot + events = the next snapshot.

/** Lists are in arrival order: `queued_at` (to the microsecond, same offset everywhere), then id. */
function byArrival(a, b) {
  if (a.queued_at !== b.queued_at) return a.queued_at < b.queued_at ? -1 : 1;
  return a.id - b.id;
}

/** `list` without `ticket`, or with its new version in its place when `keep`. */
function placed(list, ticket, keep) {
  const rest = list.filter((t) => t.id !== ticket.id);
  return keep ? [...rest, ticket].sort(byArrival) : rest;
}

function applyTicket(view, p) {
  const t = p.ticket;
  const mine = view.services.includes(t.service);
  const busyHere = t.counter === view.code && (t.status === "called" || t.status === "serving");
  let current = view.current;
  if (busyHere) current = t;
  else if (current && current.id === t.id) current = null;
  const here = p.counter === view.code;
  return {
    ...view,
    current,
    status: here && p.counter_status ? p.counter_status : view.status,
    waiting: placed(view.waiting, t, mine && t.status === "waiting"),
    skipped: placed(view.skipped, t, mine && t.status === "skipped"),
    today: here && p.today ? p.today : view.today,
  };
}

/**
 * The view after one `/counter` message. Messages older than the view are dropped; every change is a replacement,
 * so a message seen twice changes nothing. `stale` asks the page for a fresh snapshot (the daily reset).
 */
export function applyCounter(view, name, payload) {
  if (!view || !payload || typeof payload.seq !== "number" || payload.seq < view.seq) return view;
  const next = { ...view, seq: payload.seq };
  if (name === "ticket_changed" && payload.ticket) return applyTicket(next, payload);
  if (name === "counter_status") return { ...next, status: payload.status };
  if (name === "day_closed") return { ...next, stale: true };
  return view;
}

/** Tickets skipped today at this loket (and not brought back since): the "terlewat" count of the day. */
export function skippedHere(view) {
  return view ? view.skipped.filter((t) => t.counter === view.code).length : 0;
}
