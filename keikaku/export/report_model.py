"""The yearly evaluation report of a plan (施策の評価と方向性), as plain data for the HTML, DOCX and PDF
writers: per measure 項目 / 現状 / 評価と方向性 and its KPIs, and the status-by-pillar roll-up. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from keikaku.core.plan import NOT_EVALUATED


@dataclass(frozen=True)
class ReportKpi:
    indicator: str
    unit: str
    baseline: str  # "10件（令和6年度）"
    target: str  # the target the year is measured against
    actual: str
    attainment: str  # "50%" or "—"
    met: str  # 達成 / 未達成 / —
    trend_svg: str = ""  # a small KPI trend chart (SVG), escaped by keikaku.core.charts


@dataclass(frozen=True)
class ReportMeasure:
    key: str
    title: str
    policy: str
    departments: Sequence[str]
    status: str  # 進捗状況 word of the year's report ("" when none)
    current: str  # 現状: the year's report narrative
    decision: str  # 継続 / 完了 / 終了 / 見直し / 統合 or "" (未評価)
    direction: str  # 評価の理由・方向性
    next_reference: str = ""  # "次期計画に引き継ぐ 2-③" from the lineage
    kpis: Sequence[ReportKpi] = ()
    decision_state: str = ""  # "" when published (or none); 下書き / 決定 in a report for members

    @property
    def decision_text(self) -> str:
        """<継続>, <継続>（決定・未公開）or 未評価."""
        if not self.decision:
            return NOT_EVALUATED
        state = f"（{self.decision_state}・未公開）" if self.decision_state else ""
        return f"<{self.decision}>{state}"


@dataclass(frozen=True)
class PillarRow:
    label: str
    counts: Sequence[int]  # per status kind, in ``EvaluationReport.kinds`` order
    measures: int
    attainment: str


@dataclass(frozen=True)
class EvaluationReport:
    plan_title: str
    organisation: str
    fiscal_year: int
    fiscal_year_label: str  # 令和7年度 (2025)
    generated: str  # date of writing, ISO
    measures: Sequence[ReportMeasure]
    kinds: Sequence[str] = ()  # status labels of the pillar table's columns
    pillars: Sequence[PillarRow] = ()
    pillar_svg: str = ""  # status by pillar (SVG)
    decisions: dict[str, int] = field(default_factory=dict)  # 継続 → n …

    @property
    def title(self) -> str:
        return f"{self.plan_title} 施策の評価と方向性（{self.fiscal_year_label}）"
