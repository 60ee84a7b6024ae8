"""Excel round-trip and evaluation-report commands of ``keikaku`` (registered by keikaku.cli):

  keikaku progress-export PERIOD --user NAME [-o DIR] [--department ID]
  keikaku progress-import PERIOD FILE... --user NAME [--submit]
  keikaku evaluation-report PLAN [--fy YEAR] [--to html|docx|pdf] [-o FILE] [--user NAME]

Permissions are the user's, as on the web (a reporter exports and imports only their departments).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from keikaku import cli_clock


def _setup() -> None:
    from keikaku.web.bootstrap import migrate

    migrate()


def _user(name: str | None) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from keikaku.services.errors import NotFound

    if not name:
        return AnonymousUser()
    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None:
        raise NotFound(f"利用者 {name} はいません / no active user {name}")
    return user


def cmd_progress_export(args: argparse.Namespace) -> int:
    _setup()
    from keikaku.services.excel import progress_workbook_export, progress_workbooks_export
    from keikaku.services.progress import period_get

    period = period_get(args.period)
    user = _user(args.user)
    if args.department is not None:
        files = [progress_workbook_export(user, period, args.department)]
    else:
        files = progress_workbooks_export(user, period)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        (out / name).write_bytes(data)
        print(out / name)
    print(f"{len(files)} workbook(s) for {period}", file=sys.stderr)
    return 0


def cmd_progress_import(args: argparse.Namespace) -> int:
    _setup()
    from keikaku.services.excel import WorkbookRejected, progress_workbook_import
    from keikaku.services.progress import period_get

    period = period_get(args.period)
    user = _user(args.user)
    files = []
    for f in args.files:
        try:
            files.append((Path(f).name, Path(f).read_bytes()))
        except OSError as e:
            print(f"keikaku: {f}: {e.strerror}", file=sys.stderr)
            return 2
    try:
        res = progress_workbook_import(user, period, files, now=cli_clock.now(), submit=args.submit)
    except WorkbookRejected as e:
        for p in e.problems:
            print(str(p))
        print(
            f"keikaku: {len(e.problems)} problem(s); nothing saved / 何も保存しませんでした", file=sys.stderr
        )
        return 2
    for note in res.skipped:
        print(f"skipped / 取り込まず: {note}")
    print(f"changed {res.changed}, unchanged {res.unchanged}, empty {res.empty}, skipped {len(res.skipped)}")
    return 0


def cmd_evaluation_report(args: argparse.Namespace) -> int:
    _setup()
    from keikaku.services.reports import default_year, evaluation_report, evaluation_report_render
    from keikaku.services.rollup import plan_visible

    user = _user(args.user)
    plan = plan_visible(user, args.plan)
    today = cli_clock.today()
    fy = args.fy or default_year(plan, today)
    data = evaluation_report_render(evaluation_report(user, plan, fy, today=today), args.to)
    if args.output:
        Path(args.output).write_bytes(data)
        print(args.output, file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "progress-export",
        help="進捗報告の Excel ブックを部署ごとに書き出す / write per-department progress workbooks",
    )
    p.add_argument("period", type=int, help="報告期間 ID / reporting period id")
    p.add_argument("--user", required=True, help="利用者名（権限の判定に使う） / acting user name")
    p.add_argument("-o", "--output", default=".", help="出力フォルダ / output directory (default .)")
    p.add_argument(
        "--department", type=int, help="この部署だけ（部署 ID、0 = 担当部署なし） / one department"
    )
    p.set_defaults(func=cmd_progress_export)

    p = sub.add_parser(
        "progress-import",
        help="入力済みの進捗報告ブックを取り込む（問題があれば何も保存しない） / import filled workbooks",
    )
    p.add_argument("period", type=int, help="報告期間 ID / reporting period id")
    p.add_argument("files", nargs="+", help=".xlsx files")
    p.add_argument("--user", required=True, help="利用者名 / acting user name")
    p.add_argument("--submit", action="store_true", help="保存と同時に提出する / submit the saved reports")
    p.set_defaults(func=cmd_progress_import)

    p = sub.add_parser(
        "evaluation-report",
        help="計画の年度評価報告書を書き出す（HTML / DOCX / PDF） / write the yearly evaluation report",
    )
    p.add_argument("plan", type=int, help="計画 ID / plan id")
    p.add_argument(
        "--fy", type=int, help="年度（西暦） / fiscal year, e.g. 2025 (default: the latest period's)"
    )
    p.add_argument("--to", choices=("html", "docx", "pdf"), default="html")
    p.add_argument("-o", "--output", help="出力ファイル / output file (default: standard output)")
    p.add_argument("--user", help="利用者名（省略時は公開情報のみ） / acting user (default: the public view)")
    p.set_defaults(func=cmd_evaluation_report)
