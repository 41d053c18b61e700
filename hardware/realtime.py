"""What the kiosk's and the TV's Socket.IO clients share about their link: messages handled in the order they came."""

from __future__ import annotations

from typing import Any


def in_arrival_order(sio: Any) -> Any:
    """Handle a python-socketio `Client`'s messages on its reading thread, in the order the server sent them.

    python-engineio starts a new thread for every incoming message, so two messages that arrive back to back can reach
    the handlers — and a client's queue — the other way round; under a 5,000-ticket load on two processes that
    alone made a TV see a `seq` jump and ask for a snapshot (issue 16: 5), and a kiosk could show an older
    `services` list after a newer one. Every handler given to such a client must return at once (they only queue,
    or start a thread). Returns `sio`."""
    trigger = sio.eio._trigger_event  # no public switch for this in python-engineio 4

    def in_order(event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "message":
            kwargs["run_async"] = False
        return trigger(event, *args, **kwargs)

    sio.eio._trigger_event = in_order
    return sio
