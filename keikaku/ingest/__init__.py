"""Document import: readers (one per format) → blocks → extractor → plan JSON.

:func:`import_document` reads a file (txt, md, html, docx, pdf), recognises the national guide
(→ :class:`~keikaku.core.plan.Catalogue`) or else extracts a municipal plan
(→ :class:`~keikaku.core.plan.Plan`), and records the source document (name, format, sha256, pages).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from pathlib import Path

from keikaku.core.plan import Catalogue, Plan, SourceDocument
from keikaku.ingest.blocks import BlockKind, ReaderError, ReadResult

__all__ = ["NoMeasuresFound", "ReaderError", "import_document"]


class NoMeasuresFound(ReaderError):
    """The document was read but no measure was found in it: never an empty plan that looks like success."""

    def __init__(self, result: ReadResult) -> None:
        kinds = Counter(b.kind for b in result.blocks)
        ja = (
            f"施策が見つかりませんでした（読み取れたもの: 見出し {kinds[BlockKind.HEADING]} 件、"
            f"表 {kinds[BlockKind.TABLE]} 件、段落 {kinds[BlockKind.PARAGRAPH] + kinds[BlockKind.LIST_ITEM]} 件）。"
            "計画の文書か、施策の書き方が読み取れる形かを確かめてください"
        )
        en = (
            f"no measures found (read {kinds[BlockKind.HEADING]} headings, {kinds[BlockKind.TABLE]} tables, "
            f"{kinds[BlockKind.PARAGRAPH] + kinds[BlockKind.LIST_ITEM]} paragraphs)"
        )
        super().__init__(f"{ja} / {en}", code="not_a_plan")


log = logging.getLogger(__name__)


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
    log.debug("%s: %s, %d blocks, %d warnings", name, result.format, len(result.blocks), len(result.warnings))
    source = SourceDocument(
        filename=name,
        format=result.format,
        sha256=_sha256(path),
        pages=result.pages,
        warnings=list(result.warnings) or None,
    )
    catalogue = extract_catalogue(result, name)
    if catalogue is not None:
        catalogue.source = source
        return catalogue
    plan = extract_plan(result, name)
    if not plan.measures:
        raise NoMeasuresFound(result)
    plan.source = source
    log.info("%s: %d measures", name, len(plan.measures))
    return plan
