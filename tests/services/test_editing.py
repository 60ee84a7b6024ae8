"""The editor's use cases (keikaku.services.editing): permission before writing, drafts only, stale
revisions refused, the change log old → new in Japanese, pillars a person chose marked ``edited``."""

from __future__ import annotations

import pytest

from keikaku.db.plans import models as pm
from keikaku.services import changes
from keikaku.services import editing as ed
from keikaku.services.errors import Conflict, PermissionDenied, ServiceError
from keikaku.services.plans import plan_export
from tests.people import NOW, People

pytestmark = pytest.mark.django_db


def _draft(p: People) -> pm.Plan:
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    p.plan_a.refresh_from_db()
    return p.plan_a


def _input(ms: pm.Measure, **kw) -> ed.MeasureInput:
    data = dict(
        title=ms.title,
        key=ms.key or "",
        description=ms.description,
        policy_id=ms.policy_id,
        pillars=[r.code for r in ms.pillar_refs.order_by("order")],
        priority_areas=list(ms.priority_areas),
        departments=[d.written for d in ms.department_links.order_by("order")],
    )
    data.update(kw)
    return ed.MeasureInput(**data)


def test_measure_update_logs_old_and_new_and_marks_pillars_edited(people: People) -> None:
    p = people
    _draft(p)
    ms = p.bob_measure
    ed.measure_update(
        p.alice,
        ms,
        _input(ms, title="窓口のオンライン化", pillars=["A", "C"], departments=["市民課", "新設のDX推進室"]),
        revision=ms.revision,
        now=NOW,
    )
    ms.refresh_from_db()
    assert ms.title == "窓口のオンライン化" and ms.revision == 2
    assert [(r.code, r.source) for r in ms.pillar_refs.order_by("order")] == [
        ("A", "edited"),
        ("C", "edited"),
    ]
    assert pm.Department.objects.filter(organisation=p.plan_a.organisation, name="新設のDX推進室").exists()
    (entry,) = changes.measure_changes(p.alice, ms)
    assert entry.who == "alice" and entry.action_label == "変更"
    assert any(
        line.startswith("施策名: 施策1") and line.endswith("→ 窓口のオンライン化") for line in entry.lines
    )
    assert any(line.startswith("担当部署: ") and "→ 市民課、新設のDX推進室" in line for line in entry.lines)
    assert "柱" in " ".join(entry.lines)
    # the plan JSON says where the pillars came from
    doc = plan_export(p.plan_a.pk)
    assert [r.source.value for r in doc.measures[0].pillars] == ["edited", "edited"]


def test_stale_revision_and_permissions(people: People) -> None:
    p = people
    _draft(p)
    ms = p.bob_measure
    with pytest.raises(PermissionDenied):
        ed.measure_update(p.bob, ms, _input(ms, title="x"), revision=ms.revision, now=NOW)
    with pytest.raises(PermissionDenied):
        ed.measure_update(p.charlie, ms, _input(ms, title="x"), revision=ms.revision, now=NOW)
    ed.measure_update(p.dana, ms, _input(ms, title="先の変更"), revision=1, now=NOW)
    with pytest.raises(Conflict):
        ed.measure_update(p.alice, ms, _input(ms, title="後の変更"), revision=1, now=NOW)
    ms.refresh_from_db()
    assert ms.title == "先の変更"


def test_published_versions_are_not_edited(people: People) -> None:
    p = people
    ms = p.bob_measure  # plan_a is published
    with pytest.raises(ServiceError, match="公開"):
        ed.measure_update(p.alice, ms, _input(ms, title="x"), revision=ms.revision, now=NOW)


def test_kpi_target_change_is_logged_in_japanese(people: People) -> None:
    p = people
    _draft(p)
    kpi = p.bob_measure.kpis.get()
    ms = p.bob_measure
    data = ed.KpiInput(
        indicator=kpi.indicator,
        unit="件",
        direction="increase",
        baseline_value="10件",
        baseline_fy=2024,
        targets=[("120件", 2027)],
    )
    ed.kpi_update(p.alice, kpi, data, revision=ms.revision, now=NOW)
    assert list(kpi.targets.values_list("value", "fiscal_year")) == [("120件", 2027)]
    (entry,) = changes.measure_changes(p.alice, ms)
    assert entry.lines == ["目標値: 40件（令和9年度 (2027)） → 120件（令和9年度 (2027)）"]
    with pytest.raises(Conflict):  # the KPI change moved the measure's revision on
        ed.kpi_update(p.alice, kpi, data, revision=ms.revision, now=NOW)
    ms.refresh_from_db()
    new = ed.kpi_create(
        p.alice, ms, ed.KpiInput(indicator="研修の参加者数", unit="人"), revision=ms.revision, now=NOW
    )
    ms.refresh_from_db()
    ed.kpi_delete(p.alice, new, revision=ms.revision, now=NOW)
    assert ms.kpis.count() == 1
    with pytest.raises(ServiceError):
        ed.kpi_create(p.alice, ms, ed.KpiInput(indicator=" "), revision=ms.revision + 2, now=NOW)


def test_schedule_set_normalises_and_logs(people: People) -> None:
    p = people
    _draft(p)
    ms = p.bob_measure
    ed.schedule_set(p.alice, ms, [(2025, "準備"), (2026, "構築"), (2027, "")], revision=ms.revision, now=NOW)
    assert list(ms.schedule.order_by("order").values_list("fiscal_year", "written", "phase")) == [
        (2025, "準備", "prepare"),
        (2026, "構築", "build"),
    ]
    (entry,) = changes.measure_changes(p.alice, ms)
    assert "令和7年度 (2025): 検討 → 準備" in entry.lines
    assert "令和9年度 (2027): → → （なし）" in entry.lines
    assert ed.schedule_years(p.plan_a, ms) == [2025, 2026, 2027, 2028, 2029]


def test_create_copy_move_delete(people: People) -> None:
    p = people
    plan = _draft(p)
    first = plan.measures.order_by("order").first()
    new = ed.measure_create(
        p.alice, plan, ed.MeasureInput(title="新しい施策", key="9"), revision=plan.revision, now=NOW
    )
    plan.refresh_from_db()
    assert list(plan.measures.order_by("order").values_list("key", flat=True))[-1] == "9"
    copy = ed.measure_copy(p.alice, first, revision=plan.revision, now=NOW)
    plan.refresh_from_db()
    keys = list(plan.measures.order_by("order").values_list("pk", flat=True))
    assert keys[1] == copy.pk and copy.kpis.count() == 1 and copy.schedule.count() == 3
    assert copy.title.endswith("（複製）")
    ed.measure_move(p.alice, new, revision=plan.revision, now=NOW, position=0)
    plan.refresh_from_db()
    assert plan.measures.order_by("order").first().pk == new.pk
    with pytest.raises(Conflict):
        ed.measure_move(p.alice, new, revision=plan.revision - 1, now=NOW, step=1)
    new.refresh_from_db()
    ed.measure_delete(p.alice, new, revision=new.revision, now=NOW)
    assert not pm.Measure.objects.filter(pk=new.pk).exists()
    actions = [c.action for c in changes.plan_changes(p.alice, plan)]
    assert actions == ["delete", "move", "copy", "create"]
    with pytest.raises(PermissionDenied):
        changes.plan_changes(p.charlie, plan)
