"""Backup and restore of the whole database (``keikaku backup FILE`` / ``keikaku restore FILE``).

A backup is one ZIP archive:

- ``manifest.json``: format and version, when and from which database kind it was made, the migrations
  applied, the number of rows of every model, the SHA-256 of ``data.jsonl`` and of every file;
- ``data.jsonl``: every row of every model (Django's JSON Lines serialisation, primary keys kept), in an
  order that loads (rows a row refers to come first), without binary columns;
- ``files/<app.model>/<pk>/<field>``: the binary columns — the stored source documents
  (``plans.SourceFile.content``) — one file each, so that no document has to sit in memory as text.

Consistency while the server runs: every row and file is read inside one read-only snapshot transaction
(PostgreSQL: REPEATABLE READ; SQLite in WAL mode: a deferred transaction, whose first read fixes the
snapshot and which never blocks the server's writes). Writes that happen during the backup are either
wholly in it or wholly not.

Left out: sessions (everyone signs in again) and the background-job queue (its uploads are temporary
files under the data directory). The secret key (``KEIKAKU_SECRET_KEY`` or ``<data dir>/secret_key``) is not
in the archive: keep it apart (docs/operations.md).

Restore loads an archive into an empty database of either kind (SQLite or PostgreSQL): it migrates the
database, refuses when any table already holds data, loads every row with its primary key in one
transaction (content types and permissions too, in place of the ones ``migrate`` made), writes the files
back, checks every count and checksum against the manifest and resets PostgreSQL's sequences.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction

from keikaku.services.errors import ServiceError

FORMAT = "keikaku-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
FILES = "files/"
# not backed up: sessions (sign in again), the job queue (its uploads are temporary files)
SKIPPED = frozenset({"sessions.session", "django_tasks_database.dbtaskresult"})
# made by `migrate` in every database: replaced by the backup's own rows (same primary keys)
REPLACED = ("auth.permission", "contenttypes.contenttype")
CHUNK = 1 << 20


class BackupError(ServiceError):
    """A backup or restore that cannot be done (exit code 2): the message says why, in Japanese and English."""


@dataclass
class BackupResult:
    path: Path
    rows: int
    files: int
    bytes: int
    models: dict[str, int] = field(default_factory=dict)


class _PreciseEncoder(DjangoJSONEncoder):
    """Times with all their microseconds (DjangoJSONEncoder keeps milliseconds): a restore is exact."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, date):
            return o.isoformat()
        return super().default(o)


# ---------------------------------------------------------------- which models, in which order


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete, managed model but SKIPPED, ordered so that a row's references load before it."""
    by_app: dict[Any, list[type[models.Model]]] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or _label(model) in SKIPPED:
            continue
        by_app.setdefault(apps.get_app_config(meta.app_label), []).append(model)
    return serializers.sort_dependencies(list(by_app.items()), allow_cycles=True)


def _binary_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]


def _text_fields(model: type[models.Model]) -> list[str]:
    binary = set(_binary_fields(model))
    names = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in binary]
    return names + [f.name for f in model._meta.many_to_many]


def _applied_migrations(alias: str) -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# ---------------------------------------------------------------- backup


@contextlib.contextmanager
def _snapshot(alias: str) -> Iterator[None]:
    """One read-only snapshot for everything read inside (see the module's docstring)."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor != "sqlite":
        raise BackupError(f"対応していないデータベースです / unsupported database: {connection.vendor}")
    connection.ensure_connection()
    if connection.in_atomic_block or not connection.get_autocommit():
        raise BackupError(
            "トランザクションの中ではバックアップできません / cannot back up inside a transaction"
        )
    with connection.cursor() as cursor:
        # Django keeps SQLite in autocommit mode (no implicit BEGIN); with WAL, this transaction's first
        # read fixes what every later read sees, and writers in other connections go on meanwhile
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("keikaku")
    except PackageNotFoundError:
        return "unknown"


class _Counting:
    """An iterator that counts what passes through it."""

    def __init__(self, it: Iterator[Any]) -> None:
        self.it, self.n = it, 0

    def __iter__(self) -> Iterator[Any]:
        for x in self.it:
            self.n += 1
            yield x


def backup_write(
    target: Path, *, now: datetime, alias: str = DEFAULT_DB_ALIAS, force: bool = False
) -> BackupResult:
    """Write the whole database to the archive ``target`` (see the module's docstring). The archive is built
    next to it and renamed into place when complete: an interrupted backup leaves no half archive."""
    target = Path(target)
    if target.exists() and not force:
        raise BackupError(
            f"{target} はすでにあります（上書きするときは --force）/ {target} exists (use --force to overwrite)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    counts: dict[str, int] = {}
    files: list[dict[str, Any]] = []
    data_hash = hashlib.sha256()
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            with _snapshot(alias):
                applied = _applied_migrations(alias)
                info = zipfile.ZipInfo(DATA, date_time=now.timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as raw:
                    stream = _HashingText(raw, data_hash)
                    for model in backed_up_models():
                        qs = model._base_manager.using(alias).order_by("pk")
                        rows = _Counting(qs.iterator(chunk_size=2000))
                        serializers.serialize(
                            "jsonl", rows, stream=stream, fields=_text_fields(model), cls=_PreciseEncoder
                        )
                        counts[_label(model)] = rows.n
                    stream.flush()
                for model in backed_up_models():
                    for name in _binary_fields(model):
                        files += _write_files(zf, model, name, alias)
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "keikaku": _version(),
                "created_at": now.isoformat(),
                "database": connections[alias].vendor,
                "migrations": applied,
                "models": counts,
                "data_sha256": data_hash.hexdigest(),
                "files": files,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=target,
        rows=sum(counts.values()),
        files=len(files),
        bytes=target.stat().st_size,
        models=counts,
    )


class _HashingText(io.TextIOBase):
    """A text stream over a binary one that also feeds a hash with the UTF-8 bytes it writes."""

    def __init__(self, raw: IO[bytes], digest: Any) -> None:
        self.raw, self.digest = raw, digest

    def write(self, text: str) -> int:  # type: ignore[override]
        data = text.encode("utf-8")
        self.raw.write(data)
        self.digest.update(data)
        return len(text)

    def writable(self) -> bool:
        return True


def _entry(model: type[models.Model], pk: Any, name: str) -> str:
    return f"{FILES}{_label(model)}/{pk}/{name}"


def _write_files(
    zf: zipfile.ZipFile, model: type[models.Model], name: str, alias: str
) -> list[dict[str, Any]]:
    out = []
    qs = model._base_manager.using(alias).order_by("pk").values_list("pk", flat=True)
    for pk in qs.iterator(chunk_size=500):
        value = model._base_manager.using(alias).filter(pk=pk).values_list(name, flat=True).first()
        if value is None:
            continue
        data = bytes(value)
        entry = _entry(model, pk, name)
        zf.writestr(entry, data)
        out.append(
            {
                "model": _label(model),
                "pk": pk,
                "field": name,
                "entry": entry,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return out


# ---------------------------------------------------------------- restore


@dataclass
class RestoreResult:
    rows: int
    files: int
    database: str
    models: dict[str, int] = field(default_factory=dict)


def _manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError) as e:
        raise BackupError("keikaku のバックアップではありません / not a keikaku backup (no manifest)") from e
    if manifest.get("format") != FORMAT:
        raise BackupError("keikaku のバックアップではありません / not a keikaku backup")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"バックアップの形式 {manifest.get('version')} には対応していません"
            f" / backup format version {manifest.get('version')} is not supported"
        )
    return manifest


def _check_archive(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every checksum of the manifest against the archive's content (a damaged copy is refused whole)."""
    expected = [(DATA, manifest["data_sha256"])] + [(f["entry"], f["sha256"]) for f in manifest["files"]]
    for entry, sha in expected:
        h = hashlib.sha256()
        try:
            with zf.open(entry) as f:
                while chunk := f.read(CHUNK):
                    h.update(chunk)
        except (KeyError, zipfile.BadZipFile, OSError) as e:
            raise BackupError(f"バックアップが壊れています / damaged backup: {entry}: {e}") from e
        if h.hexdigest() != sha:
            raise BackupError(f"バックアップが壊れています / damaged backup: checksum of {entry}")


def _check_migrations(manifest: dict[str, Any]) -> None:
    """Refuse a backup made by a newer keikaku (migrations this code does not have)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "このバックアップは新しい版の keikaku で作られました。同じ版以降の keikaku で戻してください"
            f" / this backup comes from a newer keikaku (unknown migrations: {', '.join(unknown[:5])})"
        )


def _non_empty(alias: str) -> list[str]:
    return [
        _label(model)
        for model in backed_up_models()
        if _label(model) not in REPLACED and model._base_manager.using(alias).exists()
    ]


def backup_restore(source: Path, *, alias: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Load the archive ``source`` into the (empty) database ``alias``: see the module's docstring."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    source = Path(source)
    try:
        zf = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as e:
        raise BackupError(f"{source}: バックアップを開けません / cannot open the backup: {e}") from e
    with zf, tempfile.TemporaryDirectory(prefix="keikaku-restore-") as tmp:
        manifest = _manifest(zf)
        _check_archive(zf, manifest)
        _check_migrations(manifest)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        busy = _non_empty(alias)
        if busy:
            raise BackupError(
                "戻す先のデータベースが空ではありません（"
                + ", ".join(busy[:5])
                + " …）。新しい空のデータベースに戻してください"
                " / the database is not empty: restore into a new, empty database"
            )
        fixture = Path(tmp) / "data.jsonl"
        with zf.open(DATA) as src, fixture.open("wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        with transaction.atomic(using=alias):
            for label in REPLACED:  # the ones migrate made give way to the backup's (same primary keys)
                apps.get_model(label)._base_manager.using(alias).all().delete()
            ContentType.objects.clear_cache()
            try:
                call_command("loaddata", str(fixture), database=alias, verbosity=0)
            except (DatabaseError, DeserializationError) as e:
                raise BackupError(
                    f"バックアップの行を読み込めませんでした（何も戻していません）/ cannot load the backup's rows"
                    f" (nothing restored): {e}"
                ) from e
            for f in manifest["files"]:
                model = apps.get_model(f["model"])
                data = zf.read(f["entry"])
                model._base_manager.using(alias).filter(pk=f["pk"]).update(**{f["field"]: data})
            counts = _counts(alias)
            wrong = {k: (v, counts.get(k)) for k, v in manifest["models"].items() if counts.get(k) != v}
            if wrong:
                raise BackupError(f"戻した行数が合いません / row counts differ after loading: {wrong}")
        ContentType.objects.clear_cache()
        # content types and permissions of models the backup did not know (a newer keikaku): post_migrate
        call_command("migrate", database=alias, interactive=False, verbosity=0)
    return RestoreResult(
        rows=sum(manifest["models"].values()),
        files=len(manifest["files"]),
        database=connections[alias].vendor,
        models=counts,
    )


def _counts(alias: str) -> dict[str, int]:
    return {_label(m): m._base_manager.using(alias).count() for m in backed_up_models()}


def backup_manifest(source: Path) -> dict[str, Any]:
    """The manifest of an archive (what ``keikaku restore --check`` shows), its checksums verified."""
    with zipfile.ZipFile(source) as zf:
        manifest = _manifest(zf)
        _check_archive(zf, manifest)
    return manifest
