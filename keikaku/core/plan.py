"""The keikaku plan JSON format, version 1 (計画データ形式).

Typed with pydantic v2; the JSON Schema in ``keikaku/core/schema/`` is generated from these models
(``python -m keikaku.core.schema``) and a test fails when the committed copy is out of date.

Two documents share this module:
- :class:`Plan` — one local government's plan (官民データ活用推進計画 / 情報化推進計画 / DX推進計画);
- :class:`Catalogue` — the national guide (手引): template sections and example measures.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from keikaku.core.pillars import PILLAR_CODES, PRIORITY_AREA_NAMES

FORMAT_VERSION: Literal[1] = 1
MIN_FY = 1950
MAX_FY = 2100

FiscalYearInt = Annotated[int, Field(ge=MIN_FY, le=MAX_FY, description="西暦の年度 (4月始まり)")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class OrganisationKind(StrEnum):
    PREFECTURE = "都道府県"
    CITY = "市"
    TOWN = "町"
    VILLAGE = "村"
    SPECIAL_WARD = "特別区"


class PlanKind(StrEnum):
    KANMIN_DATA = "官民データ活用推進計画"
    JOHOKA = "情報化推進計画"
    DX = "DX推進計画"


class PillarSource(StrEnum):
    DOCUMENT = "document"
    INFERRED = "inferred"
    EDITED = "edited"  # chosen by a person in the editor


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    KEEP = "keep"
    QUALITATIVE = "qualitative"


class KpiKind(StrEnum):
    """活動指標 (what the office does: 研修の開催回数) or 成果指標 (what changes: オンライン申請率)."""

    ACTIVITY = "activity"
    OUTCOME = "outcome"


class Decision(StrEnum):
    """評価 of a previous plan's measure (PDCA の A)."""

    CONTINUE = "継続"
    COMPLETE = "完了"
    END = "終了"
    REVISE = "見直し"
    MERGE = "統合"
    OTHER = "その他"


NOT_EVALUATED = "未評価"  # what a measure without a (decided, published) evaluation is called everywhere


class Organisation(_Model):
    name: NonEmpty
    prefecture: str | None = None
    code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] | None = Field(
        default=None, description="全国地方公共団体コード (6桁, 検査数字付き)"
    )
    kind: OrganisationKind | None = None


class Period(_Model):
    start_fy: FiscalYearInt | None = None
    end_fy: FiscalYearInt | None = None
    note: str | None = Field(default=None, description="例: 毎年度見直し")


class Provenance(_Model):
    """Where a value came from in the source document (出典)."""

    source: str | None = Field(default=None, description="source document file name")
    page: int | None = Field(default=None, ge=1)
    line_start: int | None = Field(default=None, ge=1)
    line_end: int | None = Field(default=None, ge=1)
    text: str | None = Field(default=None, description="the text the value was read from")


class Section(_Model):
    key: str | None = None
    title: NonEmpty
    kind: str | None = Field(
        default=None,
        description="雛型の節: situation, purpose, position, structure, policy, measures, security …",
    )
    text: str = ""


class Contact(_Model):
    """問い合わせ先: the section that answers questions on the plan (the guide's 総論4 asks for one)."""

    section: str = Field(default="", description="担当課・係")
    phone: str = ""
    email: str = ""


class Policy(_Model):
    key: str = Field(description="番号 as written: I, (1), 1-①, (i) …")
    title: NonEmpty
    pillars: list[str] = Field(default_factory=list)
    children: list[Policy] = Field(default_factory=list)

    @field_validator("pillars")
    @classmethod
    def _known_pillars(cls, v: list[str]) -> list[str]:
        for code in v:
            if code not in PILLAR_CODES:
                raise ValueError(f"unknown pillar code {code!r} (A, B, C, D, E, other)")
        return v


class PillarRef(_Model):
    code: str
    source: PillarSource = PillarSource.DOCUMENT
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    @field_validator("code")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in PILLAR_CODES:
            raise ValueError(f"unknown pillar code {v!r} (A, B, C, D, E, other)")
        return v


class Value(_Model):
    """A KPI value with its fiscal year: '13件' in 2021."""

    value: str
    fiscal_year: FiscalYearInt | None = None


class Kpi(_Model):
    indicator: NonEmpty
    unit: str | None = None
    baseline: Value | None = None
    targets: list[Value] = Field(default_factory=list)
    direction: Direction | None = None
    kind: KpiKind | None = Field(default=None, description="activity (活動指標) or outcome (成果指標)")
    provenance: Provenance | None = None


class ScheduleEntry(_Model):
    fiscal_year: FiscalYearInt
    written: str = Field(description="phase as written: 検討, 実施, →, ○ …")
    phase: str | None = Field(default=None, description="normalised phase (see keikaku.core.schedule)")
    provenance: Provenance | None = None


class Measure(_Model):
    key: str | None = None
    policy_key: str | None = None
    title: NonEmpty
    description: str = ""
    pillars: list[PillarRef] = Field(default_factory=list)
    priority_areas: list[str] = Field(default_factory=list, description="重点分野")
    priority: bool = Field(default=False, description="重点取組")
    reposted: bool = Field(default=False, description="再掲")
    departments: list[str] = Field(default_factory=list, description="担当部署")
    kpis: list[Kpi] = Field(default_factory=list)
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    deadline_fy: FiscalYearInt | None = None
    national_measures: list[str] = Field(default_factory=list)
    notes: str | None = Field(default=None, description="備考 (notes)")
    provenance: Provenance | None = None

    @field_validator("priority_areas")
    @classmethod
    def _known_areas(cls, v: list[str]) -> list[str]:
        for name in v:
            if name not in PRIORITY_AREA_NAMES:
                raise ValueError(f"unknown 重点分野 {name!r}")
        return v


class Evaluation(_Model):
    """前計画の施策の評価 (名取市 資料: 項目 / 現状 / 方向性)."""

    item: NonEmpty
    groups: list[str] = Field(
        default_factory=list, description="grouping columns as written (施策の柱, 分類 …)"
    )
    status: str = Field(default="", description="現状 as written")
    decision: Decision | None = None
    decision_written: str | None = Field(default=None, description="as written, e.g. <継続>")
    direction: str = Field(default="", description="方向性 text")
    reference: str | None = Field(default=None, description="reference into the new plan, e.g. P8.②")
    provenance: Provenance | None = None


class SourceDocument(_Model):
    filename: str
    format: str | None = None
    sha256: str | None = None
    pages: int | None = None
    warnings: list[str] | None = Field(
        default=None,
        description="what the reader could not read as written (読み取りの注意), with page or line",
    )


class Plan(_Model):
    format: Literal["keikaku-plan"] = "keikaku-plan"
    format_version: Literal[1] = FORMAT_VERSION
    title: NonEmpty
    organisation: Organisation
    kinds: list[PlanKind] = Field(default_factory=list)
    published: YearMonth | None = Field(default=None, description="YYYY-MM or YYYY")
    period: Period = Field(default_factory=Period)
    version: str | None = None
    contact: Contact | None = Field(default=None, description="問い合わせ先")
    sections: list[Section] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    evaluations: list[Evaluation] = Field(default_factory=list)
    source: SourceDocument | None = None


class ExampleMeasure(_Model):
    """手引の施策例 (one of its example measures)."""

    key: str
    pillar_key: str | None = None
    title: NonEmpty
    description: str = ""
    pillars: list[PillarRef] = Field(default_factory=list)
    priority_areas: list[str] = Field(default_factory=list)
    kpi_text: str = ""
    schedule_text: str = ""
    national_measures: list[str] = Field(default_factory=list)
    case_refs: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None


class Catalogue(_Model):
    """The national guide (手引): the template a plan is drafted from, not a plan."""

    format: Literal["keikaku-catalogue"] = "keikaku-catalogue"
    format_version: Literal[1] = FORMAT_VERSION
    title: NonEmpty
    publisher: str | None = None
    published: YearMonth | None = None
    template_sections: list[Section] = Field(default_factory=list)
    measures: list[ExampleMeasure] = Field(default_factory=list)
    source: SourceDocument | None = None


Document = Plan | Catalogue


def iter_policies(policies: list[Policy]):
    """Depth-first walk of a policy tree, yielding (depth, policy)."""
    stack = [(0, p) for p in reversed(policies)]
    while stack:
        depth, p = stack.pop()
        yield depth, p
        stack.extend((depth + 1, c) for c in reversed(p.children))
