"""A measure being assembled by the recognisers, before it becomes a :class:`Measure`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.core.plan import Kpi, Measure, PillarRef, PillarSource, Provenance, ScheduleEntry
from keikaku.ingest.blocks import Block, Location
from keikaku.ingest.extract.common import squash

_NO_VALUE = re.compile(r"^(?:[-‐―—−ー－~〜・]+|該当なし|なし|未定)$")


@dataclass
class Draft:
    title: str
    key: str | None = None  # own marker as written: "ア", "1-①", "1"
    node: int | None = None  # index of the outline node (heading) the measure sits under
    origin: str = ""  # recogniser: record, heading, template, row
    description: str = ""
    priority: bool = False
    reposted: bool = False
    departments: list[str] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    schedule: list[ScheduleEntry] = field(default_factory=list)
    pillars: list[PillarRef] = field(default_factory=list)
    deadline_fy: int | None = None
    loc: Location | None = None
    order: int = 0  # block index, for document order
    excerpt: str = ""
    full_key: str | None = None
    policy_key: str | None = None

    def set_pillars(
        self, codes: list[str], source: PillarSource = PillarSource.DOCUMENT, conf: float = 1.0
    ) -> None:
        self.pillars = [PillarRef(code=c, source=source, confidence=conf) for c in codes]

    def add_departments(self, names: list[str]) -> None:
        for n in names:
            if n and n not in self.departments:
                self.departments.append(n)

    def add_kpis(self, kpis: list[Kpi]) -> None:
        have = {squash(k.indicator) for k in self.kpis}
        for k in kpis:
            if not _NO_VALUE.sub("", squash(k.indicator)):
                continue  # '－' / '―' / '該当なし' in a KPI cell: no KPI
            if squash(k.indicator) not in have:
                self.kpis.append(k)
                have.add(squash(k.indicator))

    def to_measure(self, source: str) -> Measure:
        return Measure(
            key=self.full_key or self.key,
            policy_key=self.policy_key,
            title=self.title,
            description=self.description,
            pillars=self.pillars,
            priority=self.priority,
            reposted=self.reposted,
            departments=self.departments,
            kpis=self.kpis,
            schedule=sorted(self.schedule, key=lambda e: e.fiscal_year),
            deadline_fy=self.deadline_fy,
            provenance=provenance(source, self.loc, self.excerpt or self.title),
        )


def provenance(source: str, loc: Location | None, text: str | None = None) -> Provenance:
    loc = loc or Location()
    return Provenance(
        source=source,
        page=loc.page,
        line_start=loc.line_start,
        line_end=loc.line_end,
        text=(text or None) and text[:300],
    )


def block_provenance(source: str, block: Block, text: str | None = None) -> Provenance:
    return provenance(source, block.loc, text if text is not None else block.text)
