"""The plan as a workbook at the command line (registered by keikaku.cli):

  keikaku export PLAN --to xlsx [-o FILE]        (keikaku.cli's export hands ``--to xlsx`` over here)
  keikaku update PLAN FILE.xlsx --user NAME

``update`` applies the workbook through the editing use cases as the user (their permissions, the change
log under their name): every problem printed as sheet!cell and nothing saved if there is any (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from keikaku import cli_clock


def export_xlsx(args: argparse.Namespace) -> int:
    """`keikaku export PLAN --to xlsx`: as the operator, into FILE or plan<ID>_rev<N>.xlsx here."""
    from keikaku.services.plan_workbook import plan_workbook_export

    name, data = plan_workbook_export(None, args.plan)
    out = Path(args.output or name)
    out.write_bytes(data)
    print(out)
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from keikaku.web.bootstrap import migrate

    migrate()
    from keikaku.services.people import user_get
    from keikaku.services.plan_workbook import PlanWorkbookRejected, plan_workbook_update

    user = user_get(args.user)
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        print(f"keikaku: {args.file}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        result = plan_workbook_update(user, args.plan, data, now=cli_clock.now())
    except PlanWorkbookRejected as e:
        for p in e.problems:
            print(f"{Path(args.file).name}: {p}")
        print(
            f"keikaku: {len(e.problems)} 件の問題があるため何も保存しませんでした / nothing saved",
            file=sys.stderr,
        )
        return 2
    print(result.summary())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    help_ = (
        "書き出した計画の Excel ブックで計画（下書き）を更新する（問題があれば何も保存しない） "
        "/ apply an edited plan workbook to a draft"
    )
    p = sub.add_parser("update", help=help_, description=help_)
    p.add_argument("plan", type=int, help="計画 ID / plan id")
    p.add_argument("file", help="`keikaku export PLAN --to xlsx` で書き出して直した .xlsx")
    p.add_argument("--user", required=True, help="利用者名（権限と変更履歴に使う） / acting user name")
    p.set_defaults(func=cmd_update)
