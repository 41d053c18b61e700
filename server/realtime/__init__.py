"""Socket.IO transport: namespaces /display, /ticket, /counter and the hub that turns events into emits."""
