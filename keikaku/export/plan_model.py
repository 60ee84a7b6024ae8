"""The plan as a document (計画書): one model built from a plan, written as DOCX (plan_docx) and as PDF
(plan_html → WeasyPrint, plan_pdf). Pure: no Django.

The document follows the national template (雛型): a cover (title, organisation, period, date), the
table of contents, the narrative chapters in the template's order, the 個別施策 chapter with the
施策体系図 (policy → measure tree) and one entry per measure — its number and title as a heading, a
項目 | 内容 table (内容, 担当課, 施策の柱, 重点分野, 国の施策), a KPI table (指標 | 単位 | 現状値 |
目標値 by year) and a schedule grid (one column per fiscal year) — then the 工程表 (Gantt), the table of
the law's pillars × the national 重点分野, and the contact (問い合わせ先). These are the layouts real
plans use and keikaku's importer reads, so a printed plan imports back as the same plan
(scripts/bench_roundtrip.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from keikaku.core import plan as core
from keikaku.core.fiscal import wareki, western_to_era
from keikaku.core.pillars import PILLAR_BY_CODE, PILLARS, PRIORITY_AREA_OTHER, PRIORITY_AREAS

# the template's chapters, in its order (Section.kind → the chapter's place); other kinds follow
TEMPLATE_ORDER = (
    "situation",
    "purpose",
    "position",
    "period",
    "structure",
    "policy",
    "measures",
    "security",
)
TEMPLATE_TITLES = {
    "situation": "現状及び課題",
    "purpose": "計画の目的",
    "position": "計画の位置付け",
    "period": "計画期間",
    "structure": "推進体制",
    "policy": "基本的な方針",
    "measures": "個別施策",
    "security": "セキュリティ及び個人情報の適正な取扱い",
}
NO_VALUE = "－"
BLANK = "【要記入】"  # what a draft has not said yet (the draft's own mark for the author)


@dataclass(frozen=True)
class DocKpi:
    indicator: str
    unit: str
    baseline: str  # value as written with its unit ("85手続"), or NO_VALUE
    baseline_fy: int | None
    targets: Mapping[int, str]  # fiscal year → value as written with its unit


@dataclass(frozen=True)
class DocMeasure:
    key: str
    title: str
    description: str
    departments: Sequence[str]
    pillars: Sequence[str]  # the law's pillar names (手続における情報通信の技術の利用等 …)
    areas: Sequence[str]  # 重点分野
    national: Sequence[str]  # national measures it serves
    priority: bool
    reposted: bool
    kpis: Sequence[DocKpi]
    schedule: Mapping[int, str]  # fiscal year → phase as written
    blank: str = NO_VALUE  # printed where the measure says nothing yet: 【要記入】 in a draft

    @property
    def heading(self) -> str:
        return f"{self.key}　{self.title}" if self.key else self.title

    @property
    def baseline_fy(self) -> int | None:
        """The KPIs' common baseline year (shown in the column header), or None."""
        years = {k.baseline_fy for k in self.kpis if k.baseline != NO_VALUE}
        return years.pop() if len(years) == 1 else None

    @property
    def target_years(self) -> list[int]:
        return sorted({fy for k in self.kpis for fy in k.targets})


@dataclass(frozen=True)
class DocPolicy:
    """A heading of the 個別施策 chapter (a policy at ``depth``) with the measures placed under it."""

    key: str
    title: str
    depth: int
    measures: Sequence[DocMeasure] = ()

    @property
    def heading(self) -> str:
        return f"{self.key}　{self.title}" if self.key else self.title


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    kind: str
    paragraphs: Sequence[str]

    @property
    def heading(self) -> str:
        return f"第{self.number}章　{self.title}"


@dataclass(frozen=True)
class TreeNode:
    """One box of the 施策体系図: a policy with its sub-policies and measures (or a measure: no children)."""

    label: str
    children: Sequence[TreeNode] = ()


@dataclass(frozen=True)
class Coverage:
    pillars: Sequence[str]  # row labels
    areas: Sequence[str]  # column labels
    counts: Sequence[Sequence[int]]  # [pillar][area]
    totals: Sequence[int]  # per pillar (measures, each counted once)


@dataclass(frozen=True)
class PlanDocument:
    title: str
    organisation: str
    kinds: Sequence[str]
    period: str  # 令和7年度～令和11年度（5年間）
    date: str  # 令和7年3月
    years: Sequence[int]  # the schedule's fiscal-year columns
    chapters: Sequence[Chapter]  # the narrative chapters, 個別施策 among them
    measures_chapter: int  # index into chapters of the 個別施策 chapter
    policies: Sequence[DocPolicy]  # in document order, every measure under exactly one
    tree: Sequence[TreeNode]  # top-level policies
    gantt_groups: Sequence[tuple[str, Sequence[DocMeasure]]]  # (top-level policy heading, its measures)
    coverage: Coverage
    contact: Sequence[tuple[str, str]]  # (label, value)
    gantt_chapter: int = 0  # chapter numbers of the appendices (after the narrative chapters)
    coverage_chapter: int = 0
    notes: Sequence[str] = field(default_factory=tuple)

    @property
    def measures(self) -> list[DocMeasure]:
        return [m for p in self.policies for m in p.measures]


def fy_label(fy: int | None) -> str:
    return wareki(fy) if fy else ""


def with_unit(value: str, unit: str | None) -> str:
    """'85' + 手続 → 85手続; a value that already carries its unit (or is a word) stays as written."""
    v = value.strip()
    if not v:
        return NO_VALUE
    if not unit or v.endswith(unit) or not any(ch.isdigit() for ch in v[-1:]):
        return v
    return f"{v}{unit}"


def _kpi(k: core.Kpi) -> DocKpi:
    targets: dict[int, str] = {}
    undated = []
    for t in k.targets:
        if t.fiscal_year is None:
            undated.append(t.value)
        else:
            targets[t.fiscal_year] = with_unit(t.value, k.unit)
    base = k.baseline
    return DocKpi(
        indicator=k.indicator,
        unit=k.unit or "",
        baseline=with_unit(base.value, k.unit) if base and base.value else NO_VALUE,
        baseline_fy=base.fiscal_year if base else None,
        targets=targets or ({0: with_unit(undated[-1], k.unit)} if undated else {}),
    )


def _pillar_name(code: str) -> str:
    p = PILLAR_BY_CODE.get(code)
    return p.name if p else code


def _measure(m: core.Measure, blank: str) -> DocMeasure:
    return DocMeasure(
        blank=blank,
        key=m.key or "",
        title=m.title,
        description=m.description,
        departments=list(m.departments),
        pillars=[_pillar_name(p.code) for p in m.pillars],
        areas=list(m.priority_areas),
        national=list(m.national_measures),
        priority=m.priority,
        reposted=m.reposted,
        kpis=[_kpi(k) for k in m.kpis],
        schedule={e.fiscal_year: e.written for e in m.schedule},
    )


def _chapters(plan: core.Plan) -> tuple[list[Chapter], int]:
    rank = {kind: i for i, kind in enumerate(TEMPLATE_ORDER)}
    sections = sorted(enumerate(plan.sections), key=lambda s: (rank.get(s[1].kind or "", len(rank)), s[0]))
    chapters: list[Chapter] = []
    measures_at = -1
    for _i, s in sections:
        if s.kind == "measures" and measures_at >= 0:  # one 個別施策 chapter: later ones join it
            prev = chapters[measures_at]
            chapters[measures_at] = Chapter(
                prev.number, prev.title, prev.kind, [*prev.paragraphs, *_paras(s.text)]
            )
            continue
        if s.kind == "measures":
            measures_at = len(chapters)
        chapters.append(Chapter(len(chapters) + 1, s.title, s.kind or "", _paras(s.text)))
    if measures_at < 0:  # a plan without a written 個別施策 chapter still has its measures printed
        before = [i for i, c in enumerate(chapters) if rank.get(c.kind, len(rank)) <= rank["measures"]]
        measures_at = (before[-1] + 1) if before else len(chapters)
        chapters.insert(measures_at, Chapter(0, TEMPLATE_TITLES["measures"], "measures", ()))
    chapters = [Chapter(i + 1, c.title, c.kind, c.paragraphs) for i, c in enumerate(chapters)]
    return chapters, measures_at


def _paras(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def _policies(plan: core.Plan, measures: list[tuple[core.Measure, DocMeasure]]) -> list[DocPolicy]:
    """The policy headings in tree order, each measure under the policy its policy_key names (measures
    of an unknown policy at the end, under no heading)."""
    walk = list(core.iter_policies(plan.policies))
    keys = {p.key for _d, p in walk}
    under: dict[str | None, list[DocMeasure]] = {}
    for m, dm in measures:
        under.setdefault(m.policy_key if m.policy_key in keys else None, []).append(dm)
    out = [DocPolicy(p.key, p.title, depth, under.pop(p.key, [])) for depth, p in walk]
    rest = [dm for ms in under.values() for dm in ms]
    if rest:
        out.append(DocPolicy("", "その他の施策" if out else "", 0, rest))
    return out


def _tree(plan: core.Plan, policies: list[DocPolicy]) -> list[TreeNode]:
    by_key = {p.key: p for p in policies if p.key}

    def node(p: core.Policy) -> TreeNode:
        doc = by_key.get(p.key)
        kids = [node(c) for c in p.children]
        kids += [TreeNode(m.heading) for m in (doc.measures if doc else ())]
        return TreeNode(f"{p.key}　{p.title}" if p.key else p.title, kids)

    roots = [node(p) for p in plan.policies]
    loose = [m for p in policies if not p.key for m in p.measures]
    if loose:
        roots.append(TreeNode("その他の施策", [TreeNode(m.heading) for m in loose]))
    return roots


def _gantt_groups(plan: core.Plan, policies: list[DocPolicy]) -> list[tuple[str, list[DocMeasure]]]:
    """The measures grouped by top-level policy (one Gantt chart each, to fit a page)."""
    groups: list[tuple[str, list[DocMeasure]]] = []
    for p in policies:
        if p.depth == 0 or not groups:
            groups.append((p.heading, []))
        groups[-1][1].extend(m for m in p.measures if m.schedule)
    return [(h, ms) for h, ms in groups if ms]


def _coverage(measures: list[DocMeasure], plan: core.Plan) -> Coverage:
    areas = [*PRIORITY_AREAS, PRIORITY_AREA_OTHER]
    codes = [p.code for p in PILLARS]
    counts = [[0] * (len(areas) + 1) for _ in codes]
    totals = [0] * len(codes)
    for m in plan.measures:
        if m.reposted:
            continue
        mine = [p.code for p in m.pillars] or []
        for code in dict.fromkeys(mine):
            i = codes.index(code)
            totals[i] += 1
            if not m.priority_areas:
                counts[i][-1] += 1
            for a in dict.fromkeys(m.priority_areas):
                counts[i][areas.index(a)] += 1
    labels = [f"{p.name}" if p.code != "other" else "その他" for p in PILLARS]
    return Coverage(labels, [*areas, "分野の指定なし"], counts, totals)


def period_text(plan: core.Plan) -> str:
    a, b = plan.period.start_fy, plan.period.end_fy
    if a and b:
        return f"{wareki(a)}～{wareki(b)}（{b - a + 1}年間）"
    if a:
        return f"{wareki(a)}から"
    return plan.period.note or ""


def date_text(published: str | None, fallback: str) -> str:
    """YYYY-MM → 令和7年3月; YYYY → 令和7年; nothing → ``fallback``."""
    if not published:
        return fallback
    year, _, month = published.partition("-")
    y, mo = int(year), int(month or 0)
    if y == 2019 and 0 < mo < 5:  # 令和 began on 1 May 2019
        era, n = "平成", 31
    else:
        era, n = western_to_era(y)
    text = f"{era}{'元' if n == 1 else n}年"
    return f"{text}{mo}月" if mo else text


def build(
    plan: core.Plan, *, contact: Mapping[str, str] | None = None, date: str = "", draft: bool = False
) -> PlanDocument:
    """The document of ``plan``. ``contact``: section / phone / email (問い合わせ先); ``date``: the date
    printed on the cover when the plan states no publication month (the caller's today, 令和8年1月);
    ``draft``: a version not yet published — what a measure does not say yet is printed 【要記入】 (the
    blank for its author) rather than －."""
    pairs = [(m, _measure(m, BLANK if draft else NO_VALUE)) for m in plan.measures]
    policies = _policies(plan, pairs)
    chapters, measures_at = _chapters(plan)
    years = sorted({fy for _m, dm in pairs for fy in dm.schedule})
    a, b = plan.period.start_fy, plan.period.end_fy
    if a and b and b >= a and b - a < 30:
        years = sorted(set(years) | set(range(a, b + 1)))
    c = contact or {}
    lines = [
        (label, c.get(k, "").strip())
        for k, label in (("section", "担当"), ("phone", "電話"), ("email", "電子メール"))
    ]
    lines = [(label, v) for label, v in lines if v]
    n = len(chapters)
    return PlanDocument(
        title=plan.title,
        organisation=plan.organisation.name,
        kinds=[k.value for k in plan.kinds],
        period=period_text(plan),
        date=date_text(plan.published, date),
        years=years,
        chapters=chapters,
        measures_chapter=measures_at,
        policies=policies,
        tree=_tree(plan, policies),
        gantt_groups=_gantt_groups(plan, policies),
        coverage=_coverage([dm for _m, dm in pairs], plan),
        contact=lines,
        gantt_chapter=n + 1,
        coverage_chapter=n + 2,
    )
