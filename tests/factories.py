"""Test factories: every title and narrative carries <script> and long full-width text by default,
so that a page or report that fails to escape, or a layout that breaks on long Japanese text, shows up."""

from __future__ import annotations

from keikaku.core import plan as core

XSS = "<script>alert('x')</script>"
LONG = "全角の長い文字列を含む施策名（デジタル・トランスフォーメーション推進に係る総合的な取組）" * 2


def title(text: str) -> str:
    return f"{text}{XSS}{LONG}"


def make_measure(i: int = 1, **kw) -> core.Measure:
    data = dict(
        key=f"{i}-①",
        policy_key="(1)",
        title=title(f"施策{i}"),
        description=f"説明{XSS}",
        pillars=[core.PillarRef(code="ABCDE"[i % 5])],
        departments=[f"情報政策課{XSS}"],
        kpis=[
            core.Kpi(
                indicator=title("電子申請件数"),
                unit="件",
                baseline=core.Value(value="10件", fiscal_year=2024),
                targets=[core.Value(value="40件", fiscal_year=2027)],
                direction=core.Direction.INCREASE,
            )
        ],
        schedule=[
            core.ScheduleEntry(fiscal_year=2025 + j, written="検討" if j == 0 else "→", phase=None)
            for j in range(3)
        ],
    )
    data.update(kw)
    return core.Measure(**data)


def make_plan(n_measures: int = 5, *, org: str = "テスト市A", prefecture: str = "静岡県", **kw) -> core.Plan:
    data = dict(
        title=title(f"{org}官民データ活用推進計画"),
        organisation=core.Organisation(name=org, prefecture=prefecture, kind=core.OrganisationKind.CITY),
        kinds=[core.PlanKind.KANMIN_DATA],
        published="2025-04",
        period=core.Period(start_fy=2025, end_fy=2029),
        sections=[core.Section(title=title("セキュリティ"), kind="security", text=f"本文{XSS}")],
        policies=[core.Policy(key="(1)", title=title("基本方針"), pillars=["A"])],
        measures=[make_measure(i) for i in range(1, n_measures + 1)],
    )
    data.update(kw)
    return core.Plan(**data)
