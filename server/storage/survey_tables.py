"""The table of survey responses (SKM): one row per served ticket, anonymous — the ticket's id, service, agency,
counter and day, the nine scores, an optional profile and suggestion with its follow-up. No name, NIK or phone.

It lives on the same `metadata` as the queue's tables; Alembic revision 0007 creates it.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, SmallInteger, String, Table, Text

from .tables import UTCDateTime, metadata

SCORE_COLUMNS = tuple(f"u{i}" for i in range(1, 10))

survey_responses = Table(
    "survey_responses", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Unique: one response per ticket, enforced by the database under any number of concurrent submissions.
    Column("ticket_id", Integer, ForeignKey("tickets.id", ondelete="SET NULL"), unique=True),
    Column("local_date", Date, nullable=False),  # the day of service (site time)
    Column("service", String(32), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("counter", String(32)),
    Column("source", String(16), nullable=False),  # status (the visitor's phone) | tablet (at the counter)
    Column("submitted_at", UTCDateTime, nullable=False),
    *(Column(name, SmallInteger, nullable=False) for name in SCORE_COLUMNS),
    Column("age", String(8)),
    Column("sex", String(1)),
    Column("education", String(8)),
    Column("occupation", String(12)),
    Column("comment", Text),
    Column("follow_up", String(16)),  # baru | ditindaklanjuti | selesai (only when there is a comment)
    Column("reply", Text),
    Column("replied_by", String(64)),
    Column("replied_at", UTCDateTime),
    Index("ix_survey_responses_day_service", "local_date", "service"),
)
