"""A validation problem (:class:`keikaku.core.validation.Problem`) as a sentence a clerk reads, naming the
measure and the KPI it is about — 「施策 1-2 の KPI『…』に目標値がありません」 — instead of a JSON path
(``measures[1].kpis[0].targets``) and an English message. Pure: no Django."""

from __future__ import annotations

import re

from keikaku.core.plan import Plan
from keikaku.core.validation import Problem

_PATH = re.compile(r"^measures\[(?P<m>\d+)\](?:\.kpis\[(?P<k>\d+)\])?(?:\.schedule\[(?P<s>\d+)\])?")


def _measure_name(plan: Plan | None, i: int) -> str:
    if plan is None or i >= len(plan.measures):
        return f"{i + 1} 番目の施策"
    ms = plan.measures[i]
    return f"施策 {ms.key}" if ms.key else f"施策『{ms.title}』"


def _where(plan: Plan | None, path: str) -> str:
    m = _PATH.match(path or "")
    if not m:
        return ""
    i = int(m.group("m"))
    where = _measure_name(plan, i)
    if m.group("k") is not None:
        j = int(m.group("k"))
        kpis = plan.measures[i].kpis if plan is not None and i < len(plan.measures) else []
        where += f" の KPI『{kpis[j].indicator}』" if j < len(kpis) else f" の {j + 1} 番目の KPI"
    return where


# (pattern of the English message, the sentence; {where} is the measure / KPI, groups by name)
_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), s)
    for p, s in (
        (r"^empty: no target value$", "{where}に目標値がありません"),
        (r"^no KPI", "{where}に KPI がありません（手引は施策ごとに成果指標を求めています）"),
        (r"^no deadline and no schedule$", "{where}に期限もスケジュールもありません"),
        (r"^a fiscal year appears twice$", "{where}のスケジュールに同じ年度が 2 回あります"),
        (
            r"^target year (?P<y>\d+) is before the baseline year$",
            "{where}の目標年度 {y} が基準値の年度より前です",
        ),
        (r"^(?P<y>\d+) is outside the plan period$", "{where}のスケジュールの {y} 年度が計画期間の外です"),
        (r"^duplicate key '(?P<key>.*)'", "{where}: 施策番号「{key}」が重複しています"),
        (
            r"^no policy with key '(?P<key>.*)'$",
            "{where}の施策体系の番号「{key}」に当たる施策体系がありません",
        ),
        (
            r"^pillar (?P<code>\S+) \((?P<name>.*)\) has no measure$",
            "柱 {code}（{name}）に当たる施策がありません",
        ),
        (r"^no security section", "「セキュリティ及び個人情報の適正な取扱い」の節がありません"),
        (
            r"^start (?P<a>\d+) is after end (?P<b>\d+)$",
            "計画期間の始まり（{a} 年度）が終わり（{b} 年度）より後です",
        ),
    )
)


def problem_sentence(problem: Problem, plan: Plan | None = None) -> str:
    """The problem in a Japanese sentence; one the table does not know keeps its message after the place
    it is about (still without the JSON path)."""
    where = _where(plan, problem.path)
    for pattern, sentence in _SENTENCES:
        m = pattern.match(problem.message)
        if m:
            w = where or "計画"
            w += " " if w[-1:].isascii() and not sentence.startswith("{where}:") else ""
            text = sentence.format(where=w, **m.groupdict())
            return text if text.endswith("。") else text + "。"
    return f"{where or '計画'}: {problem.message}"
