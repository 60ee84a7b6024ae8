"""A refused action explains itself on a normal page with a way out (not a bare text 403)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import XSS
from tests.people import make_people


@pytest.mark.django_db
def test_reporter_refused_period_form_gets_an_explained_page() -> None:
    people = make_people()
    client = Client()
    client.force_login(people.bob)
    r = client.get(f"/manage/periods/{people.period_a.pk}/")
    assert r.status_code == 403
    body = r.content.decode()
    assert r["Content-Type"].startswith("text/html")
    assert 'role="alert"' in body and 'href="/manage/"' in body and 'class="skip-link"' in body
    assert XSS not in body


@pytest.mark.django_db
def test_visitor_is_sent_to_login_instead() -> None:
    people = make_people()
    r = Client().get(f"/manage/periods/{people.period_a.pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
