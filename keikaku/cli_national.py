"""``keikaku generate-national``: the synthetic national dataset for benchmarks (keikaku.services.national).

Registered by keikaku.cli.build_parser through ``register(sub)``; documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime


def cmd_generate_national(args: argparse.Namespace) -> int:
    from keikaku.web.bootstrap import migrate

    migrate()
    from keikaku.services.national import MAX_GOVERNMENTS, national_generate

    if not 1 <= args.governments <= MAX_GOVERNMENTS or not 1 <= args.measures <= 500:
        print(f"keikaku: --governments 1..{MAX_GOVERNMENTS}, --measures 1..500", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    result = national_generate(
        now=datetime.now(UTC),
        n_governments=args.governments,
        measures=args.measures,
        seed=args.seed,
        progress=not args.quiet,
    )
    took = time.perf_counter() - t0
    print(
        f"{result.governments} governments, {result.plans} plans, {result.measures} measures ({took:.0f} s)"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    help_ = "ベンチマーク用の全国規模の合成データを生成する / generate the synthetic national dataset"
    p = sub.add_parser("generate-national", help=help_, description=help_)
    p.set_defaults(func=cmd_generate_national)
    p.add_argument("--governments", type=int, default=1788, help="number of governments (default 1788)")
    p.add_argument("--measures", type=int, default=60, help="average measures per plan (default 60)")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
