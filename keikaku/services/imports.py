"""Use case plan_import: a document file → plan JSON (and, unless asked not to, stored); the web import:
import_preview (an upload read and validated into a temporary folder under the data dir, named by a random
token bound to its uploader) and import_store (the reviewed upload stored as a draft)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from keikaku.core.plan import Catalogue, Plan
from keikaku.core.validation import Problem, has_errors, plan_rules
from keikaku.db.accounts.models import Membership, Role
from keikaku.db.plans import models as pm
from keikaku.services import logs
from keikaku.services.bounded import ImportFailed, ParseTimeout, ParseTooLarge, document_parse
from keikaku.services.errors import InvalidDocument, NotFound, PermissionDenied
from keikaku.services.organisations import NewOrganisation, may_create_organisation, organisation_create
from keikaku.services.people import can
from keikaku.services.plans import catalogue_save, organisation_find, plan_save

logger = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.6
__all__ = ["ImportFailed", "ParseTimeout", "ParseTooLarge", "document_read", "plan_import"]


@dataclass
class ImportResult:
    document: Plan | Catalogue
    problems: list[Problem] = field(default_factory=list)
    stored_id: int | None = None
    kind: str = "plan"
    duplicate_of: int | None = None  # a stored plan of the same organisation from the same file

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
        lines = [
            f"{d.organisation.name}: {d.title}",
            f"  measures {len(d.measures)}, KPIs {kpis}, schedule cells {sched}, departments {len(depts)}, "
            f"evaluations {len(d.evaluations)}",
            f"  warnings {sum(1 for p in self.problems if p.severity == 'warning')}, "
            f"low-confidence pillars {low}",
        ]
        if self.duplicate_of is not None:
            lines.append(f"  同じ文書を取り込み済み / already stored: plan {self.duplicate_of}")
        return lines


def document_read(path: Path, *, filename: str | None = None) -> Plan | Catalogue:
    """Read and extract a document in a bounded child process (keikaku.services.bounded: time and memory
    limits); any failure becomes ImportFailed (ParseTimeout, ParseTooLarge) with a clear message."""
    max_bytes = getattr(settings, "KEIKAKU_IMPORT_MAX_BYTES", None) if settings.configured else None
    return document_parse(path, filename=filename, max_bytes=max_bytes)


class DuplicateDocument(ImportFailed):
    """The same document (same sha256) is already stored as a plan of the same organisation."""

    def __init__(self, existing: pm.Plan, filename: str) -> None:
        self.existing = existing
        super().__init__(
            f"同じ文書がすでに取り込まれています: 計画 {existing.pk}「{existing.title}」（{existing.get_status_display()}、"
            f"/manage/plans/{existing.pk}/）。新しい版として保存するときは --force を付けてください"
            f" / {filename} is already stored as plan {existing.pk}; --force stores it as a new version",
            "duplicate",
        )


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def duplicate_find(org: pm.Organisation | None, sha256: str) -> pm.Plan | None:
    """The newest stored plan of ``org`` whose source document has this sha256 (None: not stored yet)."""
    if org is None:
        return None
    return (
        pm.Plan.objects.filter(organisation=org, source_file__sha256=sha256)
        .order_by("-created_at", "-pk")
        .first()
    )


def plan_import(
    path: Path, *, now: datetime, store: bool = True, status: str = pm.DRAFT, force: bool = False
) -> ImportResult:
    """Import one document (a draft unless ``status`` says otherwise). Nothing is stored when it has
    errors (or when store=False). The same file already stored for the same organisation raises
    DuplicateDocument unless ``force``: then it is stored as a new version of that plan."""
    doc = document_read(path)
    if isinstance(doc, Catalogue):
        result = ImportResult(doc, [], kind="catalogue")
        if store:
            result.stored_id = catalogue_save(doc, now=now).pk
        _done = result
        logger.info("plan_import: %s -> %s (by %s)", logs.ref(path), logs.ref(_done), "operator")
        return _done
    if not doc.measures:
        raise ImportFailed(
            f"計画として読み取れません (施策が見つかりません) / no measures found: {path.name} does not look like a plan",
            "not_a_plan",
        )
    problems = plan_rules(doc)
    if has_errors(problems):
        raise InvalidDocument(problems)
    result = ImportResult(doc, problems)
    source_bytes = path.read_bytes()
    duplicate = duplicate_find(organisation_find(doc.organisation), hashlib.sha256(source_bytes).hexdigest())
    result.duplicate_of = duplicate.pk if duplicate else None
    if store:
        if duplicate is not None and not force:
            raise DuplicateDocument(duplicate, path.name)
        row = plan_save(doc, now=now, status=status, source_bytes=source_bytes, previous=duplicate)
        result.stored_id = row.pk
    _done = result
    logger.info("plan_import: %s -> %s (by %s)", logs.ref(path), logs.ref(_done), "operator")
    return _done


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
    duplicate: pm.Plan | None = None  # a stored plan of the same organisation from the same file
    # where the uploader may store it: the organisations they plan for (admin or editor), the one the
    # document names first when it is one of them; a system administrator may also register a new one
    targets: list[pm.Organisation] = field(default_factory=list)
    suggested: pm.Organisation | None = None
    may_create: bool = False


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
    logger.info("upload_discard: %s -> %s (by %s)", logs.ref(token), logs.ref(None), "operator")


def uploads_prune(*, now: datetime) -> int:
    """Delete uploads older than UPLOAD_TTL (reviews never finished); returns how many."""
    root, n = uploads_dir(), 0
    if not root.is_dir():
        _done = 0
        logger.info("uploads_prune: %s -> %s (by %s)", "-", logs.ref(_done), "operator")
        return _done
    for folder in root.iterdir():
        try:
            age = now - datetime.fromtimestamp(folder.stat().st_mtime, tz=UTC)
        except OSError:
            continue
        if folder.is_dir() and age > UPLOAD_TTL:
            shutil.rmtree(folder, ignore_errors=True)
            n += 1
    _done = n
    logger.info("uploads_prune: %s -> %s (by %s)", "-", logs.ref(_done), "operator")
    return _done


def upload_receive(
    actor: Any,
    filename: str,
    chunks: Iterable[bytes],
    *,
    now: datetime,
    start: Callable[[str], str] | None = None,
) -> str:
    """Save an uploaded document under the data dir, in a folder named by a new random token recorded with
    its uploader; returns the token. Refused (ImportFailed) when its format is not accepted or it grows past
    KEIKAKU_IMPORT_MAX_BYTES while it arrives (the folder is deleted). Reading it is upload_read's job:
    ``start(token)`` (keikaku.services.jobs) queues it and returns the job's id, recorded with the upload."""
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
        max_bytes = settings.KEIKAKU_IMPORT_MAX_BYTES
        size = 0
        with (folder / name).open("wb") as fh:
            for chunk in chunks:
                size += len(chunk)
                if max_bytes and size > max_bytes:
                    raise ImportFailed(
                        f"ファイルが大きすぎます / file too large: limit {max_bytes:,} bytes "
                        "(KEIKAKU_IMPORT_MAX_BYTES)",
                        "too_large",
                    )
                fh.write(chunk)
        meta = {"user": actor.pk, "filename": name, "created": now.isoformat()}
        _write_meta(folder, meta)
        if start is not None:
            meta["task"] = start(token)
            _write_meta(folder, meta)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return token


def _write_meta(folder: Path, meta: dict[str, Any]) -> None:
    """Written whole (a reader in another process never sees half a file)."""
    tmp = folder / (_META + ".tmp")
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, folder / _META)


def upload_meta(token: str) -> dict[str, Any]:
    """The upload's record: user (the uploader's id), filename, created, and what the job added."""
    return dict(json.loads((_upload_path(token) / _META).read_text(encoding="utf-8")))


def upload_read(token: str) -> Plan:
    """Read and validate an upload (in the bounded child: keikaku.services.bounded) and keep the plan next
    to it for the review. Unreadable, too large, too slow, not a plan or invalid → ImportFailed /
    InvalidDocument, and the document file is deleted. Nothing goes into the database. The job's step:
    upload_receive checked the uploader."""
    folder = _upload_path(token)
    name = json.loads((folder / _META).read_text(encoding="utf-8"))["filename"]
    path = folder / name
    try:
        doc = document_read(path, filename=name)
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
        if has_errors(plan_rules(doc)):
            raise InvalidDocument(plan_rules(doc))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    (folder / _PLAN).write_text(doc.model_dump_json(), encoding="utf-8")
    return doc


def import_targets(actor: Any) -> list[pm.Organisation]:
    """The organisations ``actor`` may store an imported plan in: those they plan for (admin, editor)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        pm.Organisation.objects.filter(
            memberships__user=actor, memberships__role__in=[Role.ADMIN, Role.EDITOR]
        ).order_by("prefecture", "name")
    )


def _store_refusal(actor: Any, targets: list[pm.Organisation]) -> str:
    """Why ``actor`` may store the upload nowhere ("" = somewhere)."""
    if targets or may_create_organisation(actor):
        return ""
    return (
        "計画担当（管理者・編集者）である団体がないため保存できません / you are a planner of no organisation"
    )


def _own_upload(actor: Any, token: str) -> tuple[Path, dict[str, Any]]:
    folder = _upload_path(token)
    meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    if meta.get("user") != getattr(actor, "pk", None):
        raise NotFound("取り込みが見つかりません / no such upload")
    return folder, meta


def import_owned(actor: Any, token: str) -> dict[str, Any]:
    """The record of ``actor``'s own upload (NotFound for anyone else's, a forged or an expired token)."""
    return _own_upload(actor, token)[1]


def import_get(actor: Any, token: str) -> ImportPreview:
    """The read upload behind ``token`` if it is ``actor``'s, ready for review (NotFound otherwise, also
    while it is still being read): the plan, its warnings, where it would be stored, whether ``actor`` may
    store it, and a stored plan of the same organisation made from the same file."""
    folder, meta = _own_upload(actor, token)
    if not (folder / _PLAN).is_file():
        raise NotFound("取り込みが見つかりません / no such upload (not read yet)")
    plan = Plan.model_validate_json((folder / _PLAN).read_text(encoding="utf-8"))
    org = organisation_find(plan.organisation)
    targets = import_targets(actor)
    refusal = _store_refusal(actor, targets)
    may_create = may_create_organisation(actor)
    if org is not None and org in targets:
        suggested: pm.Organisation | None = org
    elif org is None and may_create:
        suggested = None  # register the organisation the document names
    else:
        suggested = targets[0] if targets else None
    duplicate = None
    if suggested is not None and (folder / meta["filename"]).is_file():
        duplicate = duplicate_find(suggested, file_sha256(folder / meta["filename"]))
    return ImportPreview(
        token,
        meta["filename"],
        plan,
        plan_rules(plan),
        org,
        not refusal,
        refusal,
        duplicate=duplicate,
        targets=targets,
        suggested=suggested,
        may_create=may_create,
    )


def import_store(
    actor: Any,
    token: str,
    *,
    now: datetime,
    force: bool = False,
    organisation_id: int | None = None,
    new_organisation: NewOrganisation | None = None,
) -> pm.Plan:
    """Store a reviewed upload as a draft plan with its source file, then delete the upload. Only the
    uploader, into an organisation they choose among those they plan for (``organisation_id``; default:
    the one the document names, when it is one of them, else their first) — or, for a system administrator,
    a new organisation (``new_organisation``; they become its admin). The same file already stored for
    that organisation → DuplicateDocument, unless ``force``: then it is stored as a new version of that
    plan. The uploader can always see the draft: they plan for its organisation."""
    _require_importer(actor)
    preview = import_get(actor, token)
    if preview.refusal:
        raise PermissionDenied(preview.refusal)
    path = uploads_dir() / token / preview.filename
    if new_organisation is None and organisation_id is None and preview.suggested is None:
        doc_org = preview.plan.organisation  # a system administrator's first import of an organisation
        new_organisation = NewOrganisation(doc_org.name, doc_org.prefecture or "", doc_org.code or "")
    if new_organisation is not None:
        org = organisation_create(actor, new_organisation)
        duplicate = None
    else:
        if organisation_id is None:
            org = preview.suggested
        else:
            org = next((o for o in preview.targets if o.pk == organisation_id), None)
        if org is None or not can(actor, "plan.edit", org):
            raise PermissionDenied(
                "この団体の計画担当ではないため保存できません / not a planner of that organisation"
            )
        duplicate = duplicate_find(org, file_sha256(path))
    if duplicate is not None and not force:
        raise DuplicateDocument(duplicate, preview.filename)
    row = plan_save(
        preview.plan,
        now=now,
        status=pm.DRAFT,
        source_bytes=path.read_bytes(),
        previous=duplicate,
        organisation=org,
    )
    upload_discard(token)
    _done = row
    logger.info("import_store: %s -> %s (by %s)", logs.ref(token), logs.ref(_done), logs.by(actor))
    return _done
