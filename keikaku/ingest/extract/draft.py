"""A measure being assembled by the recognisers, before it becomes a :class:`Measure`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.core.plan import Kpi, Measure, PillarRef, PillarSource, Provenance, ScheduleEntry
from keikaku.ingest.blocks import Block, Location
from keikaku.ingest.extract.common import squash

_SCALAR_FIELDS = ("description", "schedule", "deadline", "pillars")  # one value: the surer candidate's
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
    # what the merge policy and the key rules need to know of where the measure was read
    stated: bool = False  # the document states its pillars (even none: その他)
    key_as_written: bool = False  # numbered by a No. column: the key is kept as written
    group: str | None = None  # the 区分 / 基本方針 cell of the table row that made it
    table_row: int | None = None  # its row number in an unkeyed table
    table_head: tuple[int, tuple[str, ...]] | None = None  # the header of the table whose row made it
    confidence: float = 0.0  # the surest candidate it was read from
    field_confidence: dict[str, float] = field(default_factory=dict)  # field → confidence of its value

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

    def absorb(self, other: Draft, confidence: float, *, append: bool = False) -> None:
        """Add what another candidate read about this measure: departments and KPIs are added; a
        description, schedule, deadline or pillars already read is replaced only by a surer candidate
        (``append``: parts of one measure's text under one heading, kept in order)."""
        self.priority = self.priority or other.priority
        self.reposted = self.reposted or other.reposted
        if append and self.description and other.description:
            self.description = f"{self.description}\n{other.description}"
        elif self._replaces("description", other._filled("description"), confidence):
            self.description = other.description
        if self._replaces("schedule", other._filled("schedule"), confidence):
            self.schedule = list(other.schedule)
        if self._replaces("deadline", other._filled("deadline"), confidence):
            self.deadline_fy = other.deadline_fy
        if self._replaces("pillars", other._filled("pillars"), confidence, ties=True):
            self.pillars = list(other.pillars)
        self.stated = self.stated or other.stated
        self.add_departments(other.departments)
        self.add_kpis(other.kpis)
        self.confidence = max(self.confidence, confidence)

    def stamp(self, confidence: float) -> Draft:
        """This candidate's fields become a measure of their own, read with this confidence."""
        self.confidence = confidence
        for name in _SCALAR_FIELDS:
            if self._filled(name):
                self.field_confidence[name] = confidence
        return self

    def _filled(self, name: str) -> bool:
        """Whether a field the surer candidate wins (description, schedule, deadline, pillars) has a value."""
        return {
            "description": bool(self.description),
            "schedule": bool(self.schedule),
            "deadline": self.deadline_fy is not None,
            "pillars": bool(self.pillars),
        }[name]

    def _replaces(self, name: str, has: bool, confidence: float, *, ties: bool = False) -> bool:
        if not has:
            return False
        have = self.field_confidence.get(name)
        if not self._filled(name) or have is None or confidence > have or (ties and confidence == have):
            self.field_confidence[name] = confidence
            return True
        return False

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
