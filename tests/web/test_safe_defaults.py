"""Safe defaults (issue 12, item 5): strict booleans, a random secret key kept in the data directory,
`serve` off this machine refuses the development key and DEBUG, login throttling (django-axes),
Content-Security-Policy on every page, HSTS and secure cookies behind KEIKAKU_HTTPS, and the
allowed-hosts check before the page cache."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from keikaku import config
from keikaku.services.plans import plan_save
from tests.factories import make_plan

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KEIKAKU_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# ---------------------------------------------------------------- strict booleans


@pytest.mark.parametrize(
    "raw,expected", [("1", True), ("TRUE", True), (" yes ", True), ("on", True), ("0", False), ("Off", False)]
)
def test_boolean_words(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("KEIKAKU_X", raw)
    assert config.env_bool("KEIKAKU_X", not expected) is expected


def test_empty_boolean_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEIKAKU_X", "")
    assert config.env_bool("KEIKAKU_X", True) is True


@pytest.mark.parametrize("raw", ["ture", "enable", "2", "y e s"])
def test_unknown_boolean_is_an_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("KEIKAKU_X", raw)
    with pytest.raises(SystemExit) as e:
        config.env_bool("KEIKAKU_X", False)
    assert "真偽値ではありません" in str(e.value) and "is not a boolean" in str(e.value)


def test_start_up_stops_on_a_misspelt_boolean(tmp_path: Path) -> None:
    r = _run(
        "import keikaku.cli as c; c.main(['list'])", KEIKAKU_DEBUG="ture", KEIKAKU_DATA_DIR=str(tmp_path)
    )
    assert r.returncode != 0
    assert "KEIKAKU_DEBUG='ture'" in r.stderr and "真偽値ではありません" in r.stderr
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------- the secret key


def test_secret_key_is_random_kept_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEIKAKU_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path / "a")
    assert len(first) >= 50 and not config.weak_secret_key(first)
    path = tmp_path / "a" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.secret_key(tmp_path / "a") == first  # kept across restarts
    assert config.secret_key(tmp_path / "b") != first  # never derived from the path
    monkeypatch.setenv("KEIKAKU_SECRET_KEY", "x" * 40)
    assert config.secret_key(tmp_path / "a") == "x" * 40  # the environment wins


def test_settings_use_the_key_file(tmp_path: Path) -> None:
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='keikaku.web.settings'\n" + (
        "from django.conf import settings; print(settings.SECRET_KEY)"
    )
    r1 = _run(code, KEIKAKU_DATA_DIR=str(tmp_path))
    r2 = _run(code, KEIKAKU_DATA_DIR=str(tmp_path))
    assert r1.returncode == 0, r1.stderr
    assert r1.stdout == r2.stdout == (tmp_path / "secret_key").read_text()


# ---------------------------------------------------------------- serve off this machine


def test_serve_refusal() -> None:
    strong = "k" * 20 + "Zq8-4fR_02ha9dkQ1m"
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert config.serve_refusal(host, secret_key="short", debug=True) is None
    for host in ("0.0.0.0", "::", "192.0.2.10"):
        assert "KEIKAKU_DEBUG" in (config.serve_refusal(host, secret_key=strong, debug=True) or "")
        assert "KEIKAKU_SECRET_KEY" in (config.serve_refusal(host, secret_key="short", debug=False) or "")
        key = "keikaku-embedded-insecure-/srv/keikaku/var"
        assert config.serve_refusal(host, secret_key=key, debug=False)
        assert config.serve_refusal(host, secret_key=strong, debug=False) is None


def test_serve_on_all_addresses_refuses_a_development_key(tmp_path: Path) -> None:
    r = _run(
        "import sys, keikaku.cli as c; sys.exit(c.main(['serve', '--host', '0.0.0.0', '--port', '1']))",
        KEIKAKU_DATA_DIR=str(tmp_path),
        KEIKAKU_SECRET_KEY="dev",
    )
    assert r.returncode == 2, r.stderr
    assert "秘密鍵" in r.stderr and "http://" not in r.stderr  # stopped before listening
    r = _run(
        "import sys, keikaku.cli as c; sys.exit(c.main(['serve', '--host', '0.0.0.0', '--port', '1']))",
        KEIKAKU_DATA_DIR=str(tmp_path),
        KEIKAKU_DEBUG="1",
    )
    assert r.returncode == 2 and "KEIKAKU_DEBUG" in r.stderr


# ---------------------------------------------------------------- HTTPS


def test_https_setting_turns_on_secure_cookies_and_hsts(tmp_path: Path) -> None:
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='keikaku.web.settings'\n" + (
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    on = _run(code, KEIKAKU_DATA_DIR=str(tmp_path), KEIKAKU_HTTPS="true").stdout.split()
    assert on[:3] == ["True", "True", "31536000"]
    off = _run(code, KEIKAKU_DATA_DIR=str(tmp_path)).stdout.split()
    assert off == ["False", "False", "0", "None"]


@pytest.mark.django_db
def test_hsts_header_behind_an_https_proxy(client: Client) -> None:
    with override_settings(
        SECURE_HSTS_SECONDS=600, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    ):
        r = client.get("/", headers={"x-forwarded-proto": "https"})
    assert r["Strict-Transport-Security"] == "max-age=600"


# ---------------------------------------------------------------- Content-Security-Policy


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy(client: Client) -> None:
    row = plan_save(make_plan(2, org="さくら町"), now=NOW)
    for url in (
        "/",
        f"/plans/{row.pk}/",
        f"/plans/{row.pk}/",
        "/accounts/login/",
        "/search/?q=a",
        "/api/docs",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        policy = r["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


# ---------------------------------------------------------------- allowed hosts before the page cache


@pytest.mark.django_db
def test_a_cached_page_is_not_served_to_an_unknown_host(client: Client) -> None:
    row = plan_save(make_plan(2, org="さくら町"), now=NOW)
    url = f"/plans/{row.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # now in the cache
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400
    assert client.get(url, HTTP_HOST="localhost").status_code == 200


# ---------------------------------------------------------------- login throttling


PASSWORD = "correct-horse-battery-staple"


def _login(client: Client, password: str, addr: str = "192.0.2.1") -> int:
    r = client.post("/accounts/login/", {"username": "alice", "password": password}, REMOTE_ADDR=addr)
    return r.status_code


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures_and_an_admin_can_unlock(client: Client) -> None:
    from django.conf import settings

    from keikaku.web.security import unlock

    get_user_model().objects.create_user("alice", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong") == 200  # the form again, with an error
    r = client.post("/accounts/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="192.0.2.1")
    assert r.status_code == 429
    body = r.content.decode()
    assert "ログインを一時的に止めています" in body and "Content-Security-Policy" in r.headers
    assert _login(client, PASSWORD) == 429  # the right password too, from that address
    assert _login(Client(), PASSWORD, addr="192.0.2.99") == 302  # another address is not locked
    client.logout()
    assert unlock("alice") >= 1
    assert _login(client, PASSWORD) == 302


@pytest.mark.django_db
def test_lockout_page_in_english(client: Client) -> None:
    get_user_model().objects.create_user("alice", password=PASSWORD)
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    r = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 429 and "Sign-in is paused" in r.content.decode()


def test_processes_starting_together_share_one_key(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    code = (
        f"from pathlib import Path; from keikaku.config import secret_key; print(secret_key(Path({data!r})))"
    )
    env = {k: v for k, v in os.environ.items() if k != "KEIKAKU_SECRET_KEY"}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(keys) == 1 and len(next(iter(keys))) >= 50
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]
