"""Run in a child process by tests/services/test_backup.py, with KEIKAKU_DATA_DIR / DATABASE_URL naming
the database:

    python -m tests.services.backup_world seed          # the test characters, a revision, files, progress
    python -m tests.services.backup_world check TOKEN    # the token and alice's password still work
    python -m tests.services.backup_world write STOP     # store plans until the file STOP exists

Each plan ``write`` stores has as many measures as the number in its title (one transaction each), so a
backup that caught half a plan would show it.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def seed() -> None:
    from django.contrib.auth import get_user_model

    from keikaku.services.people import token_create
    from keikaku.services.plans import plan_save
    from tests.factories import make_measure, make_plan
    from tests.people import PASSWORD, approve_bob_report, make_people

    p = make_people()
    approve_bob_report(p, "第1四半期は順調 <script>alert(1)</script>")
    alice = get_user_model().objects.get(username="alice")
    alice.set_password(PASSWORD)
    alice.save()
    _row, token = token_create(alice, "バックアップ試験", now=NOW, expires_at=NOW + timedelta(days=3650))
    source = "元文書の本文 — 令和7年度\n".encode() * 5000 + bytes(range(256))
    plan_save(
        make_plan(3, org="テスト市A", measures=[make_measure(i) for i in range(1, 4)]),
        now=NOW,
        source_bytes=source,
        previous=p.plan_a,
    )
    print("TOKEN", token)


def check(token: str) -> None:
    """Print who the token authenticates and whether the password still logs alice in."""
    from django.contrib.auth import authenticate

    from keikaku.services.people import token_authenticate
    from tests.people import PASSWORD

    user = token_authenticate(token, now=NOW)
    print("TOKEN-USER", user.username if user else None)
    print("PASSWORD-OK", authenticate(username="alice", password=PASSWORD) is not None)


def write(stop: Path) -> None:
    from keikaku.services.plans import plan_save
    from tests.factories import make_measure, make_plan

    n = 0
    while not stop.exists():
        n += 1
        k = 1 + n % 7
        plan_save(
            make_plan(
                k,
                org=f"書込町{n % 3}",
                title=f"書込計画 {k}",
                measures=[make_measure(i) for i in range(1, k + 1)],
            ),
            now=NOW,
            source_bytes=f"文書 {n}".encode() * 2000,
        )
        print(n, flush=True)
        time.sleep(0.01)


def main() -> None:
    from keikaku.web.bootstrap import migrate

    migrate()
    if sys.argv[1] == "seed":
        seed()
    elif sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        write(Path(sys.argv[2]))


if __name__ == "__main__":
    main()
