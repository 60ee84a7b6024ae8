"""``keikaku token USER --name NAME [--days N]``: print a new API token of a login, for scripts (the same
tokens as /accounts/profile/ issues; stored hashed, shown once). Registered by keikaku.cli; documented in
docs/cli.md and docs/api.md."""

from __future__ import annotations

import argparse
from datetime import timedelta


def token_issue(username: str, name: str, *, days: int | None = None) -> str:
    """A new token of ``username`` named ``name`` (expiring after ``days`` when given): the token text."""
    from keikaku import cli_clock
    from keikaku.services.people import token_create, user_get

    user = user_get(username)
    now = cli_clock.now()
    expires = now + timedelta(days=days) if days else None
    return token_create(user, name, now=now, expires_at=expires)[1]


def cmd_token(args: argparse.Namespace) -> int:
    import sys

    from keikaku.web.bootstrap import migrate

    migrate()
    from keikaku.services.errors import ServiceError

    try:
        token = token_issue(args.user, args.name, days=args.days)
    except ServiceError as e:
        print(f"keikaku: {e}", file=sys.stderr)
        return e.exit_code
    print(token)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    help_ = "API トークンを発行して表示する（スクリプト用） / print a new API token of a login (for scripts)"
    p = sub.add_parser("token", help=help_, description=help_)
    p.add_argument("user", help="login name")
    p.add_argument("--name", required=True, help="a name for the token (shown on the profile page)")
    p.add_argument("--days", type=int, default=None, help="expire after N days (default: never)")
    p.set_defaults(func=cmd_token)
