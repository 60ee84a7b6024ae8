#!/usr/bin/env python3
"""Benchmark the PDCA roll-ups and the Excel round-trip on a fictional 100-measure plan with 5 years of
progress (5 departments of 20 measures, one KPI each, 5 yearly periods 2025–2029, earlier years' reports approved, the open year's drafts).

    KEIKAKU_DATA_DIR=$(mktemp -d) .venv/bin/python scripts/bench_pdca.py [--repeat 50]
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_pdca.py

Times, in-process: exporting all the period's workbooks (5 × 20 measures); importing them all filled with
new values (every row changes); re-importing the same files (nothing changes); the dashboard page
(GET through Django's test client as a member, full template rendering) p50 / p95 over ``--repeat`` runs —
the rendered content is cached until something changes, so also p50 / p95 with the cache cleared before
each GET (the first view after an edit); the yearly evaluation report (100 measures, 100 KPI charts) as
HTML, PDF and DOCX (``--report-repeat`` runs each; ``--profile`` prints a cProfile of one PDF).
Figures are printed, never asserted. Results go to docs/benchmarks.md ("PDCA") by hand.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2030, 5, 1, tzinfo=UTC)
YEARS = range(2025, 2030)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def build(n_measures: int = 100, n_departments: int = 5):
    from django.contrib.auth import get_user_model

    from keikaku.core import plan as core
    from keikaku.services.people import membership_set
    from keikaku.services.plans import plan_save
    from keikaku.web.plans import models as pm
    from keikaku.web.progress import models as gm

    measures = [
        core.Measure(
            key=f"{i // 10 + 1}-{i % 10 + 1}",
            policy_key=f"({i % 4 + 1})",
            title=f"みどり市の架空の施策その{i}（窓口のデジタル化とデータ活用の推進）",
            pillars=[core.PillarRef(code="ABCDE"[i % 5])],
            departments=[f"架空部署{i % n_departments + 1}課"],
            kpis=[
                core.Kpi(
                    indicator=f"架空の指標{i}",
                    unit="件",
                    baseline=core.Value(value="10件", fiscal_year=2024),
                    targets=[core.Value(value="60件", fiscal_year=2029)],
                    direction=core.Direction.INCREASE,
                )
            ],
        )
        for i in range(n_measures)
    ]
    doc = core.Plan(
        title="みどり市デジタル推進計画（ベンチマーク用）",
        organisation=core.Organisation(name="みどり市", prefecture="架空県", kind=core.OrganisationKind.CITY),
        kinds=[core.PlanKind.KANMIN_DATA],
        period=core.Period(start_fy=2025, end_fy=2029),
        policies=[core.Policy(key=f"({j})", title=f"基本方針{j}", pillars=["A"]) for j in range(1, 5)],
        measures=measures,
    )
    plan = plan_save(doc, now=NOW)
    user = get_user_model().objects.create_user("bench-editor", "e@example.jp", "x")
    membership_set(user, plan.organisation, "editor")
    kpis = {k.measure_id: k for k in pm.Kpi.objects.filter(measure__plan=plan)}
    periods = []
    for fy in YEARS:
        period = gm.ReportingPeriod.objects.create(
            plan=plan, fiscal_year=fy, due_date=date(fy + 1, 4, 30), state="open" if fy == 2029 else "closed"
        )
        periods.append(period)
        reports = gm.ProgressReport.objects.bulk_create(
            gm.ProgressReport(
                measure_id=mid,
                period=period,
                status=["順調", "遅れ", "完了", "未着手"][mid % 4],
                narrative=f"{fy}年度の取組（架空）",
                state="draft" if fy == 2029 else "approved",
                submitted_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
            for mid in kpis
        )
        gm.KpiActual.objects.bulk_create(
            gm.KpiActual(
                report=r, kpi=kpis[r.measure_id], value_number=Decimal(10 + (fy - 2024) * 9), unit="件"
            )
            for r in reports
        )
    return plan, periods[-1], user


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--report-repeat", type=int, default=5, help="runs of each evaluation report format")
    ap.add_argument("--profile", action="store_true", help="cProfile one PDF of the evaluation report")
    ap.add_argument("--reports-only", action="store_true", help="only the evaluation report timings")
    ap.add_argument("--compare-weasyprint", action="store_true", help="also one PDF through WeasyPrint")
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL") and not os.environ.get("KEIKAKU_DATA_DIR"):
        os.environ["KEIKAKU_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-pdca-")
    sys.path.insert(0, str(ROOT))
    from keikaku.web.bootstrap import migrate

    migrate()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import include, path
    from openpyxl import load_workbook

    from keikaku.export.progress_xlsx import SHEET
    from keikaku.services.excel import progress_workbook_import, progress_workbooks_export

    setup_test_environment()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    t0 = time.perf_counter()
    plan, period, user = build()
    print(f"setup: 100 measures, 5 periods, 500 reports in {time.perf_counter() - t0:.1f} s")

    if args.reports_only:
        report_times(plan, user, args.report_repeat, args.profile, args.compare_weasyprint)
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        return 0
    str(period)  # warm-up: the period's label imports the template tags (and the portal) once per process
    t0 = time.perf_counter()
    files = progress_workbooks_export(user, period)
    export_s = time.perf_counter() - t0
    print(f"export: {len(files)} workbooks (100 measures) in {export_s * 1000:.0f} ms")

    filled = []
    for name, data in files:
        wb = load_workbook(io.BytesIO(data))
        ws = wb[SHEET]
        for row in range(5, ws.max_row + 1):
            if ws[f"K{row}"].value:
                ws[f"G{row}"] = "順調"
                ws[f"H{row}"] = 70
        buf = io.BytesIO()
        wb.save(buf)
        filled.append((name, buf.getvalue()))
    t0 = time.perf_counter()
    res = progress_workbook_import(user, period, filled, now=NOW)
    import_s = time.perf_counter() - t0
    print(f"import: {res.changed} changed in {import_s * 1000:.0f} ms")
    t0 = time.perf_counter()
    res = progress_workbook_import(user, period, filled, now=NOW)
    again_s = time.perf_counter() - t0
    print(
        f"re-import (idempotent): {res.changed} changed, {res.unchanged} unchanged in {again_s * 1000:.0f} ms"
    )

    import keikaku.web.urls as project

    urls = type(sys)("bench_pdca_urls")
    urls.urlpatterns = [path("manage/", include("keikaku.web.progress.urls_reports")), *project.urlpatterns]
    client = Client()
    client.force_login(user)
    times, cpu = [], []
    with override_settings(ROOT_URLCONF=urls, ALLOWED_HOSTS=["*"]):
        url = f"/manage/plans/{plan.pk}/dashboard/"
        assert client.get(url).status_code == 200
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            resp = client.get(url)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            assert resp.status_code == 200
        size = len(resp.content)
        from django.core.cache import cache

        cold, cold_cpu = [], []
        for _ in range(max(5, args.repeat // 5)):
            cache.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            assert client.get(url).status_code == 200
            cold.append(time.perf_counter() - t0)
            cold_cpu.append(time.process_time() - c0)
    print(
        f"dashboard: {args.repeat} GETs, p50 {pct(times, 50) * 1000:.1f} ms, p95 {pct(times, 95) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms, page {size // 1024} KiB; CPU time p50 {pct(cpu, 50) * 1000:.1f} ms, "
        f"p95 {pct(cpu, 95) * 1000:.1f} ms"
    )
    print(
        f"dashboard uncached (cache cleared before each of {len(cold)} GETs): p50 {pct(cold, 50) * 1000:.1f} ms, "
        f"p95 {pct(cold, 95) * 1000:.1f} ms; CPU time p50 {pct(cold_cpu, 50) * 1000:.1f} ms"
    )
    report_times(plan, user, args.report_repeat, args.profile, args.compare_weasyprint)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


def report_times(plan, user, repeat: int, profile: bool, compare: bool = False) -> None:
    """The yearly evaluation report of the 100-measure plan (100 KPI trend charts + the pillar chart):
    assembling it (roll-up, trends, SVG) and writing HTML, PDF and DOCX, wall time per run (p50 / max)."""
    from keikaku.services.reports import evaluation_report, evaluation_report_render

    today = date(2030, 5, 1)
    evaluation_report_render(
        evaluation_report(user, plan, 2029, today=today), "pdf"
    )  # warm-up: fonts, imports
    for fmt in ("html", "pdf", "docx"):
        times, cpu, size = [], [], 0
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            data = evaluation_report_render(evaluation_report(user, plan, 2029, today=today), fmt)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            size = len(data)
        print(
            f"evaluation report {fmt}: {repeat} runs, p50 {pct(times, 50) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms, CPU time p50 {pct(cpu, 50) * 1000:.0f} ms, {size // 1024} KiB"
        )
    if compare:
        from keikaku.export.report_pdf import render_weasyprint

        report = evaluation_report(user, plan, 2029, today=today)
        t0, c0 = time.perf_counter(), time.process_time()
        render_weasyprint(report)
        print(
            f"evaluation report pdf through WeasyPrint (the earlier writer): {(time.perf_counter() - t0) * 1000:.0f} ms, "
            f"CPU time {(time.process_time() - c0) * 1000:.0f} ms"
        )
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        evaluation_report_render(evaluation_report(user, plan, 2029, today=today), "pdf")
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    sys.exit(main())
