"""Publishing a version: the approver only, an approved version only, stale writes refused; the CLI's
operator publishes and withdraws in any state."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.cli import main
from keikaku.db.plans import models as pm
from tests.people import make_people


def _post(user, plan: pm.Plan, action: str = "publish", revision: int | None = None) -> int:
    client = Client(enforce_csrf_checks=False)
    if user is not None:
        client.force_login(user)
    rev = plan.revision if revision is None else revision
    return client.post(f"/manage/plans/{plan.pk}/publish/", {"revision": rev, "action": action}).status_code


@pytest.mark.django_db
def test_who_may_publish_a_draft() -> None:
    """Only the approver (Dana, the admin) publishes, and only an approved version (下書き → 確認依頼 →
    承認 → 公開: keikaku.services.workflow); withdrawing needs the approver too."""
    p = make_people()
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status="draft")
    draft = pm.Plan.objects.get(pk=p.plan_a.pk)
    assert Client().get(f"/plans/{draft.pk}/").status_code == 404
    assert _post(p.bob, draft) == 403
    assert _post(p.charlie, draft) == 404  # another organisation's draft does not exist for Charlie
    assert _post(None, draft) == 404  # a draft does not exist for the public
    assert _post(p.alice, draft) == 403  # an editor submits for review; the approver publishes
    assert _post(p.dana, draft) == 400  # not approved yet
    pm.Plan.objects.filter(pk=draft.pk).update(status="approved")
    assert _post(p.dana, draft, revision=draft.revision + 5) == 409
    assert _post(p.dana, draft) == 302
    published = pm.Plan.objects.get(pk=draft.pk)
    assert published.status == "published" and published.revision == draft.revision + 1
    assert Client().get(f"/plans/{draft.pk}/").status_code == 200
    assert _post(p.alice, published, action="withdraw") == 403
    assert _post(p.dana, published, action="withdraw") == 302
    assert pm.Plan.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.django_db
def test_manage_page_offers_the_workflow_to_planners_only() -> None:
    p = make_people()
    client = Client()
    client.force_login(p.alice)
    assert (
        f"/manage/plans/{p.plan_a.pk}/workflow/"
        in client.get(f"/manage/plans/{p.plan_a.pk}/").content.decode()
    )
    client.force_login(p.bob)
    assert "/workflow/" not in client.get(f"/manage/plans/{p.plan_a.pk}/").content.decode()


@pytest.mark.django_db
def test_cli_publish_and_withdraw(capsys: pytest.CaptureFixture[str]) -> None:
    p = make_people()
    assert main(["publish", str(p.plan_a.pk), "--withdraw"]) == 0
    assert pm.Plan.objects.get(pk=p.plan_a.pk).status == "draft"
    assert main(["publish", str(p.plan_a.pk)]) == 0
    assert pm.Plan.objects.get(pk=p.plan_a.pk).status == "published"
    assert main(["publish", "999999"]) == 3
