"""Pure domain core of Antre: tickets, ordering, numbering, hours, ETA, events, errors (no I/O)."""
