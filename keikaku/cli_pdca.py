"""PDCA commands of ``keikaku`` (registered by keikaku.cli): ``keikaku remind [--today YYYY-MM-DD]``."""

from __future__ import annotations

import argparse
from datetime import date


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def cmd_remind(args: argparse.Namespace) -> int:
    from keikaku.web.bootstrap import migrate

    migrate()
    from keikaku.services.progress import reminders_send

    today = args.today or date.today()
    res = reminders_send(today=today, days_before=args.days_before)
    print(
        f"{today.isoformat()}: 督促メール {res.messages} 通（報告期間 {res.periods}、遅延 {res.late_measures} 施策）"
        f" / {res.messages} reminder(s) for {res.periods} period(s), {res.late_measures} late measure(s)"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "remind",
        help="進捗報告の督促メールを送る / e-mail reminders for progress reports due or late",
        description="進捗報告の督促メールを送る / e-mail reminders for progress reports due or late",
    )
    p.add_argument("--today", type=_date, help="the date to judge due/late against (default: today)")
    p.add_argument(
        "--days-before", type=int, default=7, help="remind this many days before the due date (default 7)"
    )
    p.set_defaults(func=cmd_remind)
