// Which action of the counter screen is legal now: one place, used by the buttons and the keyboard alike.

const ticketIs = (view, ...states) => Boolean(view && view.current && states.includes(view.current.status));

/** Every action: its shortcut, its REST path under /counters/<code>/ (a list: sent one after the other), and when it
 *  is legal for `view`. */
export const ACTIONS = {
  call: { key: "F1", path: "call-next", legal: (v) => !v.current && v.status === "open" && v.waiting.length > 0 },
  recall: { key: "F2", path: "recall", legal: (v) => ticketIs(v, "called") },
  start: { key: "F3", path: "start", legal: (v) => ticketIs(v, "called") },
  finish: { key: "F4", path: "finish", legal: (v) => ticketIs(v, "serving") },
  skip: { key: "F5", path: "skip", legal: (v) => ticketIs(v, "called") },
  transfer: { key: "F6", path: "transfer", legal: (v) => ticketIs(v, "called", "serving") },
  pause: { key: "F7", path: "pause", legal: (v) => v.status === "open" },
  close: { key: "F8", path: "close", legal: (v) => v.status !== "closed" },
  open: { key: "F9", path: "open", legal: (v) => v.status !== "open" },
  // Selesai & Panggil Berikutnya: the clerk's most frequent pair on one key; an empty line just ends the ticket.
  finishNext: { key: "F10", path: ["finish", "call-next"], legal: (v) => ticketIs(v, "serving") && v.status === "open" },
};

export const ACTION_BY_KEY = Object.fromEntries(Object.entries(ACTIONS).map(([name, a]) => [a.key, name]));

/** True when `name` may be sent now: state known, connected, nothing in flight, and legal for the ticket. */
export function allowed(name, s) {
  if (!s.view || !s.connected || s.inFlight || s.forbidden) return false;
  return ACTIONS[name].legal(s.view);
}

/** A skipped ticket can be brought back only while the counter is free. */
export function canRecallSkipped(s) {
  return Boolean(s.view && s.connected && !s.inFlight && !s.forbidden && !s.view.current);
}
