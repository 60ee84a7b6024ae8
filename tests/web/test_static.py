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


def test_every_table_in_the_templates_becomes_cards_on_a_phone() -> None:
    """Every <table> a template writes is ``.stack`` (one card per row at ≤600 px, site.css) and every data
    cell says its column's name (``data-label``), except a cell spanning the row (「…がありません」)."""
    from pathlib import Path

    import keikaku

    root = Path(keikaku.__file__).parent
    templates = sorted(root.glob("web/**/templates/**/*.html"))
    assert len(templates) > 50
    tables = 0
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<table\b[^>]*>", text):
            tables += 1
            assert re.search(r'class="[^"]*\bstack\b', tag), f"{path.relative_to(root)}: {tag}"
        if "<table" in text or path.name == "_title_cell.html":
            for cell in re.findall(r"<td\b[^>]*>", text):
                assert "data-label=" in cell or "colspan=" in cell, f"{path.relative_to(root)}: {cell}"
    assert tables > 30
