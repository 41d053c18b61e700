"""Use case of data retention (UU No. 27/2022 on personal data protection): bookings' names, phone numbers and NIK
hashes are erased `[booking] retain_days` days after the visit; tickets and statistics stay, anonymous. A daily
job runs it; the audit log says how many were erased (never whose)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from ..storage.audit_repo import AuditRepository
from ..storage.retention_repo import RetentionRepository
from .context import Context

log = logging.getLogger(__name__)
DEFAULT_RETAIN_DAYS = 30


@dataclass(frozen=True, slots=True)
class Erased:
    count: int
    before: date  # visits before this day were erased


def cutoff(today: date, retain_days: int) -> date:
    """Visits before this day are past the retention period (a visit `retain_days` days ago is kept today)."""
    return today - timedelta(days=retain_days)


def erase_expired_bookings(ctx: Context, retain_days: int = DEFAULT_RETAIN_DAYS, actor: str = "sistem") -> Erased:
    """Erase the personal data of bookings whose visit is more than `retain_days` days ago; audited when any."""
    now = ctx.now()
    before = cutoff(now.date(), retain_days)
    with ctx.engine.begin() as conn:
        count = RetentionRepository(conn).erase_before(before)
        if count:
            AuditRepository(conn).record(now, actor, "erase", "bookings", None,
                                         {"erased": count, "visits_before": before.isoformat(),
                                          "retain_days": retain_days})
    if count:
        log.info("retensi data: data pribadi %d booking (kunjungan sebelum %s) dihapus", count, before.isoformat())
    return Erased(count, before)


def pending(ctx: Context, retain_days: int = DEFAULT_RETAIN_DAYS) -> int:
    """How many bookings the next run would erase (for the command line's dry run)."""
    with ctx.engine.connect() as conn:
        return RetentionRepository(conn).due(cutoff(ctx.now().date(), retain_days))
