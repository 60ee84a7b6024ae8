"""Use case plan_import: a document file → plan JSON (and, unless asked not to, stored)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

from keikaku.core.plan import Catalogue, Plan
from keikaku.core.validation import Problem, has_errors, plan_rules
from keikaku.services.errors import InvalidDocument, ServiceError
from keikaku.services.plans import catalogue_save, plan_save

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
    if not path.exists():
        raise ImportFailed(f"ファイルがありません / no such file: {path}", "missing")
    if path.is_dir():
        raise ImportFailed(f"フォルダです / is a directory: {path}", "directory")
    size = path.stat().st_size
    if max_bytes and size > max_bytes:
        raise ImportFailed(
            f"ファイルが大きすぎます / file too large: {size:,} bytes > limit {max_bytes:,} (KEIKAKU_IMPORT_MAX_BYTES)",
            "too_large",
        )
    try:
        return import_document(path)
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
