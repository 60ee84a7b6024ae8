"""`python -m keikaku.ingest PATH` — print the plan (or catalogue) JSON of a document."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from keikaku.ingest import import_document
from keikaku.ingest.blocks import ReaderError


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m keikaku.ingest PATH", file=sys.stderr)
        return 2
    try:
        doc = import_document(Path(args[0]))
    except ReaderError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    data = doc.model_dump(mode="json", exclude_none=True)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
