"""plan_draft, gap_report and gap_fill (keikaku.services.drafting) and `keikaku draft`, on the demo's
fictional catalogue and (when the shared corpus is there) the national guide."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from keikaku.cli import main
from keikaku.core.plan import Catalogue, PlanKind
from keikaku.db.plans import models as m
from keikaku.demo import SAMPLE_CATALOGUE
from keikaku.services.catalogues import compliance_check
from keikaku.services.drafting import gap_fill, gap_report, plan_draft
from keikaku.services.errors import Conflict, NotFound, PermissionDenied
from keikaku.services.plans import catalogue_save, plan_export
from tests.people import People

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def catalogue(db) -> m.Catalogue:
    cat = Catalogue.model_validate_json(SAMPLE_CATALOGUE.read_text(encoding="utf-8"))
    return catalogue_save(cat, now=NOW)


def _draft(actor, org, catalogue, keys=("1-1", "2-1")) -> m.Plan:
    return plan_draft(
        actor, org, catalogue_id=catalogue.pk, start_fy=2026, end_fy=2030, also=[PlanKind.JOHOKA],
        measure_keys=list(keys), now=NOW,
    )  # fmt: skip


def test_an_editor_drafts_for_their_organisation_only(people: People, catalogue: m.Catalogue) -> None:
    org_a, org_b = people.plan_a.organisation, people.plan_b.organisation
    row = _draft(people.alice, org_a, catalogue)
    assert row.status == m.DRAFT and row.organisation_id == org_a.pk
    doc = plan_export(row.pk)
    assert doc.kinds == [PlanKind.KANMIN_DATA, PlanKind.JOHOKA]
    assert [x.key for x in doc.measures] == ["1-1", "2-1"]
    assert len(doc.sections) == 7 and doc.sections[0].title.startswith(org_a.name)
    assert m.PlanChange.objects.filter(plan=row).exists()
    for who in (people.bob, people.charlie):
        with pytest.raises(PermissionDenied):
            _draft(who, org_a, catalogue)
    assert m.Plan.objects.filter(organisation=org_b, status=m.DRAFT).count() == 0


def test_gap_report_and_one_click_fill(people: People, catalogue: m.Catalogue) -> None:
    """パターン2: an existing plan without a position chapter and without pillar C gets both from the
    catalogue, one item at a time; the compliance findings go away."""
    plan = people.plan_a  # make_plan: a security chapter only, pillars B C D E A over 4 measures
    plan.status = m.DRAFT
    plan.save()
    report = gap_report(people.alice, plan, catalogue_id=catalogue.pk)
    chapters = [g.chapter for g in report.gaps if g.chapter]
    assert chapters == ["situation", "purpose", "position", "structure"]  # policy/measures are structured
    pillar = next(g for g in report.gaps if g.finding.fix == "pillar:A")
    assert [ex.key for ex in pillar.examples] == ["1-1", "1-2"]
    with pytest.raises(PermissionDenied):
        gap_fill(
            people.bob,
            plan,
            item="chapter:position",
            catalogue_id=catalogue.pk,
            revision=plan.revision,
            now=NOW,
        )
    line = gap_fill(people.alice, plan, item="chapter:position", catalogue_id=catalogue.pk,
                    revision=plan.revision, now=NOW)  # fmt: skip
    assert "位置付け" in line
    with pytest.raises(Conflict):
        gap_fill(
            people.alice, plan, item="measure:1-1", catalogue_id=catalogue.pk, revision=plan.revision, now=NOW
        )
    plan.refresh_from_db()
    gap_fill(
        people.alice, plan, item="measure:1-1", catalogue_id=catalogue.pk, revision=plan.revision, now=NOW
    )
    ids = [f.rule.id for f in compliance_check(plan, catalogue_id=catalogue.pk)]
    assert "chapter-position" not in ids
    assert not any(f.fix == "pillar:A" for f in compliance_check(plan, catalogue_id=catalogue.pk))
    doc = plan_export(plan.pk)
    assert doc.measures[-1].key == "1-1" and doc.measures[-1].kpis[0].unit == "件"
    kinds = [s.kind for s in doc.sections]
    assert kinds.index("position") < kinds.index("security")


@pytest.mark.django_db
def test_cli_draft_prints_the_new_plan_id(catalogue: m.Catalogue, capsys: pytest.CaptureFixture[str]) -> None:
    org = m.Organisation.objects.create(name="ひなた村", prefecture="静岡県", kind="村")
    args = ["draft", "ひなた村", "--catalogue", str(catalogue.pk), "--period", "2026-2030", "--kind", "dx"]
    assert main([*args, "--measures", "1-1,3-2,5-1"]) == 0
    plan_id = int(capsys.readouterr().out.strip())
    row = m.Plan.objects.get(pk=plan_id)
    assert row.organisation_id == org.pk and row.status == m.DRAFT
    assert row.title == "ひなた村官民データ活用推進計画（兼 ひなた村DX推進計画）"
    assert [x.key for x in row.measures.order_by("order")] == ["1-1", "3-2", "5-1"]
    assert main([*args, "--measures", "all"]) == 0
    assert m.Plan.objects.get(pk=int(capsys.readouterr().out)).measures.count() == 11
    assert main([*args, "--measures", "9-9"]) == 2
    assert main(["draft", "どこにもない村", "--period", "2026-2030"]) == 3
    assert main(["draft", "ひなた村", "--period", "2026"]) == 2


@pytest.mark.django_db
def test_no_catalogue_is_not_found() -> None:
    org = m.Organisation.objects.create(name="ひなた村")
    with pytest.raises(NotFound):
        plan_draft(
            None, org, catalogue_id=None, start_fy=2026, end_fy=2030, also=[], measure_keys=[], now=NOW
        )


@pytest.mark.corpus
@pytest.mark.django_db
def test_corpus_guide_drafts_all_44_measures(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With the national guide imported, `keikaku draft … --measures all` gives its 44 example measures with
    the catalogue's pillars and 重点分野."""
    guide = next(
        p for p in (corpus / "plans").glob("*.txt") if "策定の手引" in p.read_text(encoding="utf-8")[:400]
    )
    assert main(["import", str(guide)]) == 0
    cat_row = m.Catalogue.objects.get()
    cat = Catalogue.model_validate(cat_row.document)
    m.Organisation.objects.create(name="ひなた村", prefecture="静岡県", kind="村")
    capsys.readouterr()
    args = ["draft", "ひなた村", "--catalogue", str(cat_row.pk), "--period", "2026-2030", "--measures", "all"]
    assert main(args) == 0
    doc = plan_export(int(capsys.readouterr().out.strip()))
    assert len(cat.measures) == 44 and len(doc.measures) == 44
    for ex, ms in zip(cat.measures, doc.measures, strict=True):
        assert ms.key == ex.key
        assert [r.code for r in ms.pillars] == [r.code for r in ex.pillars]
        assert ms.priority_areas == ex.priority_areas
        assert ms.national_measures == ex.national_measures
    assert not any("〇" in s.text or "○" in s.text for s in doc.sections)
