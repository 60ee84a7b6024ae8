"""The characters of tests.people made once per test module for the permission matrices (about 1,300 small
tests, each of which made them anew: most of the matrices' time, on PostgreSQL three quarters of it).

``module_people`` runs make_people() (then the module's ``prepare_people(p)``, if it defines one) in a
transaction opened before the module's first test and rolled back after its last. Each test still runs in its
own transaction inside it (pytest-django's ``db``: a savepoint here), rolled back at its end, so every test
starts from exactly the rows make_people() left; a module's ``people`` fixture hands each test fresh model
instances of them (``people_reload``) and empties the cache (pages cached by an earlier test's data are not
served to the next one).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.people import People, make_people, people_reload


@pytest.fixture(scope="module")
def module_people(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker
) -> Iterator[People]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined] — as Django's TestCase marks its own
        outer.__enter__()
        try:
            p = make_people()
            prepare = getattr(request.module, "prepare_people", None)
            if prepare is not None:
                prepare(p)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield p
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def people(module_people: People, db) -> People:
    """The module's characters as fresh instances for one test, with an empty cache."""
    cache.clear()
    return people_reload(module_people)
