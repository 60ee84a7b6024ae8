"""Drafting a plan from the guide's catalogue (雛型 and 施策例): pure, no database.

``draft_plan(catalogue, organisation=…, start_fy=…, end_fy=…, kinds=…, measure_keys=…)`` gives a plan
document with

- the template's seven chapters in the template's order, their 記載例 text with the placeholders filled:
  〇〇市 / 〇〇町 / 〇〇村 → the organisation's name, 〇〇県 → its prefecture, 本市 → 本村 and 副市長 →
  副村長 for a village,
  平成〇年度から → the period's first year, 平成〇年(度)(末)まで → its last year (in 和暦, core.fiscal);
  every blank that is left becomes ``【要記入】`` (core.compliance reports it);
- one policy per pillar of the picked example measures, and one draft measure per picked example with its
  pillar, 重点分野, national measures, description and schedule text, and a KPI skeleton per KPI line
  (indicator and unit; baseline and targets left for the author).
"""

from __future__ import annotations

import re

from keikaku.core.compliance import BLANK, CHAPTERS
from keikaku.core.fiscal import wareki
from keikaku.core.pillars import PILLAR_BY_CODE
from keikaku.core.plan import (
    Catalogue,
    ExampleMeasure,
    Kpi,
    Measure,
    Organisation,
    Period,
    PillarRef,
    Plan,
    PlanKind,
    Policy,
    Section,
)

_MARU = "〇○◯●△"
_ORG_BLANK = re.compile(rf"[{_MARU}]{{2,}}\s*(市|町|村|区)")
_PREF_BLANK = re.compile(rf"[{_MARU}]{{2,}}\s*(都|道|府|県)")
_ERA = r"(?:平成|令和)"
_N = rf"\s*[{_MARU}]+\s*"
_UNTIL = re.compile(rf"{_ERA}{_N}年(度)?\s*(末)?\s*(まで)")
_FROM = re.compile(rf"{_ERA}{_N}年度?\s*(から|より)")
_ERA_DATE = re.compile(rf"{_ERA}{_N}年(?:度|{_N}月)?")
_YEARS = re.compile(rf"{_N}年間")
_LEFT = re.compile(rf"[{_MARU}]+")
_OWN = re.compile(r"本(市|町|村)")
# the template is written for a city: 副市長, 市民, 市役所 … in a town or village (not 市町村)
_CITY_WORDS = re.compile(r"(?<![都道府県区町村])市(?=長|民|役所|議会|政|職員)")
_TITLE_ORG = re.compile(r"^(?:[〇○◯]{2})?(市|町|村)(?=官民|の|における)")

PLAN_TITLES = {
    PlanKind.KANMIN_DATA: "官民データ活用推進計画",
    PlanKind.JOHOKA: "情報化推進計画",
    PlanKind.DX: "DX推進計画",
}

# units a KPI line names (…件数 → 件); the first that fits
_UNITS: tuple[tuple[str, str], ...] = (
    ("率", "%"),
    ("割合", "%"),
    ("件数", "件"),
    ("回数", "回"),
    ("人数", "人"),
    ("者数", "人"),
    ("台数", "台"),
    ("学校数", "校"),
    ("校数", "校"),
    ("言語数", "言語"),
    ("手続数", "手続"),
    ("団体数", "団体"),
    ("事例数", "件"),
    ("種類", "種類"),
    ("数", "件"),
)


def _suffix(name: str) -> str:
    return name[-1] if name and name[-1] in "市町村区" else "市"


def fill(text: str, *, organisation: Organisation, start_fy: int, end_fy: int) -> str:
    """The catalogue's text with its placeholders filled from the choices; every other blank → 【要記入】."""
    name = organisation.name
    out = _ORG_BLANK.sub(name, text)
    out = _PREF_BLANK.sub(organisation.prefecture or BLANK, out)
    out = _OWN.sub(f"本{_suffix(name)}", out)
    if _suffix(name) != "市":
        out = _CITY_WORDS.sub(_suffix(name), out)
    out = _UNTIL.sub(
        lambda m: f"{wareki(end_fy, '年度')}{'末' if m.group(2) else ''}{m.group(3)}",
        out,
    )
    out = _FROM.sub(lambda m: f"{wareki(start_fy, '年度')}{m.group(1)}", out)
    out = _YEARS.sub(f"{end_fy - start_fy + 1}年間", out)
    out = _ERA_DATE.sub(BLANK, out)
    return _LEFT.sub(BLANK, out)


def fill_title(title: str, *, organisation: Organisation, start_fy: int, end_fy: int) -> str:
    """A template chapter's title: 市の現状及び課題 → ひなた村の現状及び課題."""
    t = _TITLE_ORG.sub(organisation.name, title.strip())
    return fill(t, organisation=organisation, start_fy=start_fy, end_fy=end_fy)


def plan_title(organisation: Organisation, kinds: list[PlanKind]) -> str:
    """ひなた村官民データ活用推進計画（兼 ひなた村DX推進計画）."""
    also = [k for k in kinds if k != PlanKind.KANMIN_DATA]
    base = f"{organisation.name}{PLAN_TITLES[PlanKind.KANMIN_DATA]}"
    if not also:
        return base
    return base + "（兼 " + "・".join(f"{organisation.name}{PLAN_TITLES[k]}" for k in also) + "）"


def _unit(indicator: str) -> str | None:
    t = re.sub(r"[（(].*?[)）]", "", indicator).strip()
    for word, unit in _UNITS:
        if t.endswith(word):
            return unit
    return None


def kpi_skeleton(example: ExampleMeasure, **ctx) -> list[Kpi]:
    """One KPI per line of the example's <KPI>: the indicator and its unit; values left for the author."""
    out = []
    for line in example.kpi_text.splitlines():
        line = line.strip().lstrip("・").strip()
        if line:
            indicator = fill(line, **ctx)
            out.append(Kpi(indicator=indicator, unit=_unit(line)))
    return out


def pillar_policy_key(code: str) -> str:
    return {"A": "1", "B": "2", "C": "3", "D": "4", "E": "5"}.get(code, "6")


def _pillar_title(code: str) -> str:
    p = PILLAR_BY_CODE[code]
    return "その他の取組" if code == "other" else f"{p.name}に係る取組（{p.short}）"


def example_measure(example: ExampleMeasure, **ctx) -> Measure:
    """The draft measure an example becomes: its pillar, 重点分野, national measures, text and KPI skeleton."""
    description = fill(example.description, **ctx)
    schedule = fill(example.schedule_text, **ctx).strip()
    if schedule:
        description = (description + "\n\n" if description else "") + "〈スケジュール〉\n" + schedule
    codes = [r.code for r in example.pillars] or ["other"]
    return Measure(
        key=example.key,
        policy_key=pillar_policy_key(codes[0]),
        title=fill(example.title, **ctx),
        description=description,
        pillars=[PillarRef(code=c) for c in codes],
        priority_areas=list(example.priority_areas),
        kpis=kpi_skeleton(example, **ctx),
        national_measures=list(example.national_measures),
    )


def chapter_sections(catalogue: Catalogue, **ctx) -> list[Section]:
    """The seven chapters in the template's order, with the 記載例 filled; a chapter the catalogue lacks
    comes with its name and a blank for the author."""
    out = []
    by_kind = {s.kind: s for s in catalogue.template_sections if s.kind}
    for i, chapter in enumerate(CHAPTERS, start=1):
        s = by_kind.get(chapter.kind)
        if s is None:
            out.append(Section(key=str(i), title=chapter.ja, kind=chapter.kind, text=BLANK))
            continue
        out.append(chapter_section(s, key=str(i), **ctx))
    return out


def chapter_section(s: Section, *, key: str | None = None, **ctx) -> Section:
    return Section(
        key=key if key is not None else s.key,
        title=fill_title(s.title, **ctx),
        kind=s.kind,
        text=fill(s.text, **ctx).strip() or BLANK,
    )


def draft_plan(
    catalogue: Catalogue,
    *,
    organisation: Organisation,
    start_fy: int,
    end_fy: int,
    kinds: list[PlanKind],
    measure_keys: list[str],
) -> Plan:
    """A draft plan from the catalogue: the chapters and the picked example measures (in the catalogue's
    order). Unknown keys raise ValueError."""
    if end_fy < start_fy:
        raise ValueError("計画期間の終わりが始まりより前です")
    kinds = [PlanKind.KANMIN_DATA, *(k for k in kinds if k != PlanKind.KANMIN_DATA)]
    known = {m.key for m in catalogue.measures}
    unknown = [k for k in measure_keys if k not in known]
    if unknown:
        raise ValueError("手引にない施策例です: " + "、".join(unknown))
    ctx = {"organisation": organisation, "start_fy": start_fy, "end_fy": end_fy}
    wanted = set(measure_keys)
    measures = [example_measure(ex, **ctx) for ex in catalogue.measures if ex.key in wanted]
    codes = sorted({pillar_policy_key(m.pillars[0].code): m.pillars[0].code for m in measures}.items())
    policies = [Policy(key=key, title=_pillar_title(code), pillars=[code]) for key, code in codes]
    return Plan(
        title=plan_title(organisation, kinds),
        organisation=organisation,
        kinds=kinds,
        period=Period(start_fy=start_fy, end_fy=end_fy),
        version="1.0",
        sections=chapter_sections(catalogue, **ctx),
        policies=policies,
        measures=measures,
    )
