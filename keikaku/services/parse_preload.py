"""Imported by the parse fork server only (keikaku.services.bounded): warm what every parse needs, once, so
that each parse — a fresh fork of the server — starts with the pillar model fitted (the fork server does this
while the parent sets up Django). Nothing here touches Django. A failure only means the children do the work
themselves."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

# a fictional one-measure plan: reading it fits the pillar model (keikaku.ingest.pillars) once
WARM_PLAN = """# 見本市デジタル推進計画

## 1 基本方針

### (1) オンライン申請の拡充

行政手続のオンライン化を進めます。

担当：情報政策課

KPI：オンライン手続数 10件（令和6年度）→ 100件（令和9年度）
"""


def warm() -> None:
    with contextlib.suppress(Exception), tempfile.TemporaryDirectory(prefix="keikaku-warm-") as tmp:
        from keikaku.ingest import import_document

        path = Path(tmp) / "warm.md"
        path.write_text(WARM_PLAN, encoding="utf-8")
        import_document(path)


warm()
