"""The site's stylesheet is served (whitenoise, no collectstatic needed for the embedded server)."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_stylesheet_a_page_links_is_served() -> None:
    client = Client()
    page = client.get("/").content.decode()
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert links
    for href in links:
        r = client.get(href)
        assert r.status_code == 200, href
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert b"skip-link" in body or b"{" in body
