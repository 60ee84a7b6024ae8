"""Evaluation states (下書き → 決定 → 公開): who may move them, what the public sees (API, reports,
plan.json of the next version) and 「未評価」 for a measure nobody evaluated."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from keikaku.db.progress import models as gm
from keikaku.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from keikaku.services.evaluations import (
    evaluation_decide,
    evaluation_publish,
    evaluation_state_counts,
    evaluation_withdraw,
    evaluations_decide,
    evaluations_publish,
    evaluations_visible,
)
from keikaku.services.plans import plan_export
from keikaku.services.progress import evaluation_save
from keikaku.services.reports import evaluation_report, evaluation_report_render
from keikaku.services.revision import plan_revise
from tests.people import NOW, People

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 1)


def _save(p: People, i: int, decision: str, revision: int = 0) -> gm.Evaluation:
    ms = list(p.plan_a.measures.order_by("order"))
    return evaluation_save(
        p.alice, ms[i], 2025, decision=decision, rationale="理由", revision=revision, now=NOW
    )


def test_draft_decided_published_by_the_admin_only(people: People) -> None:
    p = people
    e = _save(p, 0, "完了")
    assert e.state == "draft"
    for who in (p.alice, p.bob, p.charlie, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            evaluation_decide(who, e, revision=e.revision, now=NOW)
    with pytest.raises(ServiceError):
        evaluation_publish(p.dana, e, revision=e.revision, now=NOW)  # a draft is decided first
    with pytest.raises(Conflict):
        evaluation_decide(p.dana, e, revision=e.revision - 1, now=NOW)
    e = evaluation_decide(p.dana, e, revision=e.revision, now=NOW)
    assert (e.state, e.decided_by, e.decided_at) == ("decided", p.dana, NOW)
    with pytest.raises(PermissionDenied):
        evaluation_publish(p.alice, e, revision=e.revision, now=NOW)
    e = evaluation_publish(p.dana, e, revision=e.revision, now=NOW)
    assert (e.state, e.published_at) == ("published", NOW)
    # the history records each step with who did it
    steps = [(h.state, h.history_user) for h in e.history.order_by("history_date", "history_id")]
    assert steps == [("draft", p.alice), ("decided", p.dana), ("published", p.dana)]
    # the office changes a published evaluation: it is a draft again and no longer public
    e = _save(p, 0, "継続", revision=e.revision)
    assert (e.state, e.decided_at, e.published_at) == ("draft", None, None)
    assert list(evaluations_visible(AnonymousUser(), p.plan_a)) == []
    e = evaluation_publish(
        p.dana, evaluation_decide(p.dana, e, revision=e.revision, now=NOW), revision=e.revision + 1, now=NOW
    )
    e = evaluation_withdraw(p.dana, e, revision=e.revision, now=NOW)
    assert e.state == "draft"
    with pytest.raises(ServiceError):
        evaluation_withdraw(p.dana, e, revision=e.revision, now=NOW)


def test_a_year_at_once_and_the_counts(people: People) -> None:
    p = people
    for i, d in enumerate(("継続", "完了", "見直し")):
        _save(p, i, d)
    with pytest.raises(PermissionDenied):
        evaluations_decide(p.alice, p.plan_a, 2025, now=NOW)
    with pytest.raises(NotFound):
        evaluations_publish(p.dana, p.plan_a, 2025, now=NOW)  # nothing decided yet
    assert evaluations_decide(p.dana, p.plan_a, 2025, now=NOW) == 3
    assert evaluation_state_counts(p.plan_a, 2025) == {"draft": 0, "decided": 3, "published": 0}
    assert evaluations_publish(p.dana, p.plan_a, 2025, now=NOW) == 3
    assert evaluation_state_counts(p.plan_a, 2025) == {"draft": 0, "decided": 0, "published": 3}
    assert evaluation_state_counts(p.plan_b, 2025) == {"draft": 0, "decided": 0, "published": 0}


def test_only_published_evaluations_are_public_in_the_api_and_the_report(people: People) -> None:
    p = people
    published = _save(p, 0, "完了")
    evaluations_decide(p.dana, p.plan_a, 2025, now=NOW)
    evaluations_publish(p.dana, p.plan_a, 2025, now=NOW)
    _save(p, 1, "終了")  # a draft
    url = f"/api/plans/{p.plan_a.pk}/evaluations"
    anon = Client().get(url).json()
    assert [(e["id"], e["state"]) for e in anon] == [(published.pk, "published")]
    charlie = Client().get(url, headers={"Authorization": f"Bearer {p.tokens['charlie']}"}).json()
    assert [e["id"] for e in charlie] == [published.pk]
    alice = Client().get(url, headers={"Authorization": f"Bearer {p.tokens['alice']}"}).json()
    assert [e["state"] for e in alice] == ["published", "draft"]

    public = evaluation_report(AnonymousUser(), p.plan_a, 2025, today=TODAY)
    texts = [m.decision_text for m in public.measures]
    assert texts == ["<完了>", "未評価", "未評価", "未評価"]
    assert public.decisions == {"完了": 1, "未評価": 3}
    html = evaluation_report_render(public, "html").decode()
    assert "終了" not in html and html.count("未評価") >= 3
    member = evaluation_report(p.alice, p.plan_a, 2025, today=TODAY)
    assert [m.decision_text for m in member.measures][:2] == ["<完了>", "<終了>（下書き・未公開）"]


def test_api_moves_states_with_tokens(people: People) -> None:
    p = people
    e = _save(p, 0, "継続")

    def post(who: str, action: str, revision: int) -> tuple[int, dict]:
        r = Client().post(
            f"/api/evaluations/{e.pk}/{action}",
            data=json.dumps({"revision": revision}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {p.tokens[who]}"},
        )
        return r.status_code, r.json()

    assert post("alice", "decide", e.revision)[0] == 403
    assert post("charlie", "decide", e.revision)[0] == 404  # a draft of another organisation is not visible
    status, body = post("dana", "decide", e.revision)
    assert (status, body["state"]) == (200, "decided")
    assert post("dana", "publish", body["revision"] - 1)[0] == 409
    status, body = post("dana", "publish", body["revision"])
    assert (status, body["state"]) == (200, "published")
    assert post("charlie", "withdraw", body["revision"])[0] == 403  # visible now, still not allowed
    status, body = post("dana", "withdraw", body["revision"])
    assert (status, body["state"]) == (200, "draft")


def test_next_version_follows_decisions_and_says_not_evaluated(people: People) -> None:
    p = people
    ms = list(p.plan_a.measures.order_by("order"))
    _save(p, 0, "完了")
    evaluations_decide(p.dana, p.plan_a, 2025, now=NOW)
    evaluations_publish(p.dana, p.plan_a, 2025, now=NOW)
    _save(p, 1, "終了")
    evaluations_decide(
        p.dana, p.plan_a, 2025, now=NOW
    )  # decided, not published: not public → 未評価, carried over
    _save(p, 2, "終了")  # a draft only: 未評価 too
    new = plan_revise(p.alice, p.plan_a, now=NOW, fiscal_year=2025)
    assert [m.title for m in new.measures.order_by("order")] == [m.title for m in ms[1:]]
    doc = plan_export(new.pk)
    written = [(e.item, e.decision, e.decision_written) for e in doc.evaluations]
    assert written[0] == (ms[0].title, "完了", "<完了>")
    assert all(d is None and w == "<未評価>" for _i, d, w in written[1:])
    data = json.loads(doc.model_dump_json())
    assert "継続" not in json.dumps(data["evaluations"], ensure_ascii=False)
    lineage = {ln.from_measure_id: ln.decision for ln in gm.MeasureLineage.objects.filter(to_plan=new)}
    assert lineage[ms[0].pk] == "完了" and lineage[ms[1].pk] == "" and lineage[ms[2].pk] == ""
