"""Document import: readers (one per format) → blocks → extractor → plan JSON.

:func:`import_document` reads a file (txt, md, html, docx, pdf), recognises the national guide
(→ :class:`~keikaku.core.plan.Catalogue`) or else extracts a municipal plan
(→ :class:`~keikaku.core.plan.Plan`), and records the source document (name, format, sha256, pages).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from keikaku.core.plan import Catalogue, Plan, SourceDocument
from keikaku.ingest.blocks import ReaderError

__all__ = ["ReaderError", "import_document"]


def _sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def import_document(
    path: Path, *, filename: str | None = None, max_bytes: int | None = None
) -> Plan | Catalogue:
    """Read a plan document and extract its plan (or the guide's catalogue).

    ``max_bytes`` is the size limit (default: KEIKAKU_IMPORT_MAX_BYTES, see readers.read_document).
    """
    from keikaku.ingest.extract import extract_plan
    from keikaku.ingest.extract.guide import extract_catalogue
    from keikaku.ingest.readers import read_document

    path = Path(path)
    name = filename or path.name
    result = read_document(path, max_bytes=max_bytes)
    source = SourceDocument(filename=name, format=result.format, sha256=_sha256(path), pages=result.pages)
    catalogue = extract_catalogue(result, name)
    if catalogue is not None:
        catalogue.source = source
        return catalogue
    plan = extract_plan(result, name)
    plan.source = source
    return plan
