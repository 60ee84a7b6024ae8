#!/usr/bin/env python3
"""Time the open-data catalogue (DCAT-AP) and the static export on whatever data KEIKAKU_DATA_DIR /
DATABASE_URL holds (the demo, or the synthetic national dataset of `python -m devtools.national`).
Results go to docs/benchmarks.md by hand; nothing is asserted.

    KEIKAKU_DATA_DIR=/tmp/nat .venv/bin/python scripts/bench_open_data.py catalogue
    KEIKAKU_DATA_DIR=/tmp/nat .venv/bin/python scripts/bench_open_data.py pages [--size 100]
    KEIKAKU_DATA_DIR=/tmp/demo .venv/bin/python scripts/bench_open_data.py site

``catalogue`` reads every published plan (without and with byte sizes for 50 plans, the per-request
budget), then writes Turtle and JSON-LD. ``pages`` compares one page of the paged catalogue (the first and
the last, ``--size`` plans a page) with the whole catalogue in one document: time to read and to write each
format, and bytes (no byte sizes computed: budget 0, as once the cache holds them); then the same through
the site (``GET /catalog.ttl``, twice, paged and with KEIKAKU_CATALOG_PAGE_SIZE=0). ``site`` runs
``keikaku export-site`` into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from keikaku.export.dcat import Catalogue


def _serialised(cat: Catalogue) -> str:
    """Time and size of the catalogue as Turtle and as JSON-LD."""
    from keikaku.export import dcat

    t0 = time.perf_counter()
    ttl = dcat.catalogue_turtle(cat)
    t1 = time.perf_counter()
    js = dcat.catalogue_jsonld(cat)
    t2 = time.perf_counter()
    return f"Turtle {t1 - t0:.2f} s ({len(ttl.encode('utf-8')):,} B), JSON-LD {t2 - t1:.2f} s ({len(js.encode('utf-8')):,} B)"


def catalogue() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keikaku.web.settings")
    import django

    django.setup()
    from keikaku.db.plans.models import Plan
    from keikaku.services.open_data import catalogue_read
    from keikaku.web.portal.catalogue_views import downloads

    print(f"published plans: {Plan.objects.published().count()}")
    for budget in (0, 50):
        t0 = time.perf_counter()
        cat = catalogue_read(
            base_url="https://keikaku.example.lg.jp",
            downloads=downloads(),
            licence=None,
            sized_per_request=budget,
        )
        print(f"sizes for {budget} plans: read {time.perf_counter() - t0:.1f} s, {_serialised(cat)}")


def pages(size: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keikaku.web.settings")
    import django

    django.setup()
    from keikaku.db.plans.models import Plan
    from keikaku.services.open_data import Pages, catalogue_read, page_count
    from keikaku.web.portal.catalogue_views import downloads

    base = "https://keikaku.example.lg.jp"
    total = Plan.objects.published().count()
    last = page_count(total, size)
    print(f"published plans: {total}, {size} a page: {last} pages")
    pager = Pages(size, lambda n: f"{base}/catalog.ttl?page={n}")
    for label, page, paged in (("page 1", 1, pager), (f"page {last}", last, pager), ("whole", 1, None)):
        t0 = time.perf_counter()
        cat = catalogue_read(
            base_url=base, downloads=downloads(), licence=None, sized_per_request=0, page=page, pages=paged
        )
        print(
            f"{label}: {len(cat.datasets)} plans, read {time.perf_counter() - t0:.2f} s, {_serialised(cat)}"
        )
    # through the site: GET /catalog.ttl twice (the first computes byte sizes for up to 50 plans, the
    # second may be a hit of the anonymous page cache, which keeps responses up to 4 MB; the cache is
    # cleared before each)
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    for label, page_size in (("page 1", size), ("whole", 0)):
        cache.clear()  # the same cold start for both: no byte sizes, no cached page
        with override_settings(KEIKAKU_CATALOG_PAGE_SIZE=page_size, ALLOWED_HOSTS=["*"]):
            client = Client()
            for attempt in ("first", "second"):
                t0 = time.perf_counter()
                response = client.get("/catalog.ttl")
                elapsed = time.perf_counter() - t0
                print(
                    f"GET /catalog.ttl, {label}, {attempt}: {response.status_code}, {elapsed:.2f} s,"
                    f" {len(response.content):,} B"
                )


def site() -> None:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "keikaku.cli",
                "export-site",
                out,
                "--base-url",
                "https://keikaku.example.lg.jp",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        print(run.stdout.strip(), run.stderr.strip()[-500:])
        print(f"export-site: {time.perf_counter() - t0:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["catalogue", "pages", "site"])
    ap.add_argument("--size", type=int, default=100, help="plans a page (pages)")
    args = ap.parse_args()
    if args.what == "pages":
        pages(args.size)
    else:
        {"catalogue": catalogue, "site": site}[args.what]()


if __name__ == "__main__":
    main()
