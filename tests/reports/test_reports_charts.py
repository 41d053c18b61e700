"""The daily chart of the reports: closed days, days to come and today (still in progress) are gaps in the line,
never zeros (issue 18: a day in progress read as a collapse at the end of reports-monthly.png)."""

from datetime import date
from types import SimpleNamespace

from server.domain.report_figures import DayRow
from server.web.reports_charts import per_day

TODAY = date(2026, 12, 16)


def plotted(chart, title):
    return next(values for values, options in chart.raw_series if options["title"] == title)


def test_today_closed_days_and_days_to_come_are_left_out_of_the_daily_line() -> None:
    days = [DayRow(date(2026, 12, 14), False, "", 600, 580), DayRow(date(2026, 12, 15), False, "", 640, 630),
            DayRow(TODAY, False, "", 35, 12), DayRow(date(2026, 12, 17), False, "", future=True),
            DayRow(date(2026, 12, 19), True, "")]
    chart = per_day(SimpleNamespace(days=days), TODAY)
    assert plotted(chart, "Diterbitkan") == [600, 640, None, None, None]
    assert plotted(chart, "Dilayani") == [580, 630, None, None, None]


def test_a_past_period_plots_every_open_day_even_a_quiet_one() -> None:
    days = [DayRow(date(2026, 11, 27), False, "", 0, 0), DayRow(date(2026, 11, 28), True, "")]
    chart = per_day(SimpleNamespace(days=days), TODAY)
    assert plotted(chart, "Diterbitkan") == [0, None]
