"""Survey repository: store one anonymous response per ticket, read a period's responses and suggestions, count the
visitors served in a period (the survey's population) and find the ticket a counter finished last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from .survey_tables import SCORE_COLUMNS, survey_responses
from .tables import tickets

PROFILE_COLUMNS = ("age", "sex", "education", "occupation")


@dataclass(frozen=True, slots=True)
class StoredResponse:
    id: int
    local_date: date
    service: str
    agency: str
    counter: str | None
    source: str
    submitted_at: datetime
    answers: dict[str, int]
    profile: dict[str, str]
    comment: str
    follow_up: str | None
    reply: str
    replied_by: str | None
    replied_at: datetime | None


def _response(row: Any) -> StoredResponse:
    answers = {f"U{i}": int(getattr(row, f"u{i}")) for i in range(1, 10)}
    profile = {k: getattr(row, k) for k in PROFILE_COLUMNS if getattr(row, k)}
    return StoredResponse(row.id, row.local_date, row.service, row.agency, row.counter, row.source, row.submitted_at,
                          answers, profile, row.comment or "", row.follow_up, row.reply or "", row.replied_by,
                          row.replied_at)


class SurveyRepository:
    """Built on a unit of work's connection (`SurveyRepository(uow.conn)`), so it shares its transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def answered(self, ticket_id: int) -> bool:
        q = select(survey_responses.c.id).where(survey_responses.c.ticket_id == ticket_id)
        return self.conn.execute(q).first() is not None

    def add(self, *, ticket_id: int, local_date: date, service: str, agency: str, counter: str | None, source: str,
            at: datetime, answers: dict[str, int], profile: dict[str, str], comment: str) -> int:
        """Insert a response; the unique ticket_id makes a concurrent second insert fail (IntegrityError)."""
        values: dict[str, Any] = {"ticket_id": ticket_id, "local_date": local_date, "service": service,
                                  "agency": agency, "counter": counter, "source": source, "submitted_at": at,
                                  "comment": comment or None, "follow_up": "baru" if comment else None}
        values |= {col: answers[f"U{col[1:]}"] for col in SCORE_COLUMNS}
        values |= {k: profile.get(k) for k in PROFILE_COLUMNS}
        return int(self.conn.execute(insert(survey_responses).values(**values)
                                     .returning(survey_responses.c.id)).scalar_one())

    def responses(self, first: date, last: date, services: set[str] | None = None) -> list[StoredResponse]:
        """Responses of days first..last (site days), of `services` when given, oldest first."""
        q = select(survey_responses).where(survey_responses.c.local_date.between(first, last))
        if services is not None:
            q = q.where(survey_responses.c.service.in_(sorted(services)))
        return [_response(r) for r in self.conn.execute(q.order_by(survey_responses.c.id))]

    def response(self, response_id: int) -> StoredResponse | None:
        row = self.conn.execute(select(survey_responses).where(survey_responses.c.id == response_id)).first()
        return _response(row) if row else None

    def set_follow_up(self, response_id: int, state: str, reply: str, by: str, at: datetime) -> None:
        self.conn.execute(update(survey_responses).where(survey_responses.c.id == response_id)
                          .values(follow_up=state, reply=reply or None, replied_by=by, replied_at=at))

    def served(self, first: date, last: date, services: set[str] | None = None) -> int:
        """Tickets finished (status done) on days first..last: the population the sample is drawn from."""
        q = select(func.count()).select_from(tickets).where(tickets.c.local_date.between(first, last),
                                                            tickets.c.status == "done")
        if services is not None:
            q = q.where(tickets.c.service.in_(sorted(services)))
        return int(self.conn.execute(q).scalar_one())

    def last_finished(self, counter: str, day: date) -> Any:
        """The ticket `counter` finished last on `day` (token, number, service, finished_at), or None."""
        q = (select(tickets.c.id, tickets.c.token, tickets.c.number, tickets.c.service, tickets.c.finished_at)
             .where(tickets.c.counter == counter, tickets.c.local_date == day, tickets.c.status == "done")
             .order_by(tickets.c.finished_at.desc(), tickets.c.id.desc()).limit(1))
        return self.conn.execute(q).first()
