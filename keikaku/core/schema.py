"""The committed JSON Schemas of the keikaku formats. Regenerate: ``python -m keikaku.core.schema``."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from keikaku.core.plan import Catalogue, Plan

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMAS: dict[str, type[BaseModel]] = {"plan-v1.schema.json": Plan, "catalogue-v1.schema.json": Catalogue}
BASE_URI = "https://keikaku.example/schema/"


def generate(name: str) -> str:
    model = SCHEMAS[name]
    schema = model.model_json_schema(mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE_URI + name, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_all() -> list[Path]:
    SCHEMA_DIR.mkdir(exist_ok=True)
    out = []
    for name in SCHEMAS:
        path = SCHEMA_DIR / name
        path.write_text(generate(name), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for p in write_all():
        print(p)
