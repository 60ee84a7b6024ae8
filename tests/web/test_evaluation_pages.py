"""The evaluation page and the plan page's 評価の決定と公開 section: Alice writes, Dana (admin) decides and
publishes, a stale button is refused with the page re-shown, titles stay inert."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.db.progress import models as gm
from tests.factories import XSS
from tests.people import People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_write_decide_publish_from_the_pages(people: People) -> None:
    p = people
    url = f"/manage/measures/{p.bob_measure.pk}/evaluations/2025/"
    alice, dana = _client(p.alice), _client(p.dana)
    page = alice.get(url).content.decode()
    assert "未評価" in page and XSS not in page
    r = alice.post(url, {"revision": "0", "decision": "継続", "rationale": "続ける", "merge_into": ""})
    assert r.status_code == 302 and r["Location"] == url
    page = alice.get(url).content.decode()
    assert "下書き" in page and "決定する" not in page and "推進本部" in page  # Alice does not decide
    assert alice.post(f"{url}decide/", {"revision": "1"}).status_code == 403
    page = dana.get(url).content.decode()
    assert f'formaction="{url}decide/"' in page and f"{url}publish/" not in page
    assert dana.post(f"{url}decide/", {"revision": "1"})["Location"] == url
    ev = gm.Evaluation.objects.get(measure=p.bob_measure, fiscal_year=2025)
    assert (ev.state, ev.decided_by) == ("decided", p.dana)
    stale = dana.post(f"{url}publish/", {"revision": "1"})  # read before the decision
    assert stale.status_code == 409 and "他の人が先に" in stale.content.decode()
    assert dana.post(f"{url}publish/", {"revision": "2"}).status_code == 302
    assert gm.Evaluation.objects.get(pk=ev.pk).state == "published"
    assert dana.post(f"{url}unknown/", {"revision": "3"}).status_code == 404


def test_plan_page_counts_and_decides_a_year(people: People) -> None:
    p = people
    ms = list(p.plan_a.measures.order_by("order"))
    alice, dana = _client(p.alice), _client(p.dana)
    for m in ms[:2]:
        alice.post(
            f"/manage/measures/{m.pk}/evaluations/2025/",
            {"revision": "0", "decision": "完了", "rationale": "", "merge_into": ""},
        )
    plan_url = f"/manage/plans/{p.plan_a.pk}/"
    page = alice.get(plan_url).content.decode()
    assert "2025年度の評価の決定と公開" in page and "下書き 2 · 決定 0 · 公開 0" in page
    assert "すべて決定する" not in page  # the buttons are the admin's
    assert "評価の決定と公開" not in Client().get(plan_url).content.decode()  # not for residents
    r = dana.post(f"{plan_url}evaluations/2025/decide/", {"period": str(p.period_a.pk)})
    assert r["Location"] == f"{plan_url}?period={p.period_a.pk}#h-evaluations"
    page = dana.get(plan_url).content.decode()
    assert "下書き 0 · 決定 2 · 公開 0" in page
    dana.post(f"{plan_url}evaluations/2025/publish/", {"period": str(p.period_a.pk)})
    assert "下書き 0 · 決定 0 · 公開 2" in dana.get(plan_url).content.decode()
    assert len(Client().get(f"/api/plans/{p.plan_a.pk}/evaluations").json()) == 2
