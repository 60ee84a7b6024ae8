"""Plans in layouts written blind (blind_fixtures.py, blind_docs.py), imported from real files — markdown,
plain text, HTML (UTF-8 and Shift_JIS), generated DOCX and PDF — and compared with the plan written by
hand: every measure, its departments, KPIs (baseline, target, year) and schedule by fiscal year."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.extract.common import label_kind, trailing_departments
from keikaku.ingest.extract.gantt import phase_grid
from keikaku.ingest.extract.prose import prose_schedule
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.readers.pdf import read_pdf
from tests.ingest.extract import blind_docs
from tests.ingest.extract.blind_fixtures import ENCODINGS, TEXT_PROBES


def _n(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _write(name: str, directory: Path) -> tuple[Path, dict]:
    if name in TEXT_PROBES:
        suffix, source, expected = TEXT_PROBES[name]
        path = directory / f"{name}{suffix}"
        path.write_bytes(source.encode(ENCODINGS.get(name, "utf-8")))
        return path, expected
    return blind_docs.write(name, directory), blind_docs.DOC_PROBES[name][2]


def _summary(m: dict) -> dict:
    """A measure as the hand-written plan states it (only the fields it states)."""
    out: dict = {"departments": sorted(_n(d) for d in m.get("departments", []))}
    if "kpis" in m:
        out["kpis"] = sorted(
            (_n(k["indicator"]), _n(k.get("baseline")), _n(k.get("target")), k.get("target_year"))
            for k in m["kpis"]
        )
    if "schedule" in m:
        out["schedule"] = {int(fy): _n(w) for fy, w in m["schedule"].items()}
    if "pillars" in m:
        out["pillars"] = sorted(m["pillars"])
    return out


def _got(measure: object, expected: dict) -> dict:
    m = measure  # keikaku.core.plan.Measure
    out: dict = {"departments": sorted(_n(d) for d in m.departments)}  # type: ignore[attr-defined]
    if "kpis" in expected:
        out["kpis"] = sorted(
            (
                _n(k.indicator),
                _n(k.baseline.value if k.baseline else None),
                _n(k.targets[-1].value if k.targets else None),
                k.targets[-1].fiscal_year if k.targets else None,
            )
            for k in m.kpis  # type: ignore[attr-defined]
        )
    if "schedule" in expected:
        out["schedule"] = {e.fiscal_year: _n(e.written) for e in m.schedule}  # type: ignore[attr-defined]
    if "pillars" in expected:
        out["pillars"] = sorted(p.code for p in m.pillars)  # type: ignore[attr-defined]
    return out


@pytest.mark.parametrize("name", sorted(TEXT_PROBES) + sorted(blind_docs.DOC_PROBES))
def test_blind_plan_matches_expected(name: str, tmp_path: Path) -> None:
    path, expected = _write(name, tmp_path)
    plan = import_document(path)
    assert isinstance(plan, Plan)
    assert plan.title == expected["title"]
    got = {_n(m.title): m for m in plan.measures}
    assert sorted(got) == sorted(_n(m["title"]) for m in expected["measures"])
    for m in expected["measures"]:
        assert _got(got[_n(m["title"])], m) == _summary(m), m["title"]


def test_level_word_headings_number_policies(tmp_path: Path) -> None:
    """基本方針1 / 施策1-2: the word and its number are a marker; measures keep their policy's key."""
    path, _ = _write("tsubasa", tmp_path)
    plan = import_document(path)
    assert isinstance(plan, Plan)
    assert [(m.key, m.policy_key) for m in plan.measures] == [
        ("1-1", "1"),
        ("1-2", "1"),
        ("2-1", "2"),
        ("2-2", "2"),
    ]
    assert [p.title for p in plan.policies] == ["行政手続のオンライン化", "データ利活用の推進"]


@pytest.mark.parametrize(
    ("text", "marker", "key", "rest"),
    [
        ("基本方針1 行政手続のオンライン化", "基本方針1", "1", "行政手続のオンライン化"),
        ("施策1-2 キャッシュレス決済", "施策1-2", "1-2", "キャッシュレス決済"),
        ("基本目標２　暮らし", "基本目標２", "2", "暮らし"),
        ("2.1 手続のオンライン化", "2.1", "2.1", "手続のオンライン化"),
        ("3.2.1. 施策", "3.2.1.", "3.2.1", "施策"),
    ],
)
def test_word_and_dotted_markers(text: str, marker: str, key: str, rest: str) -> None:
    m, r = parse_marker(text)
    assert m is not None and (m.written, m.key, r) == (marker, key, rest)


@pytest.mark.parametrize("text", ["目標 80%", "目標：10件", "2.5% 増加", "1.5倍に拡大", "施策 3件を実施"])
def test_no_marker_in_quantities_and_labels(text: str) -> None:
    assert parse_marker(text)[0] is None


def test_prose_schedule() -> None:
    def sched(text: str, end: int | None = 2027) -> dict[int, str]:
        return {e.fiscal_year: e.written for e in prose_schedule(text, end)}

    assert sched("令和6年度に検討し、令和7年度から運用します。") == {
        2024: "検討",
        2025: "運用",
        2026: "運用",
        2027: "運用",
    }
    assert sched("令和6年度から令和7年度にかけて実証実験を行い、令和8年度に本格導入します。") == {
        2024: "実証実験",
        2025: "実証実験",
        2026: "本格導入",
    }
    assert sched("令和7年度から新システムを運用します。", None) == {2025: "運用"}
    # a deadline, a relative clause and a plain fact are no schedule
    assert sched("令和7年度までに10か所に整備します。") == {}
    assert sched("令和5年度に策定した計画に基づき実施する。") == {}
    assert sched("令和4年度の利用者数は100人でした。") == {}


def test_trailing_departments() -> None:
    assert trailing_departments("電子申請の拡充（デジタル推進課）") == ("電子申請の拡充", ["デジタル推進課"])
    assert trailing_departments("データ連携（市町村課、デジタル推進課）") == (
        "データ連携",
        ["市町村課", "デジタル推進課"],
    )
    for text in ("窓口の改善（再掲）", "新システム（仮称）の導入", "相談会の開催（令和6年度）"):
        assert trailing_departments(text) is None


def test_label_with_year() -> None:
    assert label_kind("目標値（令和8年度）") == "target"
    assert label_kind("現状値(R5)") == "baseline"
    assert label_kind("現状と課題") == "background"


def test_phase_grid_is_not_a_schedule_table() -> None:
    """Phases × years with ■ is a measure's grid; measures × years with ● is a schedule table."""
    grid = blind_docs.t(["年次計画", "令和6年度", "令和7年度"], ["検討", "■", ""], ["運用", "", "■"])
    assert [(e.fiscal_year, e.written) for e in phase_grid(grid) or []] == [(2024, "検討"), (2025, "運用")]
    table = blind_docs.t(["取組", "令和6年度", "令和7年度"], ["電子申請の拡充", "●", "●"])
    assert phase_grid(table) is None
    words = blind_docs.t(["年次計画", "令和6年度", "令和7年度"], ["検討", "検討", "実施"])
    assert phase_grid(words) is None


def _label_pdf(path: Path) -> Path:
    """Lines drawn at fixed places: a paragraph whose lines run to the right margin, then label lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tests.ingest.doc_fixtures import FONT, _pdf_styles

    _pdf_styles()  # registers the CID font
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10.5)
    left, width = 72, A4[0] - 144
    line = "文書の保存年限や廃棄の手続を見直し、関係する規程を改める。"
    per = int(width // 10.5)
    text = (line * 4)[: per * 2]
    y = A4[1] - 100
    for k in range(2):
        c.drawString(left, y, text[k * per : (k + 1) * per])
        y -= 16
    for label in ("＜所管課＞総務課", "担当課：企画財政課"):
        c.drawString(left, y, label)
        y -= 16
    c.save()
    return path


def test_pdf_label_line_is_not_joined_to_a_full_line(tmp_path: Path) -> None:
    blocks = [b for b in read_pdf(_label_pdf(tmp_path / "labels.pdf")).blocks if b.kind != BlockKind.TABLE]
    texts = [b.text for b in blocks]
    assert texts[-2:] == ["＜所管課＞総務課", "担当課：企画財政課"]
    assert len(texts) == 3  # the two wrapped lines are one paragraph


def test_pdf_cell_keeps_one_department_a_line(tmp_path: Path) -> None:
    path = blind_docs.write("asahi", tmp_path)
    table = next(b.table for b in read_pdf(path).blocks if b.kind == BlockKind.TABLE and b.table)
    cells = [c.text for row in table.rows for c in row]
    assert "デジタル推進課\n各業務所管課" in cells
    assert "業務システムの標準化" in cells
