"""The ticket aggregate: its states, legal transitions and timestamps; it records events instead of emitting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from .errors import DomainError, IllegalTransition, Invalid


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    LANSIA = "lansia"
    DISABILITAS = "disabilitas"
    IBU_HAMIL = "ibu_hamil"
    BALITA = "balita"


@dataclass(frozen=True, slots=True)
class PriorityText:
    """How a priority category reads: its label and a line explaining who it is for (the kiosk's button),
    in Bahasa Indonesia and English."""

    label: str
    label_en: str
    hint: str
    hint_en: str


# The one table of priority wording: the server publishes it (GET /api/v1/priorities, the counter page's boot
# config, `priority_label` in ticket JSON) and the kiosk, display, counter page and printed ticket show it.
PRIORITY_TEXTS: dict[Priority, PriorityText] = {
    Priority.LANSIA: PriorityText("Lansia", "Elderly", "60 tahun ke atas", "60 years or older"),
    Priority.DISABILITAS: PriorityText("Disabilitas", "Disability", "Penyandang disabilitas",
                                       "Person with a disability"),
    Priority.IBU_HAMIL: PriorityText("Ibu hamil", "Pregnant", "Sedang hamil", "Expecting a baby"),
    Priority.BALITA: PriorityText("Membawa balita", "With a toddler", "Membawa anak di bawah 5 tahun",
                                  "With a child under 5"),
}
# The Indonesian label alone, as ticket JSON (`priority_label`) and the booking pages print it.
PRIORITY_LABELS: dict[Priority, str] = {priority: text.label for priority, text in PRIORITY_TEXTS.items()}


def priority_table() -> list[dict[str, str]]:
    """The priority wording as plain values, one {"code", "label", "label_en", "hint", "hint_en"} per category."""
    return [{"code": priority.value, "label": text.label, "label_en": text.label_en, "hint": text.hint,
             "hint_en": text.hint_en} for priority, text in PRIORITY_TEXTS.items()]

STATUS_LABELS = {
    Status.WAITING: "menunggu",
    Status.CALLED: "dipanggil",
    Status.SERVING: "sedang dilayani",
    Status.DONE: "selesai",
    Status.SKIPPED: "terlewat",
    Status.CANCELLED: "dibatalkan",
}

# Where each action may start from; anything else is an IllegalTransition.
_ALLOWED: dict[str, frozenset[Status]] = {
    "call": frozenset({Status.WAITING}),
    "recall": frozenset({Status.CALLED, Status.SKIPPED}),
    "start": frozenset({Status.CALLED}),
    "finish": frozenset({Status.SERVING}),
    "skip": frozenset({Status.CALLED}),
    "transfer": frozenset({Status.CALLED, Status.SERVING}),
    "cancel": frozenset({Status.WAITING, Status.CALLED, Status.SKIPPED}),
    "expire": frozenset({Status.WAITING, Status.CALLED, Status.SERVING, Status.SKIPPED}),
}


def parse_priority(value: str | None) -> Priority | None:
    """Turn the wire value into a Priority; None/"" means a regular ticket."""
    if value in (None, ""):
        return None
    try:
        return Priority(value)
    except ValueError:
        allowed = ", ".join(p.value for p in Priority)
        raise Invalid("invalid_priority", f"Prioritas '{value}' tidak dikenal (pilihan: {allowed}).") from None


@dataclass(slots=True)
class Transition:
    """One timestamped step in a ticket's life; kept as history for reports."""

    action: str
    status: Status
    at: datetime
    service: str
    counter: str | None = None
    clerk: str | None = None


@dataclass(slots=True)
class Ticket:
    service: str
    number: str
    local_date: date
    issued_at: datetime
    token: str
    priority: Priority | None = None
    source: str = "kiosk"
    status: Status = Status.WAITING
    queued_at: datetime | None = None  # arrival: keeps the place across transfers
    counter: str | None = None
    clerk: str | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    skipped_at: datetime | None = None
    cancelled_at: datetime | None = None
    recalls: int = 0
    transferred_from: str | None = None
    printed: bool = True
    device_id: int | None = None
    id: int | None = None
    version: int = 0
    history: list[Transition] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.queued_at is None:
            self.queued_at = self.issued_at

    @classmethod
    def issue(cls, service: str, number: str, now: datetime, token: str, priority: Priority | None = None,
              source: str = "kiosk", device_id: int | None = None) -> Ticket:
        """A new waiting ticket, its arrival recorded as the first step of its history."""
        ticket = cls(service=service, number=number, local_date=now.date(), issued_at=now, token=token,
                     priority=priority, source=source, device_id=device_id)
        ticket._record("issue", now)
        return ticket

    # ------------------------------------------------------------------ transitions
    def _check(self, action: str) -> None:
        if self.status not in _ALLOWED[action]:
            raise IllegalTransition(self.number, self.status.value, action)

    def _record(self, action: str, now: datetime) -> None:
        self.history.append(Transition(action, self.status, now, self.service, self.counter, self.clerk))

    def call(self, counter: str, clerk: str | None, now: datetime) -> None:
        self._check("call")
        self.status, self.counter, self.clerk, self.called_at = Status.CALLED, counter, clerk, now
        self._record("call", now)

    def recall(self, counter: str, clerk: str | None, now: datetime) -> None:
        """Announce again; a skipped (no-show) ticket comes back as called at this counter."""
        self._check("recall")
        self.status, self.counter, self.clerk, self.called_at = Status.CALLED, counter, clerk, now
        self.recalls += 1
        self._record("recall", now)

    def start(self, now: datetime) -> None:
        self._check("start")
        self.status, self.started_at = Status.SERVING, now
        self._record("start", now)

    def finish(self, now: datetime) -> None:
        self._check("finish")
        self.status, self.finished_at = Status.DONE, now
        self._record("finish", now)

    def skip(self, now: datetime) -> None:
        self._check("skip")
        self.status, self.skipped_at = Status.SKIPPED, now
        self._record("skip", now)

    def cancel(self, now: datetime) -> None:
        self._check("cancel")
        self.status, self.cancelled_at = Status.CANCELLED, now
        self._record("cancel", now)

    def expire(self, now: datetime) -> None:
        """End of the day it was valid for ("Berlaku hari ini"): whatever state it was left in, it is closed."""
        self._check("expire")
        self.status, self.cancelled_at, self.counter = Status.CANCELLED, now, None
        self._record("expire", now)

    def transfer(self, service: str, now: datetime) -> None:
        """Send to another service's line; the number and the arrival time (the place) are kept."""
        self._check("transfer")
        if service == self.service:
            raise DomainError("same_service", "Antrean sudah berada di layanan ini.")
        self.transferred_from, self.service = self.service, service
        self.status, self.counter, self.clerk = Status.WAITING, None, None
        self.called_at = self.started_at = None
        self._record("transfer", now)

    # ------------------------------------------------------------------ derived values
    @property
    def is_priority(self) -> bool:
        return self.priority is not None

    @property
    def is_active(self) -> bool:
        return self.status in (Status.WAITING, Status.CALLED, Status.SERVING)

    def wait_seconds(self) -> float | None:
        if self.called_at is None or self.queued_at is None:
            return None
        return (self.called_at - self.queued_at).total_seconds()

    def service_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
