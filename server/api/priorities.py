"""`GET /api/v1/priorities`: the priority categories with their labels, for every client to show the same words."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from ..domain.ticket import priority_table
from .answers import PriorityCategory, reply

bp = Blueprint("priorities", __name__)


@bp.get("/priorities")
def priorities() -> Any:
    """[{"code", "label", "label_en", "hint", "hint_en"}] in the order the kiosk offers them; no token needed."""
    return reply(list[PriorityCategory], priority_table())
