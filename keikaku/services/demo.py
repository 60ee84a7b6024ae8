"""Use case demo_load: the fictional sample plans, loaded once."""

from __future__ import annotations

import logging
from datetime import datetime
from importlib import resources

from keikaku.core.plan import Plan
from keikaku.db.plans.models import Plan as PlanRow
from keikaku.services import logs
from keikaku.services.plans import plan_save

logger = logging.getLogger(__name__)

SAMPLES = ("sample_plan.json", "sample_plan_b.json")


def sample_plans() -> list[Plan]:
    out = []
    for name in SAMPLES:
        f = resources.files("keikaku.demo").joinpath(name)
        if f.is_file():
            out.append(Plan.model_validate_json(f.read_text(encoding="utf-8")))
    return out


def demo_load(*, now: datetime) -> list[str]:
    """Store the sample plans unless a plan with the same title and organisation is there already."""
    lines = []
    for plan in sample_plans():
        existing = PlanRow.objects.filter(title=plan.title, organisation__name=plan.organisation.name).first()
        if existing:
            lines.append(f"sample plan already loaded: {existing.pk} {plan.title}")
            continue
        row = plan_save(plan, now=now)
        lines.append(f"sample plan loaded: {row.pk} {plan.title} ({len(plan.measures)} measures)")
    _done = lines + _demo_catalogue(now=now)
    logger.info("demo_load: %s -> %s (by %s)", "-", logs.ref(_done), "operator")
    return _done


def _demo_catalogue(*, now: datetime) -> list[str]:
    """The fictional catalogue (見本の手引) and the fictional village to draft a plan for, once."""
    from keikaku.core.plan import Catalogue
    from keikaku.db.plans.models import Catalogue as CatalogueRow
    from keikaku.db.plans.models import Organisation
    from keikaku.demo import DEMO_VILLAGE, SAMPLE_CATALOGUE
    from keikaku.services.plans import catalogue_save

    Organisation.objects.get_or_create(
        name=DEMO_VILLAGE["name"],
        prefecture=DEMO_VILLAGE["prefecture"],
        defaults={"kind": DEMO_VILLAGE["kind"]},
    )
    cat = Catalogue.model_validate_json(SAMPLE_CATALOGUE.read_text(encoding="utf-8"))
    existing = CatalogueRow.objects.filter(title=cat.title).first()
    if existing:
        return [f"sample catalogue already loaded: {existing.pk} {cat.title}"]
    row = catalogue_save(cat, now=now)
    return [f"sample catalogue loaded: {row.pk} {cat.title} ({len(cat.measures)} example measures)"]


DEMO_PASSWORD = "keikaku-demo"


def demo_people(*, now: datetime, password: str = DEMO_PASSWORD) -> list[str]:
    """Demo accounts so a first-time user can try the PDCA pages (never used outside `keikaku demo`).

    dana: admin (CIO office) and alice: editor of the first sample municipality and of the fictional
    village with no plan yet (ひなた村); bob: reporter for the department of its first measure; charlie:
    editor of the second municipality. One reporting period,
    the fiscal year before ``now``, is open.
    """
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from keikaku.core.fiscal import fiscal_year_of_date
    from keikaku.db.progress.models import ReportingPeriod
    from keikaku.services.people import membership_set

    plans = [
        PlanRow.objects.filter(title=p.title, organisation__name=p.organisation.name).first()
        for p in sample_plans()
    ]
    if len(plans) < 2 or not all(plans):
        return []
    plan_a, plan_b = plans[0], plans[1]
    User = get_user_model()
    created = []
    for name in ("dana", "alice", "bob", "charlie"):
        user, new = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.jp"})
        if new:
            user.set_password(password)
            user.save()
            created.append(name)
    users = {u.username: u for u in User.objects.filter(username__in=["dana", "alice", "bob", "charlie"])}
    first = plan_a.measures.order_by("order").first()
    bob_depts = list(first.departments.all()[:1]) if first else []
    membership_set(users["dana"], plan_a.organisation, "admin")
    membership_set(users["alice"], plan_a.organisation, "editor")
    membership_set(users["bob"], plan_a.organisation, "reporter", bob_depts)
    membership_set(users["charlie"], plan_b.organisation, "editor")
    from keikaku.db.plans.models import Organisation
    from keikaku.demo import DEMO_VILLAGE

    village = Organisation.objects.filter(name=DEMO_VILLAGE["name"]).first()
    if village is not None:  # the fictional village with no plan yet: dana and alice draft one for it
        membership_set(users["dana"], village, "admin")
        membership_set(users["alice"], village, "editor")
    fy = fiscal_year_of_date(now.year, now.month) - 1
    ReportingPeriod.objects.get_or_create(
        plan=plan_a,
        fiscal_year=fy,
        quarter=None,
        defaults={"state": "open", "opened_at": now, "due_date": (now + timedelta(days=30)).date()},
    )
    if not created:
        return ["demo users already there: dana (admin), alice (editor), bob (reporter), charlie (editor)"]
    dept = bob_depts[0].name if bob_depts else "-"
    return [
        f"demo users (password {password!r}): dana = {plan_a.organisation.name} admin, alice = editor, "
        f"bob = reporter for {dept}, charlie = {plan_b.organisation.name} editor — log in at /accounts/login/",
        "ひなた村 has no plan yet: dana (admin) and alice (editor) can draft one from the sample guide at "
        "/manage/plans/new/",
    ]
