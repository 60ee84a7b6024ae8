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
    from keikaku import cli_clock
    from keikaku.services.progress import reminders_send

    today = args.today or cli_clock.today()
    res = reminders_send(today=today, days_before=args.days_before)
    print(
        f"{today.isoformat()}: 督促メール {res.messages} 通（報告期間 {res.periods}、遅延 {res.late_measures} 施策）"
        f" / {res.messages} reminder(s) for {res.periods} period(s), {res.late_measures} late measure(s)"
    )
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    """Create or update a login, and optionally give it a role in an organisation."""
    import sys
    from getpass import getpass

    from keikaku.web.bootstrap import migrate

    migrate()
    from keikaku.services.errors import NotFound, ServiceError
    from keikaku.services.people import department_lookup, membership_set, organisation_lookup, user_upsert

    org = None
    try:
        if args.org:
            org = organisation_lookup(args.org)
        if args.role and org is None:
            print("--role には --org が必要です / --role needs --org", file=sys.stderr)
            return 2
        depts = [department_lookup(org, name) for name in args.department or []] if org else []
        if args.department and org is None:
            raise NotFound(f"部署が見つかりません / no such department: {args.department[0]}")
    except NotFound as e:
        print(str(e), file=sys.stderr)
        return 3
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = getpass("パスワード / password: ")
        if password != getpass("もう一度 / again: "):
            print("パスワードが一致しません / passwords differ", file=sys.stderr)
            return 2
    try:
        res = user_upsert(None, args.name, email=args.email, password=password, superuser=args.superuser)
        user, created = res.user, res.created
        if org is not None and args.role:
            membership_set(user, org, args.role, depts)
    except ServiceError as e:
        print(str(e), file=sys.stderr)
        return 2
    what = "作成" if created else "更新"
    role = f" {org.name}: {args.role}" if org is not None and args.role else ""
    print(f"利用者を{what}しました / user {'created' if created else 'updated'}: {user.username}{role}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    u = sub.add_parser(
        "user",
        help="利用者（ログイン）を作り、団体での役割を与える / create a login and give it a role",
        description="利用者（ログイン）を作り、団体での役割を与える / create a login and give it a role",
    )
    u.add_argument("name", help="login name")
    u.add_argument("--email", help="e-mail address (reminders go here)")
    u.add_argument("--org", help="organisation id or name")
    u.add_argument("--role", choices=["admin", "editor", "reporter", "viewer"], help="role in --org")
    u.add_argument("--department", action="append", help="reporter's department (repeatable)")
    u.add_argument("--superuser", action="store_true", help="may use /admin/ (the CIO office)")
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    u.set_defaults(func=cmd_user)
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
