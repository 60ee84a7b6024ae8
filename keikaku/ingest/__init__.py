"""Document import: readers (one per format) → blocks → extractor → plan JSON.

:func:`import_document` reads a file (txt, md, html, docx, pdf), recognises the national guide
(→ :class:`~keikaku.core.plan.Catalogue`) or else extracts a municipal plan
(→ :class:`~keikaku.core.plan.Plan`), and records the source document (name, format, sha256, pages).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from keikaku.core.plan import Catalogue, Plan, SourceDocument
from keikaku.ingest.blocks import ReaderError, ReadResult

__all__ = ["ReaderError", "import_document", "read_any"]

_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def read_any(path: Path) -> ReadResult:
    """Blocks of a document in any supported format."""
    try:
        from keikaku.ingest.readers import read_document
    except ImportError:
        read_document = None  # type: ignore[assignment]
    if read_document is not None:
        return read_document(path)
    if path.suffix.lower() in _TEXT_SUFFIXES:
        from keikaku.ingest.readers.text import read_text

        return read_text(path)
    raise ReaderError(f"対応していない形式です: {path.suffix or path.name}", "unsupported")


def _sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def import_document(path: Path, *, filename: str | None = None) -> Plan | Catalogue:
    """Read a plan document and extract its plan (or the guide's catalogue)."""
    path = Path(path)
    name = filename or path.name
    result = read_any(path)
    source = SourceDocument(filename=name, format=result.format, sha256=_sha256(path), pages=result.pages)
    try:
        from keikaku.ingest.extract.guide import extract_catalogue
    except ImportError:
        extract_catalogue = None  # type: ignore[assignment]
    if extract_catalogue is not None:
        catalogue = extract_catalogue(result, name)
        if catalogue is not None:
            catalogue.source = source
            return catalogue
    from keikaku.ingest.extract import extract_plan

    plan = extract_plan(result, name)
    plan.source = source
    return plan
