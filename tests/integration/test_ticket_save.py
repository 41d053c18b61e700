"""A ticket save sets only the columns that changed since the ticket was read (storage/tickets_repo.py): what is
stored afterwards is the whole ticket as saved, whether the repository read it or not, and a ticket someone else
wrote since it was read is not saved (the version check guards the columns the update leaves alone)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from server.services import tickets
from server.storage.tables import tickets as tickets_table
from server.storage.tickets_repo import ConcurrentUpdate
from server.storage.uow import UnitOfWork

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=WITA)


def stored(ctx, number: str):
    with UnitOfWork(ctx.engine, WITA) as uow:
        return uow.tickets.by_number(NOW.date(), number)


def test_what_is_stored_after_saves_is_the_ticket_as_saved(ctx):
    number = tickets.issue_ticket(ctx, "KTP")[0].ticket.number
    with UnitOfWork(ctx.engine, WITA) as uow:
        ticket = uow.tickets.by_number(NOW.date(), number)
        ticket.call("L05", "budi", NOW + timedelta(minutes=1))
        uow.tickets.save(ticket)
        ticket.start(NOW + timedelta(minutes=2))  # saved twice in one unit of work: against what it last wrote
        uow.tickets.save(ticket)
        uow.commit()
    again = stored(ctx, number)
    assert (again.status.value, again.counter, again.clerk, again.version) == ("serving", "L05", "budi", 2)
    assert (again.called_at, again.started_at) == (NOW + timedelta(minutes=1), NOW + timedelta(minutes=2))
    assert again.history == [] and again.queued_at == ticket.queued_at and again.token == ticket.token

    with UnitOfWork(ctx.engine, WITA) as uow:  # a ticket this repository never read: every column is written
        ticket.transfer("KK", NOW + timedelta(minutes=3))
        uow.tickets.save(ticket)
        uow.commit()
    again = stored(ctx, number)
    assert (again.service, again.transferred_from, again.status.value, again.counter, again.called_at,
            again.started_at, again.version) == ("KK", "KTP", "waiting", None, None, None, 3)


def test_a_ticket_written_by_someone_else_since_it_was_read_is_not_saved(ctx):
    number = tickets.issue_ticket(ctx, "KTP")[0].ticket.number
    with UnitOfWork(ctx.engine, WITA) as uow:
        ticket = uow.tickets.by_number(NOW.date(), number)
        # another writer prints it (a column the call leaves alone) and moves the version on
        uow.conn.execute(update(tickets_table).where(tickets_table.c.id == ticket.id)
                         .values(printed=False, version=tickets_table.c.version + 1))
        ticket.call("L05", "budi", NOW + timedelta(minutes=1))
        with pytest.raises(ConcurrentUpdate):
            uow.tickets.save(ticket)
