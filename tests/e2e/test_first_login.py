"""A new town's first step: `keikaku user` creates the logins (no Django shell needed), and the login form
then leads to the manage pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from keikaku.cli import main
from keikaku.db.accounts.models import Membership

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "keikaku" / "demo" / "sample_plan.json"


def test_keikaku_user_creates_logins_with_roles(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["load", str(SAMPLE)]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-for-the-cio-1\n"))
    assert (
        main(
            [
                "user",
                "cio",
                "--email",
                "cio@example.jp",
                "--org",
                "みどり市",
                "--role",
                "admin",
                "--superuser",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert "cio" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-for-bob-12345\n"))
    argv = ["user", "bob", "--org", "みどり市", "--role", "reporter", "--department", "情報政策課"]
    assert main([*argv, "--password-stdin"]) == 0
    bob = get_user_model().objects.get(username="bob")
    assert [d.name for d in Membership.objects.get(user=bob).departments.all()] == ["情報政策課"]
    cio = get_user_model().objects.get(username="cio")
    assert cio.is_superuser and Membership.objects.get(user=cio).role == "admin"
    # unknown organisation / department: clear message, nothing created
    assert main(["user", "x", "--org", "どこか市", "--role", "editor"]) == 3
    assert main(["user", "y", "--org", "みどり市", "--role", "reporter", "--department", "無い課"]) == 3
    assert not get_user_model().objects.filter(username__in=["x", "y"]).exists()
    assert "部署が見つかりません" in capsys.readouterr().err

    c = Client(enforce_csrf_checks=True)
    c.get("/accounts/login/")
    resp = c.post(
        "/accounts/login/?next=/manage/",
        {
            "username": "bob",
            "password": "pw-for-bob-12345",
            "next": "/manage/",
            "csrfmiddlewaretoken": c.cookies["csrftoken"].value,
        },
    )
    assert resp.status_code == 302 and resp["Location"] == "/manage/"
    assert "みどり市" in c.get("/manage/").content.decode()
