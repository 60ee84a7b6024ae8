"""The ``people`` fixture (tests.people) for the use-case tests; a module with its own set-up overrides it."""

from __future__ import annotations

import pytest

from tests.people import People, make_people


@pytest.fixture
def people(db) -> People:
    return make_people()
