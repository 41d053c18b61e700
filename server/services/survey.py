"""Use cases of the satisfaction survey (SKM): the questionnaire, a visitor's answer after service (from the
status page or the survey tablet at the counter), what a survey tablet should offer, and an officer's follow-up of
a suggestion (audit-logged). The index itself is computed in `survey_report.py` from the pure domain module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..domain import survey as skm
from ..domain.accounts import Principal
from ..domain.errors import Forbidden, NotFound, Refused
from ..domain.ticket import Status
from ..storage.survey_repo import SurveyRepository
from ..storage.uow import UnitOfWork
from .context import Context, run
from .site_access import require_staff

# A tablet offers the survey for the ticket its counter finished last, while that visitor is plausibly still there.
TABLET_OFFER_MINUTES = 10
SOURCES = ("status", "tablet")


def questions(lang: str = "id") -> list[dict[str, Any]]:
    """The nine elements with their question and answers (score 1..4), in `lang` (id or en)."""
    i = 1 if lang == "en" else 0
    return [{"code": code, "element": element[i], "text": question[i],
             "options": [{"score": score, "text": answer[i]} for score, answer in zip(skm.SCORES, answers, strict=True)]}
            for code, element, question, answers in skm.ELEMENTS]


def profile_options(lang: str = "id") -> dict[str, Any]:
    """The respondent profile's fields and choices, in `lang`."""
    i = 2 if lang == "en" else 1
    return {key: {"label": skm.PROFILE_LABELS[key][i - 1], "options": [{"code": o[0], "text": o[i]} for o in opts]}
            for key, opts in skm.PROFILE.items()}


@dataclass(frozen=True, slots=True)
class Submission:
    answers: dict[str, int]
    profile: dict[str, str]
    comment: str


def parse_submission(body: dict[str, Any]) -> Submission:
    """Check a response's answers, profile and comment (Invalid with a code and the field it names)."""
    return Submission(skm.check_answers(body.get("answers")), skm.check_profile(body.get("profile")),
                      skm.check_comment(body.get("comment")))


def _repo(uow: UnitOfWork) -> SurveyRepository:
    return SurveyRepository(uow.conn)


def submit(ctx: Context, token: str, submission: Submission, source: str = "status",
           device: Principal | None = None) -> int:
    """Store the response for the ticket behind `token`: only once it was served, only once per ticket.
    A survey tablet may answer only for a ticket finished at its own counter."""
    if source not in SOURCES:
        source = "status"

    def work(uow: UnitOfWork) -> int:
        ticket = uow.tickets.by_token(token)
        if ticket is None or ticket.id is None:
            raise NotFound("unknown_ticket", "Tiket tidak ditemukan.")
        if device is not None and device.role == "survey" and ticket.counter not in device.counters:
            raise Forbidden("not_this_counter", "Tiket ini tidak dilayani di loket tablet survei ini.")
        if ticket.status != Status.DONE:
            raise Refused("not_served", "Survei baru bisa diisi setelah layanan selesai.")
        repo = _repo(uow)
        # Checked first for a clear answer; the unique ticket_id decides a race (the loser is retried by `run`
        # and then lands here).
        if repo.answered(ticket.id):
            raise Refused("already_answered", "Survei untuk tiket ini sudah diisi. Terima kasih!")
        service = ctx.site.services.get(ticket.service)
        return repo.add(ticket_id=ticket.id, local_date=ticket.local_date, service=ticket.service,
                        agency=service.agency if service else "", counter=ticket.counter, source=source,
                        at=ctx.now(), answers=submission.answers, profile=submission.profile,
                        comment=submission.comment)

    return run(ctx, work)


def survey_state(ctx: Context, token: str) -> str:
    """For the status page: "open" (served, not answered), "answered", or "not_served"."""
    with ctx.uow() as uow:
        ticket = uow.tickets.by_token(token)
        if ticket is None or ticket.id is None or ticket.status != Status.DONE:
            return "not_served"
        return "answered" if _repo(uow).answered(ticket.id) else "open"


def tablet_offer(ctx: Context, device: Principal) -> dict[str, Any] | None:
    """The ticket a survey tablet should ask about now: its counter's last finished ticket of today, finished less
    than TABLET_OFFER_MINUTES ago and not answered yet; None otherwise."""
    if device.role != "survey" or not device.counters:
        raise Forbidden("forbidden", "Hanya tablet survei yang terikat ke loket.")
    now = ctx.now()
    with ctx.uow() as uow:
        row = _repo(uow).last_finished(device.counters[0], now.date())
        if row is None or row.finished_at is None or now - row.finished_at > timedelta(minutes=TABLET_OFFER_MINUTES):
            return None
        if _repo(uow).answered(row.id):
            return None
    return offer_json(ctx, row.token, row.number, row.service)


def offer_json(ctx: Context, token: str, number: str, service: str) -> dict[str, Any]:
    svc = ctx.site.services.get(service)
    return {"token": token, "number": number, "service": service, "service_name": svc.name if svc else service}


def set_follow_up(ctx: Context, actor: Principal, response_id: int, state: str, reply: str) -> None:
    """An officer moves a suggestion to ditindaklanjuti / selesai with a reply; every change is in the audit log."""
    require_staff(actor)
    state, reply = skm.check_follow_up(state, reply)

    def work(uow: UnitOfWork) -> None:
        repo = _repo(uow)
        found = repo.response(response_id)
        if found is None or not found.comment:
            raise NotFound("unknown_suggestion", "Saran/pengaduan tidak ditemukan.")
        if actor.role != "admin" and found.agency not in actor.agencies:
            raise Forbidden("forbidden", "Saran ini untuk instansi lain.")
        now = ctx.now()
        repo.set_follow_up(response_id, state, reply, actor.name, now)
        uow.audit.record(now, actor.name, "update", f"survey:{response_id}",
                         {"follow_up": found.follow_up, "reply": found.reply}, {"follow_up": state, "reply": reply})

    run(ctx, work)
