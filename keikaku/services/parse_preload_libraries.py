"""Imported by the parse fork server of a long-lived process (the job worker, a folder import): the readers'
libraries, which each reader otherwise imports lazily in every child (about 0.6 s of CPU for all of them, which
a one-document `keikaku import --to json` should not pay)."""

from __future__ import annotations

import contextlib
import importlib

LIBRARIES = ("pypdfium2", "pdfplumber", "docx", "openpyxl", "pptx", "selectolax.lexbor")

for _name in LIBRARIES:
    with contextlib.suppress(Exception):
        importlib.import_module(_name)
