"""Shared test set-up.

Every test that touches the database is marked ``database`` automatically; the test command runs the
whole suite on SQLite and then ``-m database`` again on PostgreSQL when KEIKAKU_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "client", "admin_client", "live_server"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DB_FIXTURES:
            item.add_marker(pytest.mark.database)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "database: touches the database (runs on SQLite and PostgreSQL)")


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"keikaku database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture
def corpus() -> Path:
    """The shared seed corpus; tests using it skip cleanly where it is absent."""
    plans = CORPUS / "plans"
    if not plans.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
