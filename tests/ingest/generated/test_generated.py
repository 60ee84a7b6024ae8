"""The importer on generated fictional plans (tests/ingest/generated): a fixed seed set scored against
the plans the generator wrote, metamorphic checks (the same plan in another wording, numbering or format
gives the same extracted plan), and checks of the generator itself.

Seeds 0–39 are the development set; scripts/bench_generalise.py scores the held-out seeds (1000–1299)
that nobody tunes on. The thresholds are the goal, not today's figures.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from keikaku.ingest import import_document
from tests.ingest.generated import grammar, render
from tests.ingest.generated.expected import expected_plan, well_formed
from tests.ingest.generated.score import COLUMNS, Tally, diff, fmt, norm, norm_phase, score

SEEDS = range(40)
MINIMUM = {"measure_f1": 0.97, "kpi_f1": 0.95, "schedule": 0.95}
METAMORPHIC_SEEDS = [2, 5, 11, 16, 23, 34]


def extract(path: Path) -> dict | None:
    """The plan JSON as `keikaku import X --to json` prints it (services.plans.dump_document)."""
    try:
        doc = import_document(path)
    except Exception:  # a reader error is a document that gave nothing
        return None
    return doc.model_dump(mode="json", exclude_none=True)


def run(plan: grammar.GenPlan, directory: Path, stem: str | None = None) -> dict | None:
    return extract(render.write(plan, directory, stem))


# ---- the fixed development set ---------------------------------------------------------------


def test_generated_plans_are_read(tmp_path: Path) -> None:
    total = Tally()
    notes = []
    for seed in SEEDS:
        plan = grammar.generate(seed)
        want = expected_plan(plan)
        got = run(plan, tmp_path)
        t = score(want, got, error=got is None)
        total += t
        r = t.totals()
        if any((r[c] is not None and r[c] < MINIMUM.get(c, 0.95)) for c in COLUMNS):
            first = diff(want, got)[:3] if got else ["import failed"]
            notes.append(f"seed {seed} {plan.style.layout}/{plan.style.fmt}: " + " | ".join(first))
    got = total.totals()
    summary = ", ".join(f"{c}={fmt(got[c])}" for c in COLUMNS)
    short = [f"{c}={fmt(got[c])} < {v}" for c, v in MINIMUM.items() if got[c] is None or got[c] < v]
    assert not short, f"{summary}; empty {total.empty}/{total.docs}\n" + "\n".join(short + notes[:25])


# ---- metamorphic: the same plan written another way gives the same plan ---------------------


def _n(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def projection(doc: dict | None) -> list[tuple]:
    """What must not change with the wording: titles, departments, KPI indicators, schedule."""
    out = []
    for m in (doc or {}).get("measures", []):
        sched = {e["fiscal_year"]: norm_phase(e.get("written")) for e in m.get("schedule", [])}
        out.append((norm(m["title"]), sorted(_n(d) for d in m.get("departments", [])),
                    sorted(_n(k["indicator"]) for k in m.get("kpis", [])), sorted(sched.items())))  # fmt: skip
    return sorted(out)


def _other(options: list[str], current: str) -> str:
    rest = [o for o in options if o != current]
    return rest[len(current) % len(rest)]


def _variants(plan: grammar.GenPlan) -> dict[str, grammar.GenPlan]:
    s = plan.style
    syn = {k: _other(grammar.SYNONYMS[k], v) for k, v in s.syn.items()}
    formats = grammar.LAYOUT_FORMATS[s.layout]
    return {
        "synonyms": grammar.restyle(plan, syn=syn),
        "numbering": grammar.restyle(plan, measure_num=_other(
            [m for m in grammar.MEASURE_NUM if m[0] != s.policy_num[0]], s.measure_num)),
        "format": grammar.restyle(plan, fmt=_other(formats, s.fmt)),
        "fields": grammar.restyle(plan, field_form=_other(sorted(grammar.FIELD_FORM_FORMATS), s.field_form)),
    }  # fmt: skip


# known gaps, each failing today (strict: the mark must come off when it is fixed)
# (seed, kind) → the gap a strict xfail names. Empty since the grammar's second round (pptx, measures that
# end early): seed 16's format swap no longer draws the PDF property table without inner rules whose wrapped
# ロードマップ value joined two rows (readers/pdf_cells.py row splitting) — that gap is not known to be fixed.
KNOWN_GAPS: dict[tuple[int, str], str] = {}


@pytest.mark.parametrize(
    ("seed", "kind"),
    [
        pytest.param(
            seed,
            kind,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[(seed, kind)])]
            if (seed, kind) in KNOWN_GAPS
            else [],
        )
        for seed in METAMORPHIC_SEEDS
        for kind in ("synonyms", "numbering", "format", "fields")
    ],
)
def test_same_plan_written_another_way(seed: int, kind: str, tmp_path: Path) -> None:
    plan = grammar.generate(seed)
    other = _variants(plan)[kind]
    a = projection(run(plan, tmp_path, "a"))
    b = projection(run(other, tmp_path, "b"))
    assert a, f"seed {seed} ({plan.style.layout}/{plan.style.fmt}) gave no measures"
    assert a == b, f"seed {seed} {plan.style.layout}/{plan.style.fmt} → {kind}: {other.style.fmt}"


# ---- fields as a definition list or a bold label, in every format that has the form -----------


@pytest.mark.parametrize(
    ("form", "fmt_"),
    [(f, x) for f, xs in sorted(grammar.FIELD_FORM_FORMATS.items()) if f != "label" for x in sorted(xs)],
)
def test_fields_written_as_definition_lists_or_bold_labels(form: str, fmt_: str, tmp_path: Path) -> None:
    """Every field of a labels plan (department, KPI lines, schedule chain, pillar) written as a <dl> /
    term and indented value, or as a bold label before its value, reads as the label lines do."""
    plan = grammar.restyle(
        grammar.generate(7, layout="labels", fmt=fmt_),
        field_form=form, kpi_style="lines", sched_style="chain", dept_style="label", pillar_style="name",
    )  # fmt: skip
    assert grammar.field_form(plan.style) == form
    want = expected_plan(plan)
    got = run(plan, tmp_path)
    r = score(want, got).totals()
    short = {
        c: r[c] for c in ("measure_f1", "pillars", "kpi_f1", "kpi_target", "dept_f1", "schedule") if r[c] != 1
    }
    assert not short, (short, diff(want, got)[:4])  # fmt: skip


# ---- the generator --------------------------------------------------------------------------


def test_expected_plans_are_well_formed() -> None:
    layouts, formats = set(), set()
    for seed in range(200):
        plan = grammar.generate(seed)
        want = expected_plan(plan)
        assert well_formed(want) == [], seed
        assert len(want["measures"]) == len(plan.measures) >= 5
        layouts.add(plan.style.layout)
        formats.add(plan.style.fmt)
    assert layouts == set(grammar.LAYOUTS)
    assert formats == {"txt", "md", "html", "docx", "pdf", "xlsx", "pptx"}


def test_label_words_come_from_the_one_vocabulary() -> None:
    """Every word the generator labels a field with (label lines, <dl> terms, bold labels, table headers)
    is a word of that field's kind in keikaku/ingest/extract/vocabulary.py."""
    from keikaku.ingest.extract.vocabulary import kind_of

    kinds = {"dept": {"department"}, "kpi": {"kpi"}, "baseline": {"baseline"}, "target": {"target"},
             "schedule": {"schedule"}, "desc": {"description", "background"}, "pillar_article": {"pillar"},
             "pillar_name": {"pillar"}, "title": {"title"}}  # fmt: skip
    assert set(kinds) == set(grammar.SYNONYMS)
    wrong = [
        (k, w, kind_of(w)) for k, ws in grammar.SYNONYMS.items() for w in ws if kind_of(w) not in kinds[k]
    ]
    assert not wrong


def test_every_format_is_reached_by_several_layouts() -> None:
    by_format: dict[str, set[str]] = {}
    for layout, fmts in grammar.LAYOUT_FORMATS.items():
        for f in fmts:
            by_format.setdefault(f, set()).add(layout)
    assert all(len(v) >= 2 for v in by_format.values()), by_format


def test_seeds_are_deterministic(tmp_path: Path) -> None:
    for seed in (0, 7, 1234):
        a, b = grammar.generate(seed), grammar.generate(seed)
        assert expected_plan(a) == expected_plan(b)
        text = render.write(grammar.restyle(a, fmt="txt"), tmp_path, "a").read_text(encoding="utf-8")
        again = render.write(grammar.restyle(b, fmt="txt"), tmp_path, "b").read_text(encoding="utf-8")
        assert text == again
    assert expected_plan(grammar.generate(1)) != expected_plan(grammar.generate(2))


def test_restyle_keeps_the_content() -> None:
    plan = grammar.generate(3)
    other = grammar.restyle(plan, measure_num="取組{g}", fmt="html")
    assert [m.title for m in other.measures] == [m.title for m in plan.measures]
    assert [m.key for m in other.measures] == [f"取組{i}" for i in range(1, len(plan.measures) + 1)]
    again = grammar.generate(3)  # the original is not changed
    assert [m.key for m in plan.measures] == [m.key for m in again.measures]
    assert plan.style == again.style


@pytest.mark.parametrize("layout,fmt_", [(lay, f) for lay, fs in grammar.LAYOUT_FORMATS.items() for f in fs])
def test_every_layout_renders_in_its_formats(layout: str, fmt_: str, tmp_path: Path) -> None:
    plan = grammar.generate(11, layout=layout, fmt=fmt_)
    path = render.write(plan, tmp_path)
    assert path.stat().st_size > 1000
    if fmt_ in ("txt", "md", "html"):
        text = path.read_text(encoding="utf-8")
        for m in plan.measures:
            assert m.title in text
            for d in m.departments:
                assert d in text
            for k in m.kpis:
                assert k.indicator in text and k.target_text in text


# ---- a schedule ends where its bar ends ------------------------------------------------------------


def _years(doc: dict | None) -> list[dict[str, str]]:
    return [
        {str(e["fiscal_year"]): norm_phase(e.get("written")) for e in m.get("schedule") or []}
        for m in (doc or {}).get("measures") or []
    ]


@pytest.mark.parametrize(
    ("seed", "layout", "fmt_"),
    [(23, "gantt", "pdf"), (19, "rowtable", "pdf"), (23, "rowtable", "docx"), (2, "gantt", "html")],
)
def test_bars_and_merged_year_cells_end_where_they_end(
    seed: int, layout: str, fmt_: str, tmp_path: Path
) -> None:
    """Exact years, not only the expected ones (the scorer forgives extra years): a Gantt chart of bars (PDF:
    filled cells with the word on the first) or of merged year cells says where each measure stops; a blank
    year after a bar is not the phase going on."""
    plan = grammar.generate(seed, layout=layout, fmt=fmt_)
    plan.style.grid_cells = "bars" if fmt_ == "pdf" else "span"
    assert any(max(m.phases) < plan.end_fy for m in plan.measures if m.phases), "a measure must stop early"
    want, got = _years(expected_plan(plan)), _years(run(plan, tmp_path))
    assert len(got) == len(want)
    wrong = [(w, g) for w, g in zip(want, got, strict=True) if w != g]
    assert not wrong, wrong[:3]
