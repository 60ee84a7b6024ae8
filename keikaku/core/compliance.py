"""Compliance with the national guide (市町村官民データ活用推進計画策定の手引): pure rules on a plan.

Every rule has an id (``security-chapter``) and the part of the guide it comes from (``総論9``, ``雛型3``);
every finding says what is missing in Japanese (and in English for ``--lang en``)::

    [security-chapter] 総論9: 「セキュリティ及び個人情報の適正な取扱い」の章がありません

The rules, by the guide's own parts:

- 総論4 — a plan period (計画期間) and a contact (問い合わせ先); a plan that also serves as an 情報化推進計画 or
  a DX推進計画 (兼, パターン2) carries each kind's own content too;
- 総論6 — all five pillars (基本的な方針) have a measure; each measure has a concrete target and the year it
  is reached (具体的な目標及びその達成の時期);
- 総論7 — the national measures a measure is linked to exist in the catalogue, and a measure taken from a
  ◎ example keeps its national-measure links;
- 総論9 — a chapter on security and personal information;
- 雛型1–6 — the template's other six chapters (現状及び課題 … 個別施策), found by meaning: the chapter's
  kind, or any of its words in a section title or a heading inside a section;
- 雛型 — no blank left for the author (``【要記入】``, what a draft from the catalogue leaves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from keikaku.core.chapters import CHAPTER_WORDS, chapter_kinds
from keikaku.core.pillars import PILLARS
from keikaku.core.plan import Catalogue, Measure, Plan, PlanKind, Section, iter_policies
from keikaku.core.text import squash

BLANK = "【要記入】"  # what a draft leaves where the author still has to write
Lang = str  # "ja" | "en"


@dataclass(frozen=True)
class Rule:
    id: str
    section: str  # the part of the guide: 総論4, 総論6, 雛型3 …
    ja: str  # what the rule asks, in Japanese
    en: str


@dataclass(frozen=True)
class Chapter:
    """One of the template's seven chapters (雛型の章): its kind, number, name and the words that mean it
    (``core/chapters.py``, read by the import's section reader too)."""

    kind: str
    number: int
    ja: str
    en: str
    words: tuple[str, ...]


# the template's seven chapters; the words that mean each are the one list in core/chapters.py
CHAPTERS: tuple[Chapter, ...] = tuple(
    Chapter(kind, number, ja, en, CHAPTER_WORDS[kind])
    for kind, number, ja, en in (
        ("situation", 1, "現状及び課題", "current situation and issues"),
        ("purpose", 2, "計画の目的", "purpose"),
        ("position", 3, "計画の位置付け", "position among other plans"),
        ("structure", 4, "推進体制", "promotion structure"),
        ("policy", 5, "施策の基本的な方針", "basic policies"),
        ("measures", 6, "個別施策", "individual measures"),
        ("security", 7, "セキュリティ及び個人情報の適正な取扱い", "security and personal information"),
    )
)
CHAPTER_BY_KIND: dict[str, Chapter] = {c.kind: c for c in CHAPTERS}
_TEMPLATE_KINDS = tuple(CHAPTER_BY_KIND)

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("period", "総論4", "計画期間を定める", "a plan period"),
        Rule("contact", "総論4", "問い合わせ先とともに公開する", "published with a contact"),
        *(
            Rule(
                f"chapter-{c.kind}",
                f"雛型{c.number}",
                f"「{c.ja}」の章を設ける",
                f"a chapter on the {c.en}",
            )
            for c in CHAPTERS
            if c.kind != "security"
        ),
        Rule(
            "security-chapter",
            "総論9",
            "サイバーセキュリティ及び個人情報の適正な取扱いの確保を記載する",
            "a chapter on security and personal information",
        ),
        Rule(
            "pillar-coverage", "総論6", "5 つの柱すべてに施策を置く", "a measure for each of the five pillars"
        ),
        Rule("measure-kpi", "総論6", "施策ごとに具体的な目標を定める", "a concrete target for each measure"),
        Rule("kpi-target", "総論6", "KPI に目標値を定める", "a target value for each KPI"),
        Rule("kpi-target-year", "総論6", "目標の達成の時期を定める", "the year each target is reached"),
        Rule(
            "national-measure",
            "総論7",
            "国の施策との整合（手引の国の施策一覧にある施策と結び付ける）",
            "links to national measures that exist in the guide",
        ),
        Rule(
            "national-measure-missing",
            "総論7",
            "◎の施策例から選んだ施策は対応する国の施策と結び付ける",
            "a measure taken from a ◎ example keeps its national measures",
        ),
        Rule("blank", "雛型", "記載例の空欄（【要記入】）を埋める", "fill in the template's blanks"),
        Rule(
            "kind-johoka",
            "総論4",
            "情報化推進計画を兼ねるときは、施策ごとに担当部署を定める",
            "a combined 情報化推進計画 names a department for each measure",
        ),
        Rule(
            "kind-dx",
            "総論4",
            "DX推進計画を兼ねるときは、自治体DXの重点取組を施策に含める",
            "a combined DX plan covers the focus areas of municipal DX",
        ),
    )
}

# 自治体DX推進計画 (総務省) の重点取組事項: a DX plan has a measure (or, for security, a chapter) for each
DX_FOCUS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "情報システムの標準化・共通化",
        "standardised information systems",
        ("標準化", "共通化", "ガバメントクラウド"),
    ),
    (
        "マイナンバーカードの普及促進",
        "My Number Card",
        ("マイナンバーカード", "個人番号カード", "マイナンバー"),
    ),
    ("行政手続のオンライン化", "online procedures", ("オンライン", "電子申請", "電子化")),
    ("AI・RPAの利用推進", "AI and RPA", ("AI", "RPA", "人工知能")),
    ("テレワークの推進", "telework", ("テレワーク", "リモートワーク", "在宅勤務")),
    ("セキュリティ対策の徹底", "security", ("セキュリティ",)),
)


@dataclass(frozen=True)
class Finding:
    """One thing the guide asks for that the plan does not have yet."""

    rule: Rule
    ja: str
    en: str
    path: str = ""  # where in the plan JSON (sections, measures[3].kpis[0]); never shown to a clerk
    fix: str = ""  # what the draft can add from the catalogue: "chapter:security", "pillar:B"

    def message(self, lang: Lang = "ja") -> str:
        return self.en if lang == "en" else self.ja

    def line(self, lang: Lang = "ja") -> str:
        """``[security-chapter] 総論9: 「セキュリティ…」の章がありません`` — the line `keikaku validate` prints."""
        return f"[{self.rule.id}] {self.rule.section}: {self.message(lang)}"


def _norm(text: str) -> str:
    return squash(text or "")


_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s*(.+)$", re.MULTILINE)


def section_kinds(section: Section) -> set[str]:
    """The template chapters a section is: its kind, the chapter words in its title, and those in the
    headings inside its text (a 計画の概要 with ## 計画の目的 and ## 計画の期間 is a purpose chapter)."""
    kinds = {section.kind} if section.kind in CHAPTER_BY_KIND else set()
    titles = [section.title, *(_HEADING_LINE.findall(section.text or ""))]
    for title in titles:
        kinds |= chapter_kinds(title, _TEMPLATE_KINDS)
    return kinds


# a statement in the body that is the chapter's content, when the heading that said so was lost (an
# imported plan keeps the sub-headings of a chapter only as text, or not at all)
_STATEMENTS: dict[str, re.Pattern[str]] = {
    "purpose": re.compile(
        r"(?:本計画|この計画)(?:の目的は|[は、][^。]{0,100}目的と(?:する|します|しています))"
    ),
    "position": re.compile(r"(?:本計画|この計画)[はを][^。]{0,80}(?:位置付け|位置づけ)"),
}


def chapters_present(plan: Plan) -> set[str]:
    """The template chapters the plan has, by meaning: a section's kind, the chapter's words in a section
    title or a heading inside a section, a statement in a section's text that is the chapter's content
    (本計画は…として位置付ける / 本計画は…を目的とする), and the policy tree: it is the 基本的な方針, a policy given
    to security (人材育成と情報セキュリティ対策の強化) covers 総論9, and the measures are the 個別施策 (an
    imported plan keeps them structured, not as narrative)."""
    found: set[str] = set()
    for s in plan.sections:
        found |= section_kinds(s)
        text = _norm(s.text)
        found |= {kind for kind, pattern in _STATEMENTS.items() if pattern.search(text)}
    if plan.policies:
        found.add("policy")
        security = CHAPTER_BY_KIND["security"].words
        if any(_norm(w) in _norm(p.title) for _d, p in iter_policies(plan.policies) for w in security):
            found.add("security")
    if plan.measures:
        found.add("measures")
    return found


def _title(m: Measure) -> str:
    t = m.title if len(m.title) <= 40 else m.title[:39] + "…"
    return f"{m.key} {t}" if m.key else t


def _t(s: str) -> str:
    return s if len(s) <= 30 else s[:29] + "…"


def _measure_text(m: Measure) -> str:
    return _norm(" ".join([m.title, m.description, *(k.indicator for k in m.kpis)]))


def _catalogue_index(catalogue: Catalogue | None) -> tuple[set[str], dict[str, list[str]]]:
    if catalogue is None:
        return set(), {}
    national = {_norm(n) for ex in catalogue.measures for n in ex.national_measures}
    by_title = {_norm(ex.title): ex.national_measures for ex in catalogue.measures if ex.national_measures}
    return national, by_title


def check_plan(plan: Plan, *, catalogue: Catalogue | None = None) -> list[Finding]:
    """Everything the guide asks for that ``plan`` lacks, in the guide's order. The 総論7 rules need the
    ``catalogue`` (the imported guide); without one they are not checked."""
    out: list[Finding] = []

    def add(rule: str, ja: str, en: str, path: str = "", fix: str = "") -> None:
        out.append(Finding(RULES[rule], ja, en, path, fix))

    # 総論4: a period and a contact
    p = plan.period
    if not p.start_fy or not (p.end_fy or p.note):
        add(
            "period",
            "計画期間（開始と終了の年度）がありません",
            "the plan has no period (first and last year)",
            "period",
        )
    contact = plan.contact
    if contact is None or not any((contact.section, contact.phone, contact.email)):
        add(
            "contact",
            "問い合わせ先（担当課・電話・電子メール）がありません",
            "the plan has no contact",
            "contact",
        )

    # 雛型 1–6 and 総論9: the chapters, by meaning
    present = chapters_present(plan)
    for c in CHAPTERS:
        if c.kind in present:
            continue
        rule = "security-chapter" if c.kind == "security" else f"chapter-{c.kind}"
        add(rule, f"「{c.ja}」の章がありません", f"no chapter on the {c.en}", "sections", f"chapter:{c.kind}")

    # 総論6: five pillars, a concrete target and its year for each measure
    covered = {r.code for m in plan.measures for r in m.pillars}
    for pillar in PILLARS:
        if pillar.code != "other" and pillar.code not in covered:
            add(
                "pillar-coverage",
                f"柱「{pillar.name}（{pillar.short}）」の施策がありません",
                f"no measure for pillar {pillar.code} ({pillar.short})",
                "measures",
                f"pillar:{pillar.code}",
            )
    for i, m in enumerate(plan.measures):
        if m.reposted:
            continue  # 再掲: the target is where the measure is first written
        if not m.kpis:
            add(
                "measure-kpi",
                f"施策「{_title(m)}」に具体的な目標（KPI）がありません",
                f"measure “{_title(m)}” has no concrete target (KPI)",
                f"measures[{i}].kpis",
            )
        for j, k in enumerate(m.kpis):
            if not [t for t in k.targets if t.value.strip()]:
                add(
                    "kpi-target",
                    f"施策「{_title(m)}」の KPI「{_t(k.indicator)}」に目標値がありません",
                    f"KPI “{_t(k.indicator)}” of measure “{_title(m)}” has no target value",
                    f"measures[{i}].kpis[{j}].targets",
                )
            elif m.deadline_fy is None and any(t.fiscal_year is None for t in k.targets):
                add(
                    "kpi-target-year",
                    f"施策「{_title(m)}」の KPI「{_t(k.indicator)}」の目標に達成の時期（年度）がありません",
                    f"a target of KPI “{_t(k.indicator)}” of measure “{_title(m)}” has no year",
                    f"measures[{i}].kpis[{j}].targets",
                )

    # 総論7: national measures that exist in the catalogue
    national, by_title = _catalogue_index(catalogue)
    if catalogue is not None:
        for i, m in enumerate(plan.measures):
            for name in m.national_measures:
                if _norm(name) not in national:
                    add(
                        "national-measure",
                        f"施策「{_title(m)}」の国の施策「{_t(name)}」は手引の国の施策一覧にありません",
                        f"national measure “{_t(name)}” of “{_title(m)}” is not in the guide",
                        f"measures[{i}].national_measures",
                    )
            if not m.national_measures and by_title.get(_norm(m.title)):
                add(
                    "national-measure-missing",
                    f"◎の施策例「{_title(m)}」に対応する国の施策が結び付けられていません",
                    f"measure “{_title(m)}” comes from a ◎ example but links no national measure",
                    f"measures[{i}].national_measures",
                )

    # 雛型: blanks left for the author
    for s in plan.sections:
        n = (s.title + s.text).count(BLANK)
        if n:
            add(
                "blank",
                f"章「{_t(s.title)}」に記入されていない箇所（{BLANK}）が {n} か所あります",
                f"chapter “{_t(s.title)}” has {n} blank(s) left ({BLANK})",
                "sections",
            )
    for i, m in enumerate(plan.measures):
        n = sum(x.count(BLANK) for x in (m.title, m.description, *(k.indicator for k in m.kpis)))
        if n:
            add(
                "blank",
                f"施策「{_title(m)}」に記入されていない箇所（{BLANK}）が {n} か所あります",
                f"measure “{_title(m)}” has {n} blank(s) left ({BLANK})",
                f"measures[{i}]",
            )

    # 総論4 (パターン2): a plan that also serves as another kind carries that kind's content
    if PlanKind.JOHOKA in plan.kinds:
        orphans = [m for m in plan.measures if not m.departments and not m.reposted]
        if orphans:
            names = "、".join(f"「{_title(m)}」" for m in orphans[:3]) + (" ほか" if len(orphans) > 3 else "")
            add(
                "kind-johoka",
                f"情報化推進計画として、担当部署が決まっていない施策が {len(orphans)} 件あります（{names}）",
                f"as an 情報化推進計画, {len(orphans)} measure(s) name no department",
                "measures",
            )
    if PlanKind.DX in plan.kinds:
        texts = [_measure_text(m) for m in plan.measures]
        for ja, en, words in DX_FOCUS:
            if ja.startswith("セキュリティ") and "security" in present:
                continue
            if not any(_norm(w) in t for t in texts for w in words):
                add(
                    "kind-dx",
                    f"DX推進計画として、重点取組「{ja}」に当たる施策がありません",
                    f"as a DX plan, no measure on the focus area “{en}”",
                    "measures",
                )
    return out


def lines(findings: Iterable[Finding], lang: Lang = "ja") -> list[str]:
    return [f.line(lang) for f in findings]


@dataclass(frozen=True)
class RuleGroup:
    """The findings of one rule, for the panel: the rule, its findings, how many."""

    rule: Rule
    findings: tuple[Finding, ...]

    @property
    def count(self) -> int:
        return len(self.findings)


def grouped(findings: Iterable[Finding]) -> list[RuleGroup]:
    """Findings by rule, in the rules' order (the panel shows one group per rule)."""
    by: dict[str, list[Finding]] = {}
    for f in findings:
        by.setdefault(f.rule.id, []).append(f)
    return [RuleGroup(RULES[rid], tuple(by[rid])) for rid in RULES if rid in by]
