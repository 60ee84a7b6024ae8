"""A PDF whose only text is a ruled table (a schedule annex page) still gives its table."""

from __future__ import annotations

from pathlib import Path

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers import read_document


def test_table_only_pdf(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    rows = [
        ["施策", "担当課", "2025", "2026"],
        ["電子申請の拡充", "総務課", "検討", "実施"],
        ["公開データの拡充", "企画課", "実施", "→"],
    ]
    table = Table(rows)
    table.setStyle(
        TableStyle(
            [("FONT", (0, 0), (-1, -1), "HeiseiKakuGo-W5", 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
        )
    )
    path = tmp_path / "annex.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    result = read_document(path)
    assert [b.kind for b in result.blocks] == [BlockKind.TABLE]
    assert result.blocks[0].table is not None
    assert result.blocks[0].table.texts() == rows
    assert result.blocks[0].loc.page == 1
