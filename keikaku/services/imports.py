"""Use case plan_import: a document file → plan JSON (and, unless asked not to, stored); the web import:
import_preview (an upload read and validated into a temporary folder under the data dir, named by a random
token bound to its uploader) and import_store (the reviewed upload stored as a draft)."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from keikaku.core.plan import Catalogue, Plan
from keikaku.core.validation import Problem, has_errors, plan_rules
from keikaku.db.accounts.models import Membership, Role
from keikaku.db.plans import models as pm
from keikaku.services.errors import InvalidDocument, NotFound, PermissionDenied, ServiceError
from keikaku.services.people import can
from keikaku.services.plans import catalogue_save, organisation_find, plan_save

LOW_CONFIDENCE = 0.6


class ImportFailed(ServiceError):
    """The document could not be read or is not a plan."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ImportResult:
    document: Plan | Catalogue
    problems: list[Problem] = field(default_factory=list)
    stored_id: int | None = None
    kind: str = "plan"

    def summary_lines(self) -> list[str]:
        d = self.document
        if isinstance(d, Catalogue):
            return [f"手引 (catalogue): {d.title}", f"  example measures: {len(d.measures)}"]
        kpis = sum(len(m.kpis) for m in d.measures)
        sched = sum(len(m.schedule) for m in d.measures)
        depts = {x for m in d.measures for x in m.departments}
        low = sum(
            1
            for m in d.measures
            if any(p.source == "inferred" and p.confidence < LOW_CONFIDENCE for p in m.pillars)
        )
        return [
            f"{d.organisation.name}: {d.title}",
            f"  measures {len(d.measures)}, KPIs {kpis}, schedule cells {sched}, departments {len(depts)}, "
            f"evaluations {len(d.evaluations)}",
            f"  warnings {sum(1 for p in self.problems if p.severity == 'warning')}, "
            f"low-confidence pillars {low}",
        ]


def document_read(path: Path) -> Plan | Catalogue:
    """Read and extract a document; any reader failure becomes ImportFailed with a clear message."""
    from keikaku.ingest import import_document
    from keikaku.ingest.blocks import ReaderError

    max_bytes = getattr(settings, "KEIKAKU_IMPORT_MAX_BYTES", None) if settings.configured else None
    try:
        return import_document(path, max_bytes=max_bytes)
    except ReaderError as e:
        raise ImportFailed(str(e), e.code) from None


def plan_import(path: Path, *, now: datetime, store: bool = True, status: str = "published") -> ImportResult:
    """Import one document. Nothing is stored when it has errors (or when store=False)."""
    doc = document_read(path)
    if isinstance(doc, Catalogue):
        result = ImportResult(doc, [], kind="catalogue")
        if store:
            result.stored_id = catalogue_save(doc, now=now).pk
        return result
    if not doc.measures:
        raise ImportFailed(
            f"計画として読み取れません (施策が見つかりません) / no measures found: {path.name} does not look like a plan",
            "not_a_plan",
        )
    problems = plan_rules(doc)
    if has_errors(problems):
        raise InvalidDocument(problems)
    result = ImportResult(doc, problems)
    if store:
        source_bytes = path.read_bytes()
        result.stored_id = plan_save(doc, now=now, status=status, source_bytes=source_bytes).pk
    return result


# ---- the web import: upload → review → store as draft ------------------------------------------

ACCEPTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".xlsx", ".pptx")
UPLOAD_TTL = timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_META = "upload.json"
_PLAN = "plan.json"


@dataclass
class ImportPreview:
    """A read and validated upload, waiting for review: its token, the plan, the warnings, and where it
    would be stored (None = a new organisation)."""

    token: str
    filename: str
    plan: Plan
    problems: list[Problem]
    organisation: pm.Organisation | None
    may_store: bool
    refusal: str = ""


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def may_import(user: Any) -> bool:
    """Planners (admin or editor of at least one organisation) and superusers may use the import page."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.EDITOR]).exists()


def _require_importer(user: Any) -> None:
    if not may_import(user):
        raise PermissionDenied("計画の取り込みは計画担当 (管理者・編集者) だけができます / planners only")


def _safe_name(filename: str) -> str:
    """The uploaded file's own name, without folders or control characters, at most 100 characters."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f/:*?\"<>|]", "_", name).strip(" .") or "document"
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    return stem[: 100 - len(suffix)] + suffix


def _upload_path(token: str) -> Path:
    if not _TOKEN.match(token or ""):
        raise NotFound("取り込みが見つかりません / no such upload")
    folder = uploads_dir() / token
    if not (folder / _META).is_file():
        raise NotFound("取り込みが見つかりません / no such upload (expired or already stored)")
    return folder


def upload_discard(token: str) -> None:
    """Delete an upload's temporary folder (nothing when it is gone already)."""
    if _TOKEN.match(token or ""):
        shutil.rmtree(uploads_dir() / token, ignore_errors=True)


def uploads_prune(*, now: datetime) -> int:
    """Delete uploads older than UPLOAD_TTL (reviews never finished); returns how many."""
    root, n = uploads_dir(), 0
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        try:
            age = now - datetime.fromtimestamp(folder.stat().st_mtime, tz=UTC)
        except OSError:
            continue
        if folder.is_dir() and age > UPLOAD_TTL:
            shutil.rmtree(folder, ignore_errors=True)
            n += 1
    return n


def import_preview(actor: Any, filename: str, chunks: Iterable[bytes], *, now: datetime) -> ImportPreview:
    """Save an uploaded document under the data dir (a folder named by a new random token), read and
    validate it. Unreadable, too large, not a plan or invalid → ImportFailed / InvalidDocument and the file
    is deleted. Nothing goes into the database."""
    _require_importer(actor)
    name = _safe_name(filename)
    if Path(name).suffix not in ACCEPTED_SUFFIXES:
        raise ImportFailed(
            f"対応していない形式です / unsupported format: {name} ({' '.join(ACCEPTED_SUFFIXES)})",
            "unsupported",
        )
    uploads_prune(now=now)
    token = secrets.token_urlsafe(24)
    folder = uploads_dir() / token
    folder.mkdir(parents=True, mode=0o700)
    try:
        path = folder / name
        max_bytes = settings.KEIKAKU_IMPORT_MAX_BYTES
        size = 0
        with path.open("wb") as fh:
            for chunk in chunks:
                size += len(chunk)
                if max_bytes and size > max_bytes:
                    raise ImportFailed(
                        f"ファイルが大きすぎます / file too large: limit {max_bytes:,} bytes "
                        "(KEIKAKU_IMPORT_MAX_BYTES)",
                        "too_large",
                    )
                fh.write(chunk)
        doc = document_read(path)
        if isinstance(doc, Catalogue):
            raise ImportFailed(
                "手引 (施策例のカタログ) です。計画書を選んでください (カタログは keikaku import で取り込みます)"
                " / this is the national guide, not a plan",
                "not_a_plan",
            )
        if not doc.measures:
            raise ImportFailed(
                f"計画として読み取れません (施策が見つかりません) / no measures found: {name} does not look like a plan",
                "not_a_plan",
            )
        problems = plan_rules(doc)
        if has_errors(problems):
            raise InvalidDocument(problems)
        (folder / _PLAN).write_text(doc.model_dump_json(), encoding="utf-8")
        meta = {"user": actor.pk, "filename": name, "created": now.isoformat()}
        (folder / _META).write_text(json.dumps(meta), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    org = organisation_find(doc.organisation)
    refusal = _store_refusal(actor, org, doc)
    return ImportPreview(token, name, doc, problems, org, not refusal, refusal)


def _store_refusal(actor: Any, org: pm.Organisation | None, doc: Plan) -> str:
    """Why ``actor`` may not store a plan of ``doc``'s organisation ("" = may)."""
    if org is None:
        if getattr(actor, "is_superuser", False):
            return ""
        return (
            f"団体「{doc.organisation.name}」は登録されていません。新しい団体はシステム管理者だけが作れます"
            f" / organisation {doc.organisation.name} does not exist; only a superuser may create it"
        )
    if can(actor, "plan.edit", org):
        return ""
    return f"「{org}」の計画担当ではないため保存できません / you are not a planner of {org}"


def import_get(actor: Any, token: str) -> tuple[Path, Plan, str]:
    """The upload behind ``token`` if it is ``actor``'s: (file path, plan, file name). Else NotFound."""
    folder = _upload_path(token)
    meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    if meta.get("user") != getattr(actor, "pk", None):
        raise NotFound("取り込みが見つかりません / no such upload")
    path = folder / meta["filename"]
    plan = Plan.model_validate_json((folder / _PLAN).read_text(encoding="utf-8"))
    return path, plan, meta["filename"]


def import_store(actor: Any, token: str, *, now: datetime) -> pm.Plan:
    """Store a reviewed upload as a draft plan with its source file, then delete the upload. Only a planner
    of the organisation the document names (a superuser for a new organisation)."""
    _require_importer(actor)
    path, plan, _ = import_get(actor, token)
    refusal = _store_refusal(actor, organisation_find(plan.organisation), plan)
    if refusal:
        raise PermissionDenied(refusal)
    row = plan_save(plan, now=now, status="draft", source_bytes=path.read_bytes())
    upload_discard(token)
    return row
