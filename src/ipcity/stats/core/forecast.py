"""Projecting an indicator to its deadline from its history, with the method stated and an uncertainty band.

- A stock (valid patents, per-10k figures, cumulative counts): an ordinary least-squares line through the
  month-end values of the last 24 months, extended to the deadline; the band is the 80 % prediction interval
  of that line (normal approximation, z = 1.2816).
- A count per year: the year-to-date count scaled by the share of the year elapsed (run rate); the band treats
  the rest of the year as Poisson.
A risk flag compares the projection and its band with the target."""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

Z80 = 1.2816


@dataclass(frozen=True)
class Forecast:
    method: str
    projected: float
    low: float
    high: float
    horizon: dt.date
    points: int

    def risk(self, target: float | None) -> str:
        if target is None:
            return "unknown"
        if self.projected >= target:
            return "on_track"
        return "at_risk" if self.high >= target else "unlikely"


RISK_LABELS = {"on_track": "预计达标", "at_risk": "有风险", "unlikely": "难以达标", "unknown": "—"}


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month from start's month to end's, the last one capped at `end`."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        days.append(min(following - dt.timedelta(days=1), end))
        year, month = following.year, following.month
    return days


def linear(points: list[tuple[dt.date, float]], horizon: dt.date) -> Forecast | None:
    if len(points) < 3:
        return None
    xs = [p[0].toordinal() for p in points]
    ys = [p[1] for p in points]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    sigma = math.sqrt(sum(r * r for r in residuals) / (n - 2)) if n > 2 else 0.0
    x0 = horizon.toordinal()
    projected = intercept + slope * x0
    spread = Z80 * sigma * math.sqrt(1 + 1 / n + (x0 - mean_x) ** 2 / sxx)
    return Forecast("近24个月月末值线性趋势外推（最小二乘），80%预测区间", projected, projected - spread, projected + spread,
                    horizon, n)


def run_rate(year_to_date: float, as_of: dt.date) -> Forecast:
    start = dt.date(as_of.year, 1, 1)
    end = dt.date(as_of.year, 12, 31)
    elapsed = (as_of - start).days + 1
    total = (end - start).days + 1
    projected = year_to_date * total / elapsed
    remaining = max(projected - year_to_date, 0.0)
    spread = Z80 * math.sqrt(remaining)
    return Forecast("按年内进度折算全年（年初至今数 ÷ 已过天数占比），80%区间按泊松近似", projected,
                    max(year_to_date, projected - spread), projected + spread, end, elapsed)


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
