#!/usr/bin/env python3
"""Time the open-data catalogue (DCAT-AP) and the static export on whatever data KEIKAKU_DATA_DIR /
DATABASE_URL holds (the demo, or the synthetic national dataset of `python -m devtools.national`).
Results go to docs/benchmarks.md by hand; nothing is asserted.

    KEIKAKU_DATA_DIR=/tmp/nat .venv/bin/python scripts/bench_open_data.py catalogue
    KEIKAKU_DATA_DIR=/tmp/demo .venv/bin/python scripts/bench_open_data.py site

``catalogue`` reads every published plan (without and with byte sizes for 50 plans, the per-request
budget), then writes Turtle and JSON-LD. ``site`` runs ``keikaku export-site`` into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def catalogue() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keikaku.web.settings")
    import django

    django.setup()
    from keikaku.db.plans.models import Plan
    from keikaku.export import dcat
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
        t1 = time.perf_counter()
        ttl = dcat.catalogue_turtle(cat)
        t2 = time.perf_counter()
        js = dcat.catalogue_jsonld(cat)
        t3 = time.perf_counter()
        print(
            f"sizes for {budget} plans: read {t1 - t0:.1f} s, Turtle {t2 - t1:.1f} s ({len(ttl) / 1e6:.1f} MB),"
            f" JSON-LD {t3 - t2:.1f} s ({len(js) / 1e6:.1f} MB)"
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
    ap.add_argument("what", choices=["catalogue", "site"])
    {"catalogue": catalogue, "site": site}[ap.parse_args().what]()


if __name__ == "__main__":
    main()
