"""Reading settings from environment variables (the only source of configuration).

A malformed value stops start-up with a message in Japanese and English (``SystemExit``), never a silent
default: ``KEIKAKU_DEBUG=ture`` is an error, not ``false``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import secrets
import socket
import tempfile
from pathlib import Path

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY_CHARS = 32
# keys anyone can know: the one earlier versions derived from the data directory's path, Django's template key
INSECURE_KEY_PREFIXES = ("keikaku-embedded-insecure-", "django-insecure-")


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); unset or empty gives ``default``; anything else
    stops start-up."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SystemExit(
        f"設定エラー: {name}={raw!r} は真偽値ではありません（true / false、1 / 0、yes / no、on / off）"
        f" / bad setting: {name}={raw!r} is not a boolean (true/false, 1/0, yes/no, on/off)"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as e:
        raise SystemExit(f"設定エラー / bad setting: {name}={raw!r} is not an integer") from e


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [x.strip() for x in raw.split(",") if x.strip()]


# ---------------------------------------------------------------- logging

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def log_level() -> str:
    """KEIKAKU_LOG_LEVEL: the level of keikaku's own loggers (``keikaku.*``), default WARNING. Other
    libraries' loggers (Django …) stay at WARNING whatever it says."""
    raw = os.environ.get("KEIKAKU_LOG_LEVEL", "").strip().upper()
    if not raw:
        return "WARNING"
    if raw not in LOG_LEVELS:
        raise SystemExit(
            f"設定エラー: KEIKAKU_LOG_LEVEL={raw!r} はログの水準ではありません（{' / '.join(LOG_LEVELS)}）"
            f" / bad setting: KEIKAKU_LOG_LEVEL={raw!r} is not a log level ({', '.join(LOG_LEVELS)})"
        )
    return raw


def logging_config() -> dict:
    """Django's LOGGING: records go to standard error; keikaku's loggers at KEIKAKU_LOG_LEVEL, the rest
    at WARNING."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": LOG_FORMAT}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {"keikaku": {"level": log_level()}},
    }


def configure_logging() -> None:
    """The same without Django (the CLI before it starts Django, the importer's child process): a
    standard-error handler on the root logger when it has none, keikaku's loggers at KEIKAKU_LOG_LEVEL."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
    logging.getLogger("keikaku").setLevel(log_level())


# ---------------------------------------------------------------- the secret key


def secret_key(data_dir: Path) -> str:
    """``KEIKAKU_SECRET_KEY`` when set; else the random key kept in ``<data dir>/secret_key``, written there
    (readable by its owner only) on first run. Without a writable data directory the key is random for
    this process only (sessions end with it) and a warning says so."""
    given = env_str("KEIKAKU_SECRET_KEY", "").strip()
    if given:
        return given
    path = data_dir / SECRET_KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        # written whole under a temporary name, then linked into place: a process starting at the same
        # moment sees either no file or the whole key, never an empty one
        fd, tmp = tempfile.mkstemp(prefix=".secret_key-", dir=data_dir)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(key + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links: a plain rename (a narrow race remains)
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    except FileExistsError:  # another process wrote it first: use theirs
        return _read_key(path)
    except OSError as e:
        import sys

        print(
            f"keikaku: 警告: 秘密鍵を {path} に保存できません（{e.strerror}）。このプロセス限りの鍵を使います"
            " — KEIKAKU_SECRET_KEY を設定してください / warning: cannot write the secret key file;"
            " using a key for this process only — set KEIKAKU_SECRET_KEY",
            file=sys.stderr,
        )
        return key
    return key


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_SECRET_KEY_CHARS:
        raise SystemExit(
            f"設定エラー: 秘密鍵ファイル {path} が短すぎます（{MIN_SECRET_KEY_CHARS} 文字以上）。"
            "削除すると新しい鍵が作られます / bad secret key file: too short; delete it to get a new one"
        )
    return key


def weak_secret_key(key: str) -> bool:
    """A key others can know or guess: short, or one of the well-known development keys."""
    return len(key) < MIN_SECRET_KEY_CHARS or key.startswith(INSECURE_KEY_PREFIXES)


# ---------------------------------------------------------------- serving on a network


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(name, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(str(i[4][0]).split("%")[0]).is_loopback for i in infos)


def serve_refusal(host: str, *, secret_key: str, debug: bool) -> str | None:
    """Why the web server must not listen on ``host`` with these settings (None: it may). On a loopback
    address anything goes; elsewhere the development key and DEBUG are refused."""
    if is_loopback(host):
        return None
    if debug:
        return (
            f"{host} で待ち受けるときは KEIKAKU_DEBUG を有効にできません（内部の情報が画面に出ます）"
            f" / refusing to serve on {host} with KEIKAKU_DEBUG on: debug pages show internals"
        )
    if weak_secret_key(secret_key):
        return (
            f"{host} で待ち受けるには推測されない秘密鍵が必要です: KEIKAKU_SECRET_KEY を外すか"
            f"（データの置き場所に乱数の鍵が作られます）、{MIN_SECRET_KEY_CHARS} 文字以上の乱数にしてください"
            f" / refusing to serve on {host} with a development secret key: unset KEIKAKU_SECRET_KEY (a random"
            f" key is kept in the data directory) or set it to {MIN_SECRET_KEY_CHARS}+ random characters"
        )
    return None


def check_serve(host: str) -> None:
    """Stop (SystemExit, exit code 2) when :func:`serve_refusal` refuses ``host`` with Django's settings."""
    from django.conf import settings

    why = serve_refusal(host, secret_key=settings.SECRET_KEY, debug=settings.DEBUG)
    if why:
        import sys

        print(f"keikaku: {why}", file=sys.stderr)
        raise SystemExit(2)


CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"


def open_data_licence() -> str:
    """``KEIKAKU_OPEN_DATA_LICENSE``: the licence URI of published plans in the catalogue (default CC BY 4.0,
    as most Japanese municipal open data)."""
    return env_str("KEIKAKU_OPEN_DATA_LICENSE", "").strip() or CC_BY_4


def public_url() -> str:
    """``KEIKAKU_PUBLIC_URL``: the address of the public portal (``https://keikaku.example.lg.jp``), from
    which the catalogue and the pages' linked data make their absolute URLs; empty: the address each
    request came to. Must be http(s)."""
    raw = env_str("KEIKAKU_PUBLIC_URL", "").strip().rstrip("/")
    if raw and not raw.startswith(("http://", "https://")):
        raise SystemExit(
            f"設定エラー: KEIKAKU_PUBLIC_URL={raw!r} は http:// か https:// で始まる URL にしてください"
            f" / bad setting: KEIKAKU_PUBLIC_URL={raw!r} is not an http(s) URL"
        )
    return raw


CATALOGUE_PAGE_SIZE = 100


def catalogue_page_size() -> int:
    """``KEIKAKU_CATALOG_PAGE_SIZE``: datasets (published plans) per page of the catalogues (``?page=N``,
    Hydra links that ckanext-dcat's harvester follows); 0: one document with every plan."""
    size = env_int("KEIKAKU_CATALOG_PAGE_SIZE", CATALOGUE_PAGE_SIZE)
    if size < 0:
        raise SystemExit(
            f"設定エラー: KEIKAKU_CATALOG_PAGE_SIZE={size} は 0 以上にしてください（0 はページに分けない）"
            f" / bad setting: KEIKAKU_CATALOG_PAGE_SIZE={size} must be 0 (no paging) or more"
        )
    return size
