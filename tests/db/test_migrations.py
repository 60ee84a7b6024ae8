"""The models moved from keikaku/web/ to keikaku/db/ under the same app labels: a database made before
the move (the demo data, migrated by that code: fixtures/demo-before-db-move.sqlite3.xz) needs none of
the moved apps' migrations again (only the ones added since apply), its rows read back through the
models, and the models match the migrations.

Each check runs the real ``migrate`` / ``makemigrations`` in a child process on a copy of the file, so
the test database of the session is not involved."""

from __future__ import annotations

import lzma
import os
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "demo-before-db-move.sqlite3.xz"

CHECK = """
import sys
from io import StringIO

from keikaku.web.bootstrap import setup

setup()
from django.core.management import call_command

# migrations added after the move (new fields, new tables) apply on top of it; the moved apps' own
# migrations (0001 …) must be recorded as applied already: a rename would show them unapplied here
out = StringIO()
call_command("showmigrations", "plans", "accounts", "progress", "search", stdout=out)
before = [line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("[ ]")]
assert not any(line.endswith("_initial") for line in before), before
call_command("migrate", verbosity=0)
out = StringIO()
call_command("showmigrations", stdout=out)
unapplied = [line for line in out.getvalue().splitlines() if line.strip().startswith("[ ]")]
assert unapplied == [], unapplied
call_command("migrate", "--check", verbosity=0)  # SystemExit(1) if anything is unapplied
call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) on a model change

from keikaku.db.accounts.models import Membership
from keikaku.db.plans.models import Measure, Plan
from keikaku.db.progress.models import ReportingPeriod
from keikaku.db.search.models import MeasureDocument

assert Plan.objects.count() == 2, Plan.objects.count()
assert Measure.objects.count() == 44
assert MeasureDocument.objects.count() == 44
assert Membership.objects.count() == 4
assert str(ReportingPeriod.objects.get()).startswith("令和")
assert Plan.history.count() == 2  # simple_history's tables (plans_historicalplan) found too
from django.contrib.contenttypes.models import ContentType

assert ContentType.objects.get_for_model(Plan).app_label == "plans"
print("ok")
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["KEIKAKU_DATA_DIR"] = str(data_dir)
    return env


def test_a_database_from_before_the_move_needs_no_migration(tmp_path: Path) -> None:
    (tmp_path / "keikaku.sqlite3").write_bytes(lzma.decompress(FIXTURE.read_bytes()))
    run = subprocess.run(
        [sys.executable, "-c", CHECK], env=_env(tmp_path), capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().endswith("ok")


def test_migrating_it_again_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "keikaku.sqlite3"
    db.write_bytes(lzma.decompress(FIXTURE.read_bytes()))
    first = subprocess.run(
        [sys.executable, "-m", "keikaku.cli", "migrate"], env=_env(tmp_path), capture_output=True, text=True
    )
    assert first.returncode == 0, first.stdout + first.stderr  # the migrations added since apply
    run = subprocess.run(
        [sys.executable, "-m", "keikaku.cli", "migrate"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No migrations to apply" in run.stdout, run.stdout
