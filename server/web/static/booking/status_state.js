// The status page's ticket as a pure value: the `ticket_status` snapshot advanced by `/ticket` messages.
// No I/O here: status.js applies each message and draws; tests replay events against the server's snapshots.

/**
 * The ticket after one message: `ticket_status` replaces it (its own ticket changed); `queue_changed` carries the
 * standing of every waiting ticket of a service ({number: [ahead, eta_minutes, eta_seconds, no_counter_open]}; older
 * servers sent only the first two) and updates ours if it waits there.
 * Messages of one event share its seq; older ones are dropped.
 */
export function applyStatus(ticket, name, payload) {
  if (!ticket || !payload || typeof payload.seq !== "number" || payload.seq < (ticket.seq ?? -1)) return ticket;
  if (name === "ticket_status" && payload.number) return { ...ticket, ...payload };
  if (name === "queue_changed" && payload.service === ticket.service && ticket.status === "waiting") {
    const standing = payload.standings && payload.standings[ticket.number];
    if (standing) {
      const next = { ...ticket, ahead: standing[0], eta_minutes: standing[1], seq: payload.seq };
      if (standing.length > 2) { next.eta_seconds = standing[2]; next.no_counter_open = standing[3] === true; }
      return next;
    }
  }
  return ticket;
}
