"""Every measure, KPI and schedule cell an import produces points back to its source location."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.ingest import import_document

PLAN = """\
あさひ町DX推進計画
令和6年4月
あさひ町

1. 計画期間
令和6年度～令和10年度

2. 施策
(1) 手続の利便性向上
① 電子申請の拡充
各種の届出をオンラインで受け付ける。
【担当】総務課
【目標】令和8年度までに電子申請できる手続を50手続にする。
【スケジュール】令和6年度 検討、令和7年度～令和10年度 実施
② 公共施設予約のオンライン化
【担当】生涯学習課
【目標】オンライン予約できる施設数　現状2施設（令和5年度）→　12施設（令和9年度）
"""


@pytest.mark.parametrize("name", ["asahi.txt", "asahi.md"])
def test_kpis_and_schedule_cells_have_locations(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PLAN, encoding="utf-8")
    plan = import_document(path)
    assert len(plan.measures) == 2
    kpis = [k for m in plan.measures for k in m.kpis]
    cells = [e for m in plan.measures for e in m.schedule]
    assert kpis and cells
    for value in [*plan.measures, *kpis, *cells]:
        assert value.provenance is not None
        assert value.provenance.source == name
        assert value.provenance.line_start and value.provenance.line_start >= 1
        assert value.provenance.text
