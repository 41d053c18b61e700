"""What the display shows, as a pure value: built from a `snapshot`, advanced by `/display` events, seq-checked.

No I/O here: `apply(state, name, payload)` returns the next state. A `seq` gap sets `need_snapshot`; the app
then asks the server for a fresh snapshot. Names starting with "_" are the client's own connection events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

HISTORY_SIZE = 12  # calls kept: the now-calling panel plus the riwayat panggilan


@dataclass(frozen=True, slots=True)
class Call:
    """One call (or recall) of a ticket to a loket."""

    number: str
    service: str
    counter: str
    counter_name: str
    priority: str | None = None
    recall: bool = False
    at: str = ""  # ISO 8601 with the site's offset


@dataclass(frozen=True, slots=True)
class Counter:
    """A loket and the ticket it is busy with."""

    code: str
    name: str
    services: tuple[str, ...] = ()
    status: str = "closed"  # open | paused | closed
    number: str | None = None
    ticket_status: str | None = None  # called | serving
    priority: str | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """A layanan as `GET /api/v1/services` describes it (only what the display needs)."""

    code: str
    name: str
    agency: str
    agency_name: str = ""
    agency_short_name: str = ""  # sent by servers that know an agency's short name (else derived on the TV)
    prefix: str = ""
    spell_digits: bool = False
    next_open: datetime | None = None  # when a closed layanan opens (the server's `next_open`); None when open


@dataclass(frozen=True, slots=True)
class Scope:
    """Which part of the site this TV shows (one floor): some agencies or some counters; empty = all."""

    agencies: frozenset[str] = frozenset()
    counters: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DisplayState:
    """Everything on screen. `call_count` grows by one per live call: it starts the flash and the voice."""

    scope: Scope = field(default_factory=Scope)
    connected: bool = False
    synced: bool = False  # a snapshot has been applied
    need_snapshot: bool = False
    seq: int = 0  # newest seq applied
    base_seq: int = -1  # seq of the last snapshot: messages up to it are already in it
    site: str = ""
    date: str = ""
    calls: tuple[Call, ...] = ()  # newest first; calls[0] is the now-calling panel
    call_count: int = 0
    counters: tuple[Counter, ...] = ()
    waiting: Mapping[str, int] = field(default_factory=dict)
    services: Mapping[str, Service] = field(default_factory=dict)
    ticker: str = ""  # the running text the office set on the server ("" = the TV's own from its config)
    error: str = ""  # why the server refused us, shown discreetly

    @property
    def current(self) -> Call | None:
        """The call on the big panel."""
        return self.calls[0] if self.calls else None


def _text(payload: Mapping[str, Any], key: str, default: str = "") -> str:
    value = payload.get(key)
    return default if value is None else str(value)


def _optional(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return None if value in (None, "") else str(value)


def _seq(payload: Mapping[str, Any]) -> int | None:
    value = payload.get("seq")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def call_from(payload: Mapping[str, Any]) -> Call:
    """A Call from a `ticket_called` payload or a snapshot's `calls` entry."""
    counter = _text(payload, "counter")
    return Call(number=_text(payload, "number"), service=_text(payload, "service"), counter=counter,
                counter_name=_text(payload, "counter_name", counter), priority=_optional(payload, "priority"),
                recall=bool(payload.get("recall", False)), at=_text(payload, "at"))


def counter_from(payload: Mapping[str, Any]) -> Counter:
    """A Counter from a snapshot's `counters` entry."""
    code = _text(payload, "code")
    return Counter(code=code, name=_text(payload, "name", code),
                   services=tuple(str(s) for s in payload.get("services") or ()),
                   status=_text(payload, "status", "closed"), number=_optional(payload, "number"),
                   ticket_status=_optional(payload, "ticket_status"), priority=_optional(payload, "priority"))


def services_from(items: Iterable[Mapping[str, Any]]) -> dict[str, Service]:
    """The catalog from `GET /api/v1/services`, keyed by code, in the site's order."""
    catalog = {}
    for item in items:
        code = _text(item, "code")
        catalog[code] = Service(code=code, name=_text(item, "name", code), agency=_text(item, "agency"),
                                agency_name=_text(item, "agency_name"),
                                agency_short_name=_text(item, "agency_short_name"), prefix=_text(item, "prefix"),
                                spell_digits=bool(item.get("spell_digits", False)),
                                next_open=_moment(item.get("next_open")))
    return catalog


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def initial_state(agencies: Iterable[str] = (), counters: Iterable[str] = ()) -> DisplayState:
    """The state before the first snapshot, limited to some agencies or counters."""
    return DisplayState(scope=Scope(frozenset(agencies), frozenset(counters)))


def from_snapshot(state: DisplayState, payload: Mapping[str, Any]) -> DisplayState:
    """Replace everything the server knows with the snapshot; keep the scope, catalog and call_count."""
    seq = _seq(payload) or 0
    # A snapshot older than events already seen (they raced past its reply) is followed by a fresh one.
    stale = state.synced and seq < state.seq
    counters = tuple(counter_from(c) for c in payload.get("counters") or ())
    calls = tuple(call_from(c) for c in payload.get("calls") or ())
    visible = tuple(c for c in calls if counter_visible(state, _find(counters, c.counter)))
    waiting = {str(k): int(v) for k, v in (payload.get("waiting") or {}).items()}
    return replace(state, connected=True, synced=True, need_snapshot=stale, seq=seq, base_seq=seq,
                   site=_text(payload, "site", state.site), date=_text(payload, "date"),
                   calls=visible[:HISTORY_SIZE], counters=counters, waiting=waiting,
                   ticker=_text(payload, "ticker"), error="")


def _find(counters: Iterable[Counter], code: str) -> Counter | None:
    return next((c for c in counters if c.code == code), None)


def _with_tile(state: DisplayState, tile: Any) -> DisplayState:
    """Replace a loket's tile with the one an event carries (the same shape as the snapshot's `counters`)."""
    if not isinstance(tile, Mapping) or _find(state.counters, _text(tile, "code")) is None:
        return state
    return replace(state, counters=_swap(state.counters, counter_from(tile)))


def _on_called(state: DisplayState, payload: Mapping[str, Any]) -> DisplayState:
    call = call_from(payload)
    state = _with_tile(state, payload.get("tile"))
    counter = _find(state.counters, call.counter)
    if counter is None or not counter_visible(state, counter):
        return state
    # A recall moves the ticket to the top instead of listing it twice.
    calls = (call, *(c for c in state.calls if c.number != call.number))[:HISTORY_SIZE]
    return replace(state, calls=calls, call_count=state.call_count + 1)


def _on_counter_changed(state: DisplayState, payload: Mapping[str, Any]) -> DisplayState:
    """A loket opened, paused or closed, or its ticket started, finished, was skipped or transferred."""
    return _with_tile(state, payload.get("tile"))


def _swap(counters: tuple[Counter, ...], changed: Counter) -> tuple[Counter, ...]:
    return tuple(changed if c.code == changed.code else c for c in counters)


def _on_queue_changed(state: DisplayState, payload: Mapping[str, Any]) -> DisplayState:
    waiting = payload.get("waiting")
    if not isinstance(waiting, int) or isinstance(waiting, bool):
        return state
    return replace(state, waiting={**state.waiting, _text(payload, "service"): waiting})


def _on_tick(state: DisplayState, payload: Mapping[str, Any]) -> DisplayState:
    # The daily reset closes every loket and empties the day: easier to reload than to replay.
    return replace(state, need_snapshot=True) if payload.get("event") == "day_closed" else state


EVENT_HANDLERS = {
    "ticket_called": _on_called,
    "counter_changed": _on_counter_changed,
    "queue_changed": _on_queue_changed,
    "tick": _on_tick,
}


def apply(state: DisplayState, name: str, payload: Any = None) -> DisplayState:
    """The state after one message from the server or the client; unknown messages only move seq."""
    data: Mapping[str, Any] = payload if isinstance(payload, Mapping) else {}
    if name == "snapshot":
        return from_snapshot(state, data)
    if name.startswith("_") or name == "services":
        return _apply_local(state, name, payload)
    seq = _seq(data)
    if not state.synced or seq is None or seq <= state.base_seq or seq < state.seq:
        return state  # before the first snapshot, already in the snapshot, or a replay
    gap = seq > state.seq + 1  # messages of one event share its seq; a jump means we missed events
    handler = EVENT_HANDLERS.get(name)
    changed = _merge_waiting(handler(state, data) if handler else state, data.get("waiting"))
    return replace(changed, seq=seq, need_snapshot=changed.need_snapshot or gap)


def _merge_waiting(state: DisplayState, waiting: Any) -> DisplayState:
    """Calls and counter changes carry the new waiting counts of their services ({service: n})."""
    if not isinstance(waiting, Mapping) or not waiting:
        return state
    counts = {str(k): v for k, v in waiting.items() if isinstance(v, int) and not isinstance(v, bool)}
    return replace(state, waiting={**state.waiting, **counts}) if counts else state


def _apply_local(state: DisplayState, name: str, payload: Any) -> DisplayState:
    data: Mapping[str, Any] = payload if isinstance(payload, Mapping) else {}
    if name == "services" and isinstance(payload, list):
        return replace(state, services=services_from(p for p in payload if isinstance(p, Mapping)))
    if name == "_connected":
        return replace(state, connected=True, error="")
    if name == "_disconnected":
        return replace(state, connected=False)
    if name == "_refused":
        return replace(state, connected=False, error=_text(data, "message", "refused"))
    if name == "_snapshot_requested":
        return replace(state, need_snapshot=False)
    return state


# ---------------------------------------------------------------------------------------------- what is shown
def counter_visible(state: DisplayState, counter: Counter | None) -> bool:
    """Whether this TV shows the counter (its calls, its tile)."""
    if counter is None:
        return False
    scope = state.scope
    if scope.counters:
        return counter.code in scope.counters
    if scope.agencies:
        # Until the catalog is known nothing of another floor may leak onto this TV.
        return any(s in state.services and state.services[s].agency in scope.agencies for s in counter.services)
    return True


def visible_counters(state: DisplayState) -> tuple[Counter, ...]:
    """The counters of this TV, in the site's order."""
    return tuple(c for c in state.counters if counter_visible(state, c))


def visible_services(state: DisplayState) -> tuple[str, ...]:
    """Codes of the services whose waiting counts this TV shows, in the site's order."""
    codes = list(state.waiting) or list(state.services)
    scope = state.scope
    if scope.agencies:
        return tuple(s for s in codes if s in state.services and state.services[s].agency in scope.agencies)
    if scope.counters:
        served = {s for c in visible_counters(state) for s in c.services}
        return tuple(s for s in codes if s in served)
    return tuple(codes)


def service_name(state: DisplayState, code: str) -> str:
    """The layanan's name from the catalog, else its code."""
    service = state.services.get(code)
    return service.name if service else code


def spell_digits(state: DisplayState, code: str) -> bool:
    """Whether the layanan's numbers are read digit by digit."""
    service = state.services.get(code)
    return bool(service and service.spell_digits)


def first_opening(state: DisplayState) -> datetime | None:
    """When the first of this TV's layanan opens, while every one of them is closed (as the catalog last said);
    None when one is open, one's opening is unknown (a used-up quota) or the catalog has not arrived."""
    codes = visible_services(state)
    openings = [state.services[c].next_open if c in state.services else None for c in codes]
    if not openings or None in openings:
        return None
    return min(o for o in openings if o is not None)
