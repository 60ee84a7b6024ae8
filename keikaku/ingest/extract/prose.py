"""A schedule written as prose in a measure's description:

    令和6年度に検討し、令和7年度から運用します。                  → 2024 検討, 2025… 運用 (to the plan's end)
    令和6年度から令和7年度にかけて実証実験を行い、令和8年度に本格導入します。
                                                                   → 2024–2025 実証実験, 2026 本格導入

Only a year followed by に / から / にかけて and a verb phrase counts; "令和7年度までに…" is a deadline
(kpi.parse_deadline), not a schedule, and a year inside a KPI value is no phase.
"""

from __future__ import annotations

import re

from keikaku.core.fiscal import find_years
from keikaku.core.plan import ScheduleEntry
from keikaku.core.schedule import normalise_phase
from keikaku.ingest.extract.common import one_year_form

# what follows a year: a range end, an open start, or a single year
_PARTICLE = re.compile(r"^\s*(?P<p>にかけて|から|より|以降|に|中に|には|内に)\s*(?P<rest>[^。]*)")
_RANGE_JOIN = re.compile(r"^\s*(?:から|～|〜|~|－|-)\s*$")
_GENERIC_VERB = re.compile(r"^(?:行[いうえっ]|実施|進め|図[りる]|取り組[みむ])")
_VERB_END = re.compile(
    r"(?:を?開始)?(?:します|する|し|して|していきます|していく|いたします|を行います|を行い|を行う|"
    r"を実施します|を実施し|を進めます|を進め|予定です|予定|します予定)$"
)
_NOT_PHASE = re.compile(r"[0-9]|目標|達成|までに|件|人|%|％")


def _phase(rest: str) -> str | None:
    """'実証実験を行い' → 実証実験; '新システムを運用します' → 運用; '検討し' → 検討."""
    s = rest.strip(" 　")
    if not s or _NOT_PHASE.search(s):
        return None
    if not _VERB_END.search(s):
        return None  # no verb closing the clause: a noun phrase, not a phase
    noun = False
    if "を" in s:
        before, _, after = s.rpartition("を")
        noun = bool(_GENERIC_VERB.match(after))
        s = before.rsplit("の", 1)[-1] if noun else after
    if not noun:  # '見直しを行い' → 見直し (a noun before を keeps its し); '検討し' → 検討
        s = _VERB_END.sub("", s)
    s = s.strip(" 　")
    if not (1 <= len(s) <= 12) or re.search(r"[をがはでへとに]|した|された", s):
        return None
    return s


def prose_schedule(text: str, end_fy: int | None = None) -> list[ScheduleEntry]:
    """Schedule entries from sentences in a description; [] when it has no phase sentence."""
    out: dict[int, str] = {}
    for sentence in re.split(r"[。\n]", one_year_form(text)):
        years = find_years(sentence)
        n = 0
        while n < len(years):
            y = years[n]
            start, stop = y.year, y.year
            tail_from = y.end
            if n + 1 < len(years) and _RANGE_JOIN.match(sentence[y.end : years[n + 1].start]):
                stop = years[n + 1].year  # 令和6年度から令和7年度にかけて
                tail_from = years[n + 1].end
                n += 1
            n += 1
            upto = years[n].start if n < len(years) else len(sentence)
            m = _PARTICLE.match(sentence[tail_from:upto])
            if not m:
                continue
            # the clause up to the next year: '本格実施、拡充を行い、' → '本格実施、拡充を行い'
            phase = _phase(m.group("rest").rstrip(" 、,"))
            if phase is None:
                continue
            if m.group("p") in ("から", "より", "以降") and stop == start:
                stop = max(start, end_fy or start)
            for fy in range(start, stop + 1):
                out.setdefault(fy, phase)
    return [
        ScheduleEntry(fiscal_year=fy, written=w, phase=normalise_phase(w)) for fy, w in sorted(out.items())
    ]
