"""The read use cases the pages, the API and the CLI share: measure_history (one query per kind of
record, whatever the number of records), plan_list / organisation_list (lazy, published only when
asked), user_upsert (the operator or a superuser)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keikaku.db.plans import models as pm
from keikaku.services.directory import organisation_get, organisation_list
from keikaku.services.errors import NotFound, PermissionDenied
from keikaku.services.history import measure_history
from keikaku.services.people import user_upsert
from keikaku.services.plans import plan_list
from keikaku.services.progress import progress_save
from tests.people import NOW, People, make_people, report_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def _edit_report(p: People, times: int) -> None:
    rev = 0
    for i in range(times):
        rep = progress_save(
            p.bob,
            p.bob_measure,
            p.period_a,
            report_input(p.bob_measure, value=str(10 + i)),
            revision=rev,
            now=NOW,
        )
        rev = rep.revision


def _queries(p: People) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        entries = measure_history(p.alice, p.bob_measure)
    return len(ctx.captured_queries), entries


def test_measure_history_reads_each_kind_once(people: People) -> None:
    p = people
    _edit_report(p, 2)
    measure_history(p.alice, p.bob_measure)  # Alice's membership is read once, then kept on her
    few, entries_few = _queries(p)
    _edit_report(p, 0)
    rep = p.bob_measure.progress_reports.get()
    for i in range(8):  # eight more versions of the report and its actual
        rep = progress_save(
            p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure, value=str(50 + i)),
            revision=rep.revision, now=NOW,
        )  # fmt: skip
    many, entries_many = _queries(p)
    assert len(entries_many) > len(entries_few) + 8
    assert many == few  # no query per row
    changed = [e for e in entries_many if e.kind == "report" and e.fields]
    assert changed and all(e.who == "bob" for e in changed)
    assert [e.when for e in entries_many] == sorted((e.when for e in entries_many), reverse=True)


def test_measure_history_is_for_members(people: People) -> None:
    with pytest.raises(PermissionDenied):
        measure_history(people.charlie, people.bob_measure)


def test_plan_list_is_lazy_and_published_only_when_asked(people: People) -> None:
    p = people
    pm.Plan.objects.filter(pk=p.plan_b.pk).update(status=pm.DRAFT)
    everything = plan_list()
    public = plan_list(public_only=True)
    assert len(everything) == 2 and len(public) == 1
    with CaptureQueriesContext(connection) as ctx:
        page = public[0:1]
    assert len(ctx.captured_queries) == 1
    assert page[0].id == p.plan_a.pk and page[0].measures == 4 and page[0].status_label == "公開"
    assert [o.id for o in organisation_list()] == [p.plan_a.organisation_id]
    assert organisation_get(p.plan_a.organisation_id).plans[0].id == p.plan_a.pk
    with pytest.raises(NotFound):
        organisation_get(p.plan_b.organisation_id)  # only a draft


def test_user_upsert_by_the_operator_or_a_superuser(people: People) -> None:
    res = user_upsert(None, "erin", email="erin@example.jp")
    assert res.created and not res.user.has_usable_password()
    again = user_upsert(None, "erin", password="a-long-password-1")
    assert not again.created and again.user.check_password("a-long-password-1")
    assert again.user.email == "erin@example.jp"
    with pytest.raises(PermissionDenied):
        user_upsert(people.alice, "mallory", superuser=True)
    assert not get_user_model().objects.filter(username="mallory").exists()
    root = get_user_model().objects.create_superuser("root", "root@example.jp", "x")
    assert user_upsert(root, "frank").created
