"""``keikaku draft ORG --catalogue ID --period 2026-2030 [--kind johoka|dx …] [--measures KEY,KEY…|all]``:
a new draft plan from the guide's catalogue (the same use case as /manage/plans/new/), printing its id.
Registered by keikaku.cli; documented in docs/cli.md and docs/catalogue.md."""

from __future__ import annotations

import argparse
import re
import sys


def _err(msg: str) -> None:
    print(f"keikaku: {msg}", file=sys.stderr)


def _period(text: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\s*(\d{4})\s*[-–~〜～]\s*(\d{4})\s*", text)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2))


def cmd_draft(args: argparse.Namespace) -> int:
    from keikaku import cli_clock
    from keikaku.web.bootstrap import migrate

    period = _period(args.period)
    if period is None:
        _err(f"--period は 2026-2030 のように書いてください / write the period as 2026-2030: {args.period!r}")
        return 2
    migrate()
    from keikaku.services.catalogues import catalogue_get
    from keikaku.services.drafting import KIND_CHOICES, organisation_resolve, plan_draft

    organisation = organisation_resolve(args.organisation)
    _summary, catalogue = catalogue_get(args.catalogue)
    if args.measures.strip() == "all":
        keys = [ex.key for ex in catalogue.measures]
    else:
        keys = [k.strip() for k in args.measures.split(",") if k.strip()]
    row = plan_draft(
        None,
        organisation,
        catalogue_id=_summary.id,
        start_fy=period[0],
        end_fy=period[1],
        also=[KIND_CHOICES[k] for k in args.kind or []],
        measure_keys=keys,
        now=cli_clock.now(),
    )
    print(row.pk)
    print(f"plan {row.pk}: {row.title} ({row.measures.count()} measures, draft)", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    help_ = "手引のカタログから計画の下書きを作る / draft a plan from the guide's catalogue"
    p = sub.add_parser("draft", help=help_, description=help_)
    p.add_argument("organisation", metavar="ORG", help="the organisation: its id, 団体コード or name")
    p.add_argument("--catalogue", type=int, default=None, help="catalogue id (default: the newest)")
    p.add_argument("--period", required=True, help="first and last fiscal year, e.g. 2026-2030")
    p.add_argument(
        "--kind",
        action="append",
        choices=sorted(["johoka", "dx"]),
        help="the plan also serves as an 情報化推進計画 (johoka) or a DX推進計画 (dx); repeatable",
    )
    p.add_argument(
        "--measures",
        default="",
        help="example measures to take: keys as in the catalogue (1-1,2-3) or 'all' (default: none)",
    )
    p.set_defaults(func=cmd_draft)
