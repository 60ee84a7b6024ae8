"""The workflow page without JavaScript: submit as Alice, approve and publish as Dana (a confirmation box
before publishing), the draft preview with its banner, 「公開中の版からの変更」 after a target changed."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.db.plans import models as pm
from keikaku.services import editing as ed
from keikaku.services.revision import plan_revise
from tests.factories import XSS
from tests.people import NOW, People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _rev(plan: pm.Plan) -> str:
    return str(pm.Plan.objects.get(pk=plan.pk).revision)


def test_submit_approve_publish_in_the_browser_forms(people: People) -> None:
    p = people
    new = plan_revise(p.alice, p.plan_a, now=NOW, revision=p.plan_a.revision)
    kpi = pm.Kpi.objects.filter(measure__plan=new).order_by("measure__order").first()
    data = ed.KpiInput(indicator="電子申請件数", unit="件", targets=[("120件", 2030)])
    ed.kpi_update(p.alice, kpi, data, revision=kpi.measure.revision, now=NOW)
    alice, dana = _client(p.alice), _client(p.dana)
    url = f"/manage/plans/{new.pk}/workflow/"
    page = alice.get(url).content.decode()
    assert "公開中の版からの変更" in page and "120件（2030）" in page and "40件（2027）" in page
    assert XSS not in page and 'aria-current="step"' in page
    # the draft preview: the public look with a banner, for members only
    preview = alice.get(f"/manage/plans/{new.pk}/preview/")
    assert preview.status_code == 200 and "住民にはまだ見えません" in preview.content.decode()
    assert XSS not in preview.content.decode()
    assert Client().get(f"/manage/plans/{new.pk}/preview/").status_code == 404  # a draft does not exist
    assert _client(p.charlie).get(f"/manage/plans/{new.pk}/preview/").status_code == 404
    assert Client().get(f"/plans/{new.pk}/").status_code == 404
    r = alice.post(url + "submit/", {"submit-revision": _rev(new), "submit-comment": "確認をお願いします"})
    assert r.status_code == 302
    assert alice.post(url + "approve/", {"approve-revision": _rev(new)}).status_code == 403
    r = dana.post(url + "approve/", {"approve-revision": _rev(new), "approve-comment": "OK"})
    assert r.status_code == 302
    # publishing needs the confirmation box
    r = dana.post(url + "publish/", {"publish-revision": _rev(new)})
    assert r.status_code == 400 and pm.Plan.objects.get(pk=new.pk).status == pm.APPROVED
    r = dana.post(url + "publish/", {"publish-revision": _rev(new), "publish-confirm": "on"})
    assert r.status_code == 302
    assert pm.Plan.objects.get(pk=new.pk).status == pm.PUBLISHED
    public = Client().get(f"/plans/{new.pk}/")
    assert public.status_code == 200
    steps = alice.get(url).content.decode()
    assert "確認をお願いします" in steps and "確認依頼" in steps and "この版が公開中の版です。" in steps


def test_stale_step_is_refused(people: People) -> None:
    p = people
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    url = f"/manage/plans/{p.plan_a.pk}/workflow/"
    r = _client(p.alice).post(url + "submit/", {"submit-revision": "0"})
    assert r.status_code == 409 and "他の人" in r.content.decode()
