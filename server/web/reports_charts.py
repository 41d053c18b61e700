"""The report's charts, drawn on the server as SVG by pygal (no JavaScript, no CDN) and embedded as data: URIs, so
they print and respect the console's Content-Security-Policy (an SVG image keeps its own styles)."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import pygal
from pygal.style import Style

from ..domain.report_figures import Summary
from ..domain.site import WEEKDAYS
from ..services.reports_export import WEEKDAY_ID

STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1c2530", foreground_strong="#1c2530",
              foreground_subtle="#d5dbe1", colors=("#0b5d7a", "#e07a1f", "#1b7a3d", "#8a5a00", "#b3261e", "#5a6572",
                                                   "#3a8fb7"),
              font_family="DejaVu Sans, sans-serif", title_font_size=15, label_font_size=11,
              major_label_font_size=11, legend_font_size=11, value_font_size=10, tooltip_font_size=11)
WIDTH, HEIGHT = 640, 300
MAX_BARS = 12


def _config(**extra: Any) -> dict[str, Any]:
    return {"style": STYLE, "width": WIDTH, "height": HEIGHT, "js": [], "explicit_size": True,
            "show_legend": True, "legend_at_bottom": True, "legend_at_bottom_columns": 4, "print_values": False,
            "margin": 12, "no_data_text": "Tidak ada data"} | extra


def data_uri(chart: Any) -> str:
    svg: bytes = chart.render()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def per_day(summary: Summary, today: date | None = None) -> Any:
    """Tickets issued and served per day; closed days are gaps in the line, not zeros, and so is `today`: a day in
    progress would read as a collapse at the end of the line (the table beside the chart holds its count so far)."""
    days = summary.days
    chart = pygal.Line(**_config(title="Tiket per hari (tickets by day)", x_label_rotation=0 if len(days) <= 14 else -45,
                                 show_minor_x_labels=False, dots_size=2, allow_interruptions=True, height=320,
                                 include_x_axis=True, margin_bottom=28))
    chart.x_labels = [d.day.strftime("%d/%m") for d in days]
    chart.x_labels_major = chart.x_labels[:: max(1, len(days) // 12)]
    shown = [not (d.closed or d.future or d.day == today) for d in days]
    chart.add("Diterbitkan", [d.issued if ok else None for d, ok in zip(days, shown, strict=True)])
    chart.add("Dilayani", [d.served if ok else None for d, ok in zip(days, shown, strict=True)])
    return chart


def arrivals(summary: Summary) -> Any:
    """Arrivals by hour of day × weekday: a punch card (bigger dot = more arrivals)."""
    used = [h for h in range(24) if any(row[h] for row in summary.heatmap)] or [8]
    hours = list(range(min(used), max(used) + 1))
    chart = pygal.Dot(**_config(title="Kedatangan per jam × hari (arrivals)", show_legend=False, height=280,
                                x_label_rotation=0))
    chart.x_labels = [f"{h:02d}" for h in hours]
    for i, day in enumerate(WEEKDAYS):
        if any(summary.heatmap[i]):
            chart.add(WEEKDAY_ID[day], [summary.heatmap[i][h] for h in hours])
    return chart


def hours(summary: Summary) -> Any:
    """Arrivals per hour of the day over the whole period; the busiest hours stand out."""
    totals = [sum(row[h] for row in summary.heatmap) for h in range(24)]
    used = [h for h in range(24) if totals[h]] or [8]
    span = range(min(used), max(used) + 1)
    chart = pygal.Bar(**_config(title="Kedatangan per jam (arrivals by hour)", show_legend=False))
    chart.x_labels = [f"{h:02d}" for h in span]
    busiest = {h for h, _ in summary.busiest_hours}
    chart.add("Kedatangan", [{"value": totals[h], "color": "#e07a1f" if h in busiest else "#0b5d7a"} for h in span])
    return chart


def services(summary: Summary) -> Any:
    """Mean wait per service against its target (minutes), the busiest services first."""
    rows = [s for s in summary.services if s.wait_mean_s is not None][:MAX_BARS]
    chart = pygal.HorizontalBar(**_config(title="Waktu tunggu rata-rata per layanan, menit (mean wait)",
                                          height=max(HEIGHT, 60 + 28 * len(rows))))
    chart.x_labels = [s.service for s in reversed(rows)]
    chart.add("Tunggu rata-rata", [round((s.wait_mean_s or 0) / 60, 1) for s in reversed(rows)])
    chart.add("Target", [s.target_minutes for s in reversed(rows)])
    return chart


def clerks(summary: Summary) -> Any:
    """Tickets served per clerk (the clerks with most first)."""
    rows = summary.clerks[:MAX_BARS]
    chart = pygal.HorizontalBar(**_config(title="Dilayani per petugas (served by clerk)", show_legend=False,
                                          height=max(HEIGHT, 60 + 26 * len(rows))))
    chart.x_labels = [c.clerk for c in reversed(rows)]
    chart.add("Dilayani", [c.served for c in reversed(rows)])
    return chart


CHARTS = {"days": per_day, "arrivals": arrivals, "busiest": hours, "services": services, "clerks": clerks}


def charts(summary: Summary, today: date | None = None) -> dict[str, str]:
    """Each table key of the report with its chart as a data: URI (`today`, still in progress, is left out of the
    daily line)."""
    drawn = {key: draw(summary) for key, draw in CHARTS.items() if key != "days"}
    return {key: data_uri(chart) for key, chart in ({"days": per_day(summary, today)} | drawn).items()}
