"""The write API (keikaku/web/api/write.py) end to end, with a token from ``keikaku token``: the next
version of a published plan is created as a draft, a measure and its KPI are added, the KPI's target is
changed, a stale write is refused with 409, the draft is submitted, approved and published, and the public
plan.json shows the result. The permission matrix of every operation is in
tests/permissions/test_api_write_matrix.py."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from keikaku.cli import build_parser
from keikaku.cli_tokens import cmd_token, token_issue
from keikaku.db.plans import models as pm
from tests.people import People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


class Api:
    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __call__(self, method: str, url: str, body: dict | None = None, expect: int = 200) -> dict:
        if method == "get":
            r = self.client.get(url, headers=self.headers)
        else:
            r = getattr(self.client, method)(
                url, data=json.dumps(body or {}), content_type="application/json", headers=self.headers
            )
        assert r.status_code == expect, (r.status_code, r.content.decode()[:500])
        return r.json()


def test_token_command_is_registered() -> None:
    args = build_parser().parse_args(["token", "alice", "--name", "script"])
    assert args.func is cmd_token and args.user == "alice" and args.name == "script"


def test_token_issue_unknown_user(db) -> None:
    from keikaku.services.errors import NotFound

    with pytest.raises(NotFound):
        token_issue("nobody", "x")


def test_done_when_scenario(people: People) -> None:
    p = people
    alice = Api(token_issue("alice", "script"))
    dana = Api(token_issue("dana", "approver", days=30))
    plan = pm.Plan.objects.get(pk=p.plan_a.pk)

    # a draft: the next version of the published plan
    draft = alice("post", f"/api/plans/{plan.pk}/revise", {"revision": plan.revision, "version": "第2版"})
    assert draft["status"] == "draft" and draft["previous_id"] == plan.pk
    pid = draft["id"]
    draft = alice("patch", f"/api/plans/{pid}", {"revision": draft["revision"], "title": "第2版の計画"})
    assert draft["title"] == "第2版の計画"

    # a policy, a measure under it, a KPI, a schedule
    pol = alice(
        "post",
        f"/api/plans/{pid}/policies",
        {"revision": draft["revision"], "key": "(9)", "title": "新しい方針"},
    )
    ms = alice(
        "post",
        f"/api/plans/{pid}/measures",
        {
            "revision": pol["plan_revision"],
            "title": "オープンデータの公開",
            "key": "9-①",
            "policy_id": pol["id"],
            "pillars": ["B"],
            "departments": ["情報政策課"],
        },
    )
    assert ms["pillars"] == ["B"] and ms["policy_id"] == pol["id"] and ms["revision"] == 1
    kpi = alice(
        "post",
        f"/api/measures/{ms['id']}/kpis",
        {
            "revision": ms["revision"],
            "indicator": "公開データセット数",
            "unit": "件",
            "direction": "increase",
            "targets": [{"value": "100件", "fiscal_year": 2029}],
        },
    )
    stale = kpi["measure_revision"] - 1
    kpi = alice(
        "patch",
        f"/api/kpis/{kpi['id']}",
        {"revision": kpi["measure_revision"], "targets": [{"value": "120件", "fiscal_year": 2029}]},
    )
    assert (
        kpi["targets"] == [{"value": "120件", "fiscal_year": 2029}]
        and kpi["indicator"] == "公開データセット数"
    )

    # a stale write is refused, and changes nothing
    refused = alice(
        "patch", f"/api/kpis/{kpi['id']}", {"revision": stale, "targets": [{"value": "1件"}]}, expect=409
    )
    assert "他の人" in refused["detail"]
    alice("patch", f"/api/plans/{pid}", {"revision": 0, "title": "古い"}, expect=409)

    sched = alice(
        "put",
        f"/api/measures/{ms['id']}/schedule",
        {"revision": kpi["measure_revision"], "cells": [{"fiscal_year": 2026, "written": "実施"}]},
    )
    assert sched["cells"] == [{"fiscal_year": 2026, "written": "実施"}]

    # the history records old → new in Japanese
    from keikaku.db.plans.models import Plan

    row = Plan.objects.get(pk=pid)
    # workflow: alice submits, alice may not approve, dana approves and publishes
    sub = alice("post", f"/api/plans/{pid}/submit", {"revision": row.revision, "comment": "確認お願いします"})
    assert sub["status"] == "review"
    alice("post", f"/api/plans/{pid}/approve", {"revision": sub["revision"]}, expect=403)
    dana("post", f"/api/plans/{pid}/return", {"revision": sub["revision"]}, expect=400)  # no comment
    back = dana("post", f"/api/plans/{pid}/return", {"revision": sub["revision"], "comment": "期限を確認"})
    assert back["status"] == "draft"
    sub = alice("post", f"/api/plans/{pid}/submit", {"revision": back["revision"]})
    ok = dana("post", f"/api/plans/{pid}/approve", {"revision": sub["revision"]})
    pub = dana("post", f"/api/plans/{pid}/publish", {"revision": ok["revision"]})
    assert pub["status"] == "published"

    doc = Api(None)("get", f"/plans/{pid}/plan.json")
    assert doc["title"] == "第2版の計画"
    added = [m for m in doc["measures"] if m["title"] == "オープンデータの公開"]
    assert len(added) == 1
    assert added[0]["kpis"][0]["targets"][0]["value"] == "120件"
    assert [e["written"] for e in added[0]["schedule"]] == ["実施"]

    # a published version is not edited
    alice("patch", f"/api/measures/{ms['id']}", {"revision": sched["revision"], "title": "x"}, expect=400)
    back = dana("post", f"/api/plans/{pid}/withdraw", {"revision": pub["revision"]})
    assert back["status"] == "draft"


def test_patch_keeps_unsent_fields_and_deletes(people: People) -> None:
    p = people
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    alice = Api(p.tokens["alice"])
    ms = p.other_measure
    before_title = ms.title
    out = alice("patch", f"/api/measures/{ms.pk}", {"revision": ms.revision, "key": "2-②"})
    assert out["key"] == "2-②" and out["title"] == before_title and out["pillars"]
    kpi = ms.kpis.get()
    gone = alice("delete", f"/api/kpis/{kpi.pk}?revision={out['revision']}")
    assert gone["id"] == kpi.pk and not pm.Kpi.objects.filter(pk=kpi.pk).exists()
    alice("delete", f"/api/measures/{ms.pk}?revision=1", expect=409)
    plan = pm.Plan.objects.get(pk=p.plan_a.pk)
    alice("delete", f"/api/measures/{ms.pk}?revision={gone['revision']}")
    assert not pm.Measure.objects.filter(pk=ms.pk).exists()
    plan.refresh_from_db()
    pol = alice(
        "post",
        f"/api/plans/{plan.pk}/policies",
        {"revision": plan.revision, "key": "(8)", "title": "方針<script>"},
    )
    renamed = alice("patch", f"/api/policies/{pol['id']}", {"revision": pol["plan_revision"], "key": "(9)"})
    assert renamed["key"] == "(9)" and renamed["title"] == "方針<script>"
    alice("delete", f"/api/policies/{pol['id']}?revision={renamed['plan_revision']}")
    assert not pm.Policy.objects.filter(pk=pol["id"]).exists()


def test_bad_input_and_unknown_ids(people: People) -> None:
    p = people
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    plan = pm.Plan.objects.get(pk=p.plan_a.pk)
    alice = Api(p.tokens["alice"])
    alice("post", f"/api/plans/{plan.pk}/measures", {"revision": plan.revision, "title": "  "}, expect=400)
    alice("post", f"/api/plans/{plan.pk}/measures", {"revision": plan.revision}, expect=422)
    alice("patch", "/api/measures/999999", {"revision": 1}, expect=404)
    alice("patch", "/api/kpis/0", {"revision": 1}, expect=404)
    # Charlie's plan is a draft of another organisation: not even found
    pm.Plan.objects.filter(pk=p.plan_b.pk).update(status=pm.DRAFT)
    alice("patch", f"/api/plans/{p.plan_b.pk}", {"revision": 1, "title": "x"}, expect=404)
    Api("kk_wrong")("patch", f"/api/plans/{plan.pk}", {"revision": 1}, expect=401)
    Api(None)("patch", f"/api/plans/{plan.pk}", {"revision": 1}, expect=401)


def test_create_an_empty_draft_then_add_a_measure(people: People) -> None:
    alice = Api(token_issue("alice", "script"))
    org = people.plan_a.organisation_id
    plan = alice(
        "post",
        "/api/plans",
        {"organisation_id": org, "title": "新しい計画", "start_fy": 2026, "end_fy": 2030},
    )
    assert (plan["status"], plan["organisation_id"], plan["period_start"], plan["period_end"]) == (
        "draft",
        org,
        2026,
        2030,
    )
    ms = alice(
        "post", f"/api/plans/{plan['id']}/measures", {"revision": plan["revision"], "title": "窓口の電子化"}
    )
    assert ms["title"] == "窓口の電子化"
    # an editor of another organisation does not even see this one; a reversed period is refused
    charlie = Api(token_issue("charlie", "script"))
    charlie("post", "/api/plans", {"organisation_id": org, "title": "x"}, expect=404)
    alice(
        "post",
        "/api/plans",
        {"organisation_id": org, "title": "x", "start_fy": 2030, "end_fy": 2026},
        expect=400,
    )
    Api(None)("post", "/api/plans", {"organisation_id": org, "title": "x"}, expect=401)
