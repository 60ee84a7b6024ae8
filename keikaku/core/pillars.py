"""The law's five pillars (基本的施策) and the national plan's 8 重点分野, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pillar:
    code: str
    name: str
    short: str
    law: str
    keywords: tuple[str, ...]


PILLARS: tuple[Pillar, ...] = (
    Pillar(
        "A",
        "手続における情報通信の技術の利用等",
        "オンライン化原則",
        "官民データ活用推進基本法 第10条第1項",
        ("オンライン", "電子申請", "手続"),
    ),
    Pillar("B", "官民データの容易な利用等", "オープンデータの推進", "同法 第11条第1項", ("オープンデータ",)),
    Pillar(
        "C",
        "個人番号カードの普及及び活用",
        "マイナンバーカードの普及・活用",
        "同法 第13条",
        ("マイナンバー", "個人番号"),
    ),
    Pillar(
        "D", "利用の機会等の格差の是正", "デジタルデバイド対策", "同法 第14条", ("格差", "デジタルデバイド")
    ),
    Pillar(
        "E",
        "情報システムに係る規格の整備及び互換性の確保等",
        "標準化・デジタル化・システム改革・BPR",
        "同法 第15条第1項",
        ("標準化", "システム", "BPR"),
    ),
    Pillar("other", "その他", "パーソナルデータ・人材・セキュリティ等", "—", ("その他",)),
)

PILLAR_CODES: frozenset[str] = frozenset(p.code for p in PILLARS)
PILLAR_BY_CODE: dict[str, Pillar] = {p.code: p for p in PILLARS}

PRIORITY_AREAS: tuple[str, ...] = (
    "電子行政",
    "健康・医療・介護",
    "観光",
    "金融",
    "農林水産",
    "ものづくり",
    "インフラ・防災・減災等",
    "移動",
)
# the guide also tags a few examples その他 (none of the eight)
PRIORITY_AREA_OTHER = "その他"
PRIORITY_AREA_NAMES: frozenset[str] = frozenset((*PRIORITY_AREAS, PRIORITY_AREA_OTHER))


def pillar_code(code: str) -> str:
    """The code as pages show it: A … E, and その他 for ``other`` (the code itself is data, not a word)."""
    p = PILLAR_BY_CODE.get(code)
    return p.name if p is not None and code == "other" else code


def pillar_label(code: str) -> str:
    p = PILLAR_BY_CODE.get(code)
    return f"{pillar_code(code)}: {p.short}" if p else code
