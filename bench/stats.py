"""Summaries (median, p95) and the table every bench prints."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile (with 30 samples: the second largest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Row:
    """One measured figure of the app next to its same-run baseline."""

    bench: str
    metric: str
    unit: str
    app: tuple[float, ...]
    baseline_name: str
    baseline: tuple[float, ...]
    target: float | None = None  # the app's median AND p95 must stay below it

    @property
    def ratio(self) -> float:
        base = median(self.baseline)
        return median(self.app) / base if base and not math.isnan(base) else math.nan

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        if p95(self.app) < self.target:
            return f"met (<{self.target:g} {self.unit})"
        if median(self.app) < self.target:
            return f"median only (<{self.target:g} {self.unit})"
        return f"NOT met (<{self.target:g} {self.unit})"


HEADERS = ("bench", "metric", "n", "app med", "app p95", "baseline", "base med", "base p95",
           "ratio", "target")


def _num(value: float, unit: str) -> str:
    if math.isnan(value):
        return "-"
    digits = 2 if value < 10 else 1 if value < 1000 else 0
    return f"{value:.{digits}f} {unit}"


def cells(row: Row) -> tuple[str, ...]:
    return (row.bench, row.metric, str(len(row.app)), _num(median(row.app), row.unit),
            _num(p95(row.app), row.unit), row.baseline_name, _num(median(row.baseline), row.unit),
            _num(p95(row.baseline), row.unit),
            "-" if math.isnan(row.ratio) else f"{row.ratio:.2f}x", row.verdict)


def table(rows: Sequence[Row]) -> str:
    lines = [HEADERS, *(cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
           for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cells(r)) + " |" for r in rows]
    return "\n".join(lines)
