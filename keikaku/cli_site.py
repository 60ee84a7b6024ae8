"""``keikaku export-site DIR [--org CODE] [--base-url URL]``: write the public portal for the published
plans as static files (keikaku.web.static_site). Registered by keikaku.cli; documented in docs/cli.md and
docs/portal.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_BASE_URL = "http://localhost:8000"


def cmd_export_site(args: argparse.Namespace) -> int:
    from keikaku.web.bootstrap import migrate

    migrate()
    from django.conf import settings

    from keikaku.services.errors import ServiceError
    from keikaku.web.static_site import export_site

    base = args.base_url or settings.KEIKAKU_PUBLIC_URL
    if not base:
        base = DEFAULT_BASE_URL
        print(
            f"keikaku: 公開先のアドレスの指定がないため、カタログの URL は {base} になります。"
            " --base-url（または KEIKAKU_PUBLIC_URL）にインターネット側のアドレスを指定してください"
            f" / no --base-url: the catalogue's URLs use {base}",
            file=sys.stderr,
        )
    if not base.startswith(("http://", "https://")):
        print(
            f"keikaku: --base-url {base!r} は http:// か https:// で始めてください / not an http(s) URL",
            file=sys.stderr,
        )
        return 2
    out = Path(args.dir)
    if out.exists() and not out.is_dir():
        print(f"keikaku: {out} はフォルダではありません / not a directory", file=sys.stderr)
        return 2
    try:
        site = export_site(out, base_url=base, organisation_code=args.org)
    except ServiceError as e:
        print(f"keikaku: {e}", file=sys.stderr)
        return e.exit_code
    for line in site.skipped:
        print(f"keikaku: 書き出せなかったページ / not written: {line}", file=sys.stderr)
    print(
        f"{out}: ページ {site.pages}、ファイル {site.files}（{site.bytes:,} バイト） / {site.pages} pages, {site.files} files"
    )
    return 1 if site.skipped else 0


def register(sub: argparse._SubParsersAction) -> None:
    help_ = "公開ポータルを静的ファイルに書き出す / write the public portal as static files"
    p = sub.add_parser("export-site", help=help_, description=help_)
    p.add_argument("dir", help="output folder (created; files in it are overwritten)")
    p.add_argument("--org", help="only this organisation (全国地方公共団体コード, e.g. 222992)")
    p.add_argument(
        "--base-url",
        help="the internet-side address the folder will be served from (default: KEIKAKU_PUBLIC_URL)",
    )
    p.set_defaults(func=cmd_export_site)
