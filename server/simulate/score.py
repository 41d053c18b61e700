"""Scoring predictors against the waits that happened: mean absolute error, root mean squared error, relative
mean squared error (MSE ÷ the mean squared wait: 0 is perfect, and it compares days of different waits), bias and
the share within ±5 minutes — over the day and per hour of issue, on the tickets that were called and had an
estimate (a ticket issued while no loket served its service gets none from Antre: it is counted apart)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from .engine import Record

PREDICTORS = ("antre", "ql", "les")
WITHIN = 5 * 60


def metrics(pairs: Sequence[tuple[float, float]]) -> dict[str, float]:
    """(predicted, real) seconds → the scores, in minutes (the share as a fraction)."""
    n = len(pairs)
    if n == 0:
        return {"n": 0}
    errors = [p - w for p, w in pairs]
    mse = sum(e * e for e in errors) / n
    mean_sq_wait = sum(w * w for _, w in pairs) / n
    return {
        "n": n,
        "mae_min": round(sum(abs(e) for e in errors) / n / 60, 2),
        "rmse_min": round(math.sqrt(mse) / 60, 2),
        "rel_mse": round(mse / mean_sq_wait, 3) if mean_sq_wait else 0.0,
        "bias_min": round(sum(errors) / n / 60, 2),
        "within_5_min": round(sum(1 for e in errors if abs(e) <= WITHIN) / n, 3),
    }


def _scored(records: Iterable[Record]) -> list[Record]:
    return [r for r in records if r.wait is not None and r.antre is not None]


def score(records: Sequence[Record]) -> dict[str, Any]:
    """Every predictor's scores overall and by hour of issue."""
    scored = _scored(records)
    out: dict[str, Any] = {
        "tickets": len(records), "called": sum(1 for r in records if r.wait is not None),
        "no_counter_open_at_issue": sum(1 for r in records if r.antre is None),
        "mean_wait_min": round(sum(r.wait for r in scored) / len(scored) / 60, 2) if scored else 0.0,  # type: ignore[misc]
        "overall": {p: metrics([(getattr(r, p), r.wait) for r in scored]) for p in PREDICTORS},  # type: ignore[misc]
    }
    hours = sorted({int(r.issued // 3600) for r in scored})
    out["by_hour"] = {f"{h:02d}": {p: metrics([(getattr(r, p), r.wait) for r in scored  # type: ignore[misc]
                                               if int(r.issued // 3600) == h]) for p in PREDICTORS} for h in hours}
    return out


def table(result: dict[str, Any]) -> str:
    """The overall scores as a Markdown table."""
    rows = ["| predictor | MAE (min) | RMSE (min) | rel. MSE | bias (min) | within ±5 min |",
            "|---|---:|---:|---:|---:|---:|"]
    names = {"antre": "Antre (projection)", "ql": "QL (queue length)", "les": "LES (last to enter service)"}
    for p in PREDICTORS:
        m = result["overall"][p]
        if m["n"]:
            rows.append(f"| {names[p]} | {m['mae_min']} | {m['rmse_min']} | {m['rel_mse']} | {m['bias_min']} | "
                        f"{m['within_5_min']:.0%} |")
    return "\n".join(rows)
