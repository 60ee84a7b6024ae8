"""Score an extracted plan against an expected one, with the same rules as the shared import scorer
(../shared/eval/README.md), written here so the harness needs nothing outside the repository:

- measures are paired one-to-one by title (NFKC, no whitespace, no leading list marker), greedily by
  descending similarity (difflib ratio) at or above 0.8 → measure F1;
- on paired measures: pillars (the code sets are equal; only where the expected plan states pillars),
  KPI F1 (indicators paired the same way), KPI target (the latest target's value equals, where expected
  has one) and target year, baseline, department F1 (sets), schedule (every expected fiscal year whose
  phase as written equals the extracted one; spaces, arrows and 、 ignored, a lone mark kept);
- plus two figures the shared scorer does not print: title and period (start and end fiscal year).

Counts are kept in a :class:`Tally` so documents add up per format, per layout and overall.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

PILLAR_CODES = {"A", "B", "C", "D", "E", "other"}
COLUMNS = ["measure_f1", "pillars", "kpi_f1", "kpi_target", "kpi_year", "dept_f1", "schedule"]
THRESHOLD = 0.8

# a leading list marker: (1) 1. 1、 ① ア) and bullets — the same set the shared scorer drops
_LEAD = re.compile(r"^\s*(?:[(（]?[0-9０-９ivxIVX]+[)）.．、]|[①-⑳㉑-㉟]|[ア-ン][)）]|[・●○◎■◆▶※-])\s*")
_TAGS = re.compile(r"<[^>]+>")
_WS = re.compile(r"\s+")
_JOINERS = re.compile(r"[→⇒⇨➡＞>\-－―ー〜～…]+")


def norm(text: object) -> str:
    if text is None:
        return ""
    s = _TAGS.sub("", unicodedata.normalize("NFKC", str(text)))
    s = _LEAD.sub("", s)
    s = _LEAD.sub("", s)
    return _WS.sub("", s)


def norm_phase(text: object) -> str | None:
    if text is None:
        return None
    s = _WS.sub("", _TAGS.sub("", unicodedata.normalize("NFKC", str(text))))
    words = _JOINERS.sub("", s).replace("、", "").replace(",", "")
    return words or s or None


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def pair(left: list[str], right: list[str], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j), the most similar first."""
    cands = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if a != b and difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio() < threshold:
                continue
            s = similarity(a, b)
            if s >= threshold:
                cands.append((s, i, j))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    seen_i: set[int] = set()
    seen_j: set[int] = set()
    out = []
    for _, i, j in cands:
        if i not in seen_i and j not in seen_j:
            seen_i.add(i)
            seen_j.add(j)
            out.append((i, j))
    return out


# ---- reading either side (the expected form, or the plan JSON the importer writes) -----------


def _value(x: object) -> object:
    return x.get("value", x.get("text")) if isinstance(x, dict) else x


def read_kpi(k: dict) -> dict:
    target, year = k.get("target"), k.get("target_year")
    if target is None and k.get("targets"):
        dated = [t for t in k["targets"] if isinstance(t, dict)]
        if dated:
            target = max(dated, key=lambda t: t.get("fiscal_year") or 0)
    if isinstance(target, dict):
        year = year or target.get("fiscal_year")
    return {"indicator": k.get("indicator") or k.get("name") or "", "target": _value(target),
            "target_year": year, "baseline": _value(k.get("baseline"))}  # fmt: skip


def read_schedule(s: object) -> dict[str, object]:
    if isinstance(s, dict):
        return {str(k): v for k, v in s.items()}
    out: dict[str, object] = {}
    for e in s or []:
        if isinstance(e, dict) and e.get("fiscal_year") is not None:
            out[str(e["fiscal_year"])] = next(
                (e[k] for k in ("written", "raw", "text", "phase") if e.get(k) not in (None, "")), None
            )
    return out


def read_measures(doc: dict) -> list[dict]:
    out = []
    for m in doc.get("measures") or []:
        pillars = [p.get("code") if isinstance(p, dict) else p for p in m.get("pillars") or []]
        out.append({
            "title": m.get("title") or "",
            "pillars": {p for p in pillars if p in PILLAR_CODES},
            "kpis": [read_kpi(k) for k in m.get("kpis") or [] if isinstance(k, dict)],
            "departments": {norm(d.get("name") if isinstance(d, dict) else d) for d in m.get("departments") or []},
            "schedule": read_schedule(m.get("schedule")),
        })  # fmt: skip
    return out


# ---- counting -------------------------------------------------------------------------------


class Tally:
    """Counts (good, total) per figure; documents and groups add up with +=."""

    def __init__(self) -> None:
        self.n: dict[str, list[float]] = {}
        self.docs = 0
        self.empty = 0
        self.errors = 0

    def add(self, key: str, good: float, total: float = 0.0) -> None:
        c = self.n.setdefault(key, [0.0, 0.0])
        c[0] += good
        c[1] += total

    def __iadd__(self, other: Tally) -> Tally:
        for k, (a, b) in other.n.items():
            self.add(k, a, b)
        self.docs += other.docs
        self.empty += other.empty
        self.errors += other.errors
        return self

    def get(self, key: str) -> float:
        return self.n.get(key, [0.0, 0.0])[0]

    def ratio(self, key: str) -> float | None:
        good, total = self.n.get(key, [0.0, 0.0])
        return None if not total else good / total

    def f1(self, name: str) -> float | None:
        tp, gold, pred = self.get(f"{name}_tp"), self.get(f"{name}_gold"), self.get(f"{name}_pred")
        if not gold and not pred:
            return None
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def totals(self) -> dict[str, float | None]:
        return {
            "measure_f1": self.f1("measure"), "pillars": self.ratio("pillars"), "kpi_f1": self.f1("kpi"),
            "kpi_target": self.ratio("kpi_target"), "kpi_year": self.ratio("kpi_year"),
            "kpi_baseline": self.ratio("kpi_baseline"), "dept_f1": self.f1("dept"),
            "schedule": self.ratio("schedule"), "title": self.ratio("title"), "period": self.ratio("period"),
        }  # fmt: skip


def score(expected: dict, extracted: dict | None, *, error: bool = False) -> Tally:
    """One document's counts (extracted None or error: nothing was read)."""
    t = Tally()
    t.docs = 1
    t.errors = int(error)
    extracted = extracted or {}
    gm, pm = read_measures(expected), read_measures(extracted)
    t.empty = int(not pm)
    pairs = pair([norm(m["title"]) for m in gm], [norm(m["title"]) for m in pm])
    t.add("measure_tp", len(pairs))
    t.add("measure_gold", len(gm))
    t.add("measure_pred", len(pm))
    for i, j in pairs:
        g, p = gm[i], pm[j]
        if g["pillars"]:
            t.add("pillars", g["pillars"] == p["pillars"], 1)
        kp = pair([norm(k["indicator"]) for k in g["kpis"]], [norm(k["indicator"]) for k in p["kpis"]])
        t.add("kpi_tp", len(kp))
        t.add("kpi_gold", len(g["kpis"]))
        t.add("kpi_pred", len(p["kpis"]))
        for a, b in kp:
            gk, pk = g["kpis"][a], p["kpis"][b]
            if gk["target"] not in (None, ""):
                t.add("kpi_target", norm(gk["target"]) == norm(pk["target"]), 1)
            if gk["target_year"] is not None:
                t.add("kpi_year", str(gk["target_year"]) == str(pk["target_year"]), 1)
            if gk["baseline"] not in (None, ""):
                t.add("kpi_baseline", norm(gk["baseline"]) == norm(pk["baseline"]), 1)
        gd, pd = g["departments"], p["departments"]
        t.add("dept_tp", len(gd & pd))
        t.add("dept_gold", len(gd))
        t.add("dept_pred", len(pd))
        for fy, written in g["schedule"].items():
            if written not in (None, ""):
                t.add("schedule", norm_phase(written) == norm_phase(p["schedule"].get(fy)), 1)
    if expected.get("title"):
        got = norm(extracted.get("title"))
        want = norm(expected["title"])
        t.add("title", bool(got) and (want in got or got in want), 1)
    period = expected.get("period") or {}
    if period.get("start_fy"):
        got = extracted.get("period") or {}
        t.add(
            "period",
            got.get("start_fy") == period["start_fy"] and got.get("end_fy") == period.get("end_fy"),
            1,
        )
    return t


def diff(expected: dict, extracted: dict | None) -> list[str]:
    """What differs, one line each (for failure messages and --dump inspection)."""
    out = []
    gm, pm = read_measures(expected), read_measures(extracted or {})
    pairs = dict(pair([norm(m["title"]) for m in gm], [norm(m["title"]) for m in pm]))
    used = set(pairs.values())
    for i, g in enumerate(gm):
        if i not in pairs:
            out.append(f"missing measure: {g['title']}")
            continue
        p = pm[pairs[i]]
        if g["departments"] != p["departments"]:
            out.append(f"{g['title']}: departments {sorted(g['departments'])} ≠ {sorted(p['departments'])}")
        if g["pillars"] and g["pillars"] != p["pillars"]:
            out.append(f"{g['title']}: pillars {sorted(g['pillars'])} ≠ {sorted(p['pillars'])}")
        gk = sorted((norm(k["indicator"]), norm(k["target"]), k["target_year"]) for k in g["kpis"])
        pk = sorted((norm(k["indicator"]), norm(k["target"]), k["target_year"]) for k in p["kpis"])
        if gk != pk:
            out.append(f"{g['title']}: kpis {gk} ≠ {pk}")
        gs = {y: norm_phase(w) for y, w in g["schedule"].items()}
        ps = {y: norm_phase(p["schedule"].get(y)) for y in gs}
        if gs != ps:
            out.append(f"{g['title']}: schedule {gs} ≠ {ps}")
    out += [f"extra measure: {p['title']}" for j, p in enumerate(pm) if j not in used]
    return out


def fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"
