"""Pure mapping from a committed domain event to Socket.IO messages (namespace, room, name, payload).

Every event reaches /display with its `seq` (so a display can spot gaps); one event may yield several messages,
which then share the event's seq.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.events import CounterStatusChanged, Event, TicketCalled, TicketEvent, TicketStarted

DISPLAY, TICKET, COUNTER, KIOSK = "/display", "/ticket", "/counter", "/kiosk"


@dataclass(frozen=True, slots=True)
class Emit:
    namespace: str
    room: str | None
    name: str
    payload: dict[str, Any]


def service_room(service: str) -> str:
    return f"service:{service}"


def counter_room(counter: str) -> str:
    return f"counter:{counter}"


def ticket_room(token: str) -> str:
    return f"ticket:{token}"


def device_room(device_id: int) -> str:
    return f"device:{device_id}"


def _counter_changed(event: Event) -> dict[str, Any] | None:
    if isinstance(event, CounterStatusChanged):
        return {"counter": event.counter, "status": event.status, "number": None, "keep_number": True}
    if isinstance(event, TicketEvent) and event.counter and not isinstance(event, TicketCalled):
        busy = isinstance(event, TicketStarted)
        return {"counter": event.counter, "number": event.number if busy else None,
                "ticket_status": event.status, "priority": event.priority}
    return None


def _display_emits(event: Event, seq: int, at: str) -> list[Emit]:
    """What the displays get: one message per event when it names a counter (with the new waiting counts
    inside, since a broadcast to every TV is the expensive part), else the waiting counts, else a tick."""
    if isinstance(event, TicketCalled):
        return [Emit(DISPLAY, None, "ticket_called", {
            "number": event.number, "service": event.service, "counter": event.counter,
            "counter_name": event.counter_name, "recall": event.recall, "priority": event.priority,
            "waiting": event.waiting, "seq": seq, "at": at})]
    changed = _counter_changed(event)
    if changed is not None:
        return [Emit(DISPLAY, None, "counter_changed", changed | {"waiting": event.waiting, "seq": seq, "at": at})]
    if event.waiting:
        return [Emit(DISPLAY, None, "queue_changed", {"service": service, "waiting": waiting, "seq": seq,
                                                      "event": event.name})
                for service, waiting in event.waiting.items()]
    return [Emit(DISPLAY, None, "tick", {"seq": seq, "event": event.name})]


def emits_for(event: Event) -> list[Emit]:
    """The messages that tell every screen about `event`."""
    seq, at = event.seq, event.at.isoformat(timespec="seconds")
    out = _display_emits(event, seq, at)
    for service, waiting in event.waiting.items():
        payload = {"service": service, "waiting": waiting, "seq": seq, "event": event.name}
        out.append(Emit(COUNTER, service_room(service), "queue_changed", payload))
        out.append(Emit(TICKET, service_room(service), "queue_changed", payload))
        out.append(Emit(KIOSK, None, "queue_changed", payload))
    counter = getattr(event, "counter", None)
    if counter:
        out.append(Emit(COUNTER, counter_room(counter), event.name, {"seq": seq, "event": event.name,
                                                                     "number": getattr(event, "number", None)}))
    return out
