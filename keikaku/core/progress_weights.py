"""A measure's progress as one number, and its roll-up per policy and pillar (進捗の加重集計). Pure: no Django.

A measure's progress (0–1):
- its KPIs' attainment where at least one KPI was measured — the mean of the measured KPIs' ratios, each
  capped to [0, 1] (one KPI far beyond its target cannot hide another far behind);
- otherwise its status: 完了 (done) counts 1, 未着手 (not started) 0;
- otherwise (順調 / 遅れ without a measured KPI, 未報告, 中止) it has no progress figure and is left out.

A group's progress (a 基本方針, a pillar) is the mean over its measures that have a figure, **each measure
weighing the same** whatever its number of KPIs — the dashboard's KPI attainment instead averages over
KPIs, where a measure with five KPIs counts five times. ``measured`` says how many measures the figure
rests on, so a reader sees when it rests on few.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def measure_progress(kind: str, ratios: Sequence[float | None]) -> float | None:
    """The progress of one measure from its status kind and its KPIs' attainment ratios."""
    measured = [min(1.0, max(0.0, x)) for x in ratios if x is not None]
    if measured:
        return sum(measured) / len(measured)
    if kind == "done":
        return 1.0
    if kind == "not_started":
        return 0.0
    return None


@dataclass
class GroupProgress:
    key: str
    label: str
    measures: int = 0
    measured: int = 0
    total: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def progress(self) -> float | None:
        return self.total / self.measured if self.measured else None

    def add(self, kind: str, progress: float | None) -> None:
        self.measures += 1
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        if progress is not None:
            self.measured += 1
            self.total += progress


def roll_up(
    items: Iterable[tuple[Sequence[tuple[str, str]], str, float | None]], order: Sequence[str] | None = None
) -> list[GroupProgress]:
    """Groups from (the measure's groups as (key, label), its status kind, its progress). A measure in two
    groups counts in each; one in none under key "" (未設定). Groups come in ``order``, then first seen."""
    groups: dict[str, GroupProgress] = {}
    for keys, kind, progress in items:
        seen: set[str] = set()
        for key, label in list(keys) or [("", "未設定")]:
            if key in seen:
                continue
            seen.add(key)
            groups.setdefault(key, GroupProgress(key, label)).add(kind, progress)
    if order is None:
        return list(groups.values())
    rank = {k: i for i, k in enumerate(order)}
    return sorted(groups.values(), key=lambda g: (rank.get(g.key, len(rank)), g.key))
