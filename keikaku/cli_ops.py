"""Operations commands of ``keikaku`` (registered by keikaku.cli): ``backup FILE``, ``restore FILE`` and
``unlock USER``. Documented in docs/cli.md and docs/operations.md."""

from __future__ import annotations

import argparse
from pathlib import Path


def _setup() -> None:
    from keikaku.web.bootstrap import setup

    setup()


def cmd_backup(args: argparse.Namespace) -> int:
    from keikaku.web.bootstrap import migrate

    migrate()
    from keikaku import cli_clock
    from keikaku.services.backup import backup_write

    res = backup_write(Path(args.file), now=cli_clock.now(), force=args.force)
    print(
        f"{res.path}: {res.rows} 行、ファイル {res.files} 件、{res.bytes:,} バイト"
        f" / {res.rows} rows, {res.files} files, {res.bytes:,} bytes"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup()
    from django.conf import settings

    from keikaku.services.backup import backup_manifest, backup_restore

    if args.check:
        manifest = backup_manifest(Path(args.file))
        rows = sum(manifest["models"].values())
        print(
            f"{args.file}: {manifest['created_at']} {manifest['database']} — {rows} 行、ファイル"
            f" {len(manifest['files'])} 件、検査済み / {rows} rows, {len(manifest['files'])} files, checksums ok"
        )
        return 0
    res = backup_restore(Path(args.file))
    where = settings.DATABASES["default"]["NAME"]
    print(
        f"{res.database} {where}: {res.rows} 行、ファイル {res.files} 件を戻しました"
        f" / restored {res.rows} rows and {res.files} files"
    )
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from keikaku.web.bootstrap import migrate

    migrate()
    from keikaku.web.security import unlock

    n = unlock(args.name)
    print(f"{args.name}: ログインの制限を解除しました（記録 {n} 件）/ unlocked ({n} record(s))")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    def add(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_, description=help_)  # type: ignore[no-any-return]

    p = add(
        "backup", "データベースと元文書を 1 つのファイルにバックアップする / back up the database and files"
    )
    p.add_argument("file", help="the archive to write (.zip)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(func=cmd_backup)
    p = add("restore", "バックアップを空のデータベースに戻す / restore a backup into an empty database")
    p.add_argument("file", help="an archive written by `keikaku backup`")
    p.add_argument("--check", action="store_true", help="only verify the archive and show what it holds")
    p.set_defaults(func=cmd_restore)
    p = add(
        "unlock", "ログインの制限（失敗の繰り返し）を解除する / unlock a user locked out after failed logins"
    )
    p.add_argument("name", help="login name")
    p.set_defaults(func=cmd_unlock)
