"""Rows of project-versus-reference figures: medians of rounds, the ratio, its spread over the
rounds, the target; printed as one table and written as JSON."""

from __future__ import annotations

import json
import math
import operator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from deploy.bench.measure import median, ratio

_OPS = {">=": operator.ge, "<=": operator.le}
_SIGNS = {">=": "≥", "<=": "≤"}


@dataclass(frozen=True)
class Target:
    """`ratio >= 0.8`, or on the project's own figure (`project <= 1024`)."""

    op: str
    bound: float
    on: str = "ratio"

    def met(self, value: float) -> bool | None:
        return None if math.isnan(value) else bool(_OPS[self.op](value, self.bound))

    def __str__(self) -> str:
        bound = f"{self.bound:g}"
        return f"{_SIGNS[self.op]} {bound}" + ("x" if self.on == "ratio" else "")


@dataclass
class Row:
    label: str
    against: str  # what the reference column is
    project: list[float] = field(default_factory=list)  # one value per round
    reference: list[float] = field(default_factory=list)
    target: Target | None = None
    higher_is_better: bool = False

    def add(self, project: float, reference: float) -> None:
        self.project.append(project)
        self.reference.append(reference)

    @property
    def ratios(self) -> list[float]:
        """project / reference per round (rounds pair up: both measured back to back)."""
        pairs = zip(self.project, self.reference, strict=True)
        return [r for r in (ratio(p, q) for p, q in pairs) if not math.isnan(r)]

    @property
    def ratio(self) -> float:
        return median(self.ratios)

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        value = self.ratio if self.target.on == "ratio" else median(self.project)
        return self.target.met(value)

    def summary(self) -> dict[str, Any]:
        ratios = self.ratios
        return {
            **asdict(self),
            "target": str(self.target) if self.target else None,
            "project_median": median(self.project),
            "reference_median": median(self.reference),
            "ratio": self.ratio,
            "ratio_min": min(ratios, default=math.nan),
            "ratio_max": max(ratios, default=math.nan),
            "target_met": self.met,
        }


def figure(value: float) -> str:
    """Three significant digits or so: 1234, 123, 12.3, 1.23, 0.123."""
    if math.isnan(value):
        return "—"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def _spread(row: Row) -> str:
    ratios = row.ratios
    if len(ratios) < 2:
        return ""
    return f"{figure(min(ratios))}..{figure(max(ratios))}"


def _verdict(row: Row) -> str:
    if row.target is None:
        return ""
    mark = {True: "ok", False: "MISSED", None: "?"}[row.met]
    return f"{row.target} {mark}"


HEADER = ("figure", "project", "reference", "ratio", "spread", "target", "reference is")


def table(rows: list[Row]) -> str:
    """One line per row: medians of the rounds, median ratio and its range."""
    lines = [
        (
            row.label,
            figure(median(row.project)),
            figure(median(row.reference)),
            figure(row.ratio),
            _spread(row),
            _verdict(row),
            row.against,
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [HEADER, *lines]) for i in range(len(HEADER))]
    out = []
    for cells in [HEADER, *lines]:
        left = [cells[0].ljust(widths[0])]
        numbers = [cells[i].rjust(widths[i]) for i in range(1, 5)]
        rest = [cells[5].ljust(widths[5]), cells[6]]
        out.append("  ".join([*left, *numbers, *rest]).rstrip())
    return "\n".join(out)


def write(result: dict[str, Any], out_dir: Path, started: datetime) -> Path:
    """latest.json plus a timestamped copy; returns the copy's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_finite(result), indent=2, default=str, allow_nan=False) + "\n"
    copy = out_dir / f"bench-{started:%Y%m%d-%H%M%S}.json"
    copy.write_text(text)
    (out_dir / "latest.json").write_text(text)
    return copy


def _finite(value: Any) -> Any:
    """NaN (a figure that could not be taken) as null: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
