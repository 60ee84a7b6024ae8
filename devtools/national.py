"""A realistic synthetic national dataset for measuring the portal and search (a development tool).

    python -m devtools.national [--governments 1788] [--measures 60] [--seed 1] [-q]

run from the repository root, writes into the configured database (``KEIKAKU_DATA_DIR`` / ``DATABASE_URL``)
after migrating it. Not part of the installed package: benchmarks (scripts/bench_portal.py) and tests use it.


1,788 governments by default — the 47 prefectures and 1,741 fictional municipalities (架空市001 …), spread
over the prefectures as the real municipalities are and with the real mix of kinds (市 792, 町 743, 村 183,
特別区 23 in 東京都) — each with one published plan of about ``measures`` measures (prefectures get 5/3 of
that, 100 for the default 60, so plan pages with 100 measures exist). Measure texts are recombined from the
pillar training set and the fictional sample plans: titles, descriptions, KPIs, schedules, departments.
Rows are written with bulk_create in batches, search index rows included, in one transaction per batch.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from django.apps import apps
from django.db import transaction

from keikaku.web.bootstrap import setup

if not apps.ready:  # run as ``python -m devtools.national``: Django before the models
    setup()

from keikaku.core.pillars import PRIORITY_AREAS
from keikaku.core.schedule import normalise_phase
from keikaku.db.plans import models as m
from keikaku.db.search.models import MeasureDocument
from keikaku.services.errors import Conflict
from keikaku.services.search import build_document

# (prefecture, municipalities) — counts as of 2024; they sum to 1,741 (東京都 includes 23 特別区)
PREFECTURES: tuple[tuple[str, int], ...] = (
    ("北海道", 179), ("青森県", 40), ("岩手県", 33), ("宮城県", 35), ("秋田県", 25), ("山形県", 35),
    ("福島県", 59), ("茨城県", 44), ("栃木県", 25), ("群馬県", 35), ("埼玉県", 63), ("千葉県", 54),
    ("東京都", 62), ("神奈川県", 33), ("新潟県", 30), ("富山県", 15), ("石川県", 19), ("福井県", 17),
    ("山梨県", 27), ("長野県", 77), ("岐阜県", 42), ("静岡県", 35), ("愛知県", 54), ("三重県", 29),
    ("滋賀県", 19), ("京都府", 26), ("大阪府", 43), ("兵庫県", 41), ("奈良県", 39), ("和歌山県", 30),
    ("鳥取県", 19), ("島根県", 19), ("岡山県", 27), ("広島県", 23), ("山口県", 19), ("徳島県", 24),
    ("香川県", 17), ("愛媛県", 20), ("高知県", 34), ("福岡県", 60), ("佐賀県", 20), ("長崎県", 21),
    ("熊本県", 45), ("大分県", 18), ("宮崎県", 26), ("鹿児島県", 43), ("沖縄県", 41),
)  # fmt: skip
KIND_SHARES = (("市", 792), ("町", 743), ("村", 183))  # 特別区 only in 東京都 (23 of its 62)
WARDS_IN_TOKYO = 23
DEFAULT_GOVERNMENTS = 47 + sum(n for _, n in PREFECTURES)  # 1,788
MAX_GOVERNMENTS = 8000  # keeps the fictional codes within 3 municipal digits

DEPARTMENTS = (
    "情報政策課", "企画政策課", "総務課", "市民課", "税務課", "福祉課", "子育て支援課", "健康増進課",
    "介護保険課", "防災危機管理課", "観光振興課", "農林水産課", "商工振興課", "都市計画課", "建設課",
    "教育総務課", "学校教育課", "生涯学習課", "会計課", "人事課", "地域振興課", "交通政策課",
)  # fmt: skip
AREA_WORDS = (
    ("インフラ・防災・減災等", ("防災", "災害", "避難", "減災", "インフラ", "道路", "橋")),
    ("健康・医療・介護", ("健康", "医療", "介護", "福祉", "子育て", "保育", "高齢")),
    ("観光", ("観光", "来訪", "イベント")),
    ("農林水産", ("農", "林業", "水産", "漁")),
    ("移動", ("交通", "バス", "移動", "MaaS")),
    ("金融", ("キャッシュレス", "決済", "納付", "金融")),
    ("ものづくり", ("産業", "企業", "事業者", "ものづくり", "商工")),
)
SCHEDULES = (
    ("検討", "準備", "実施", "→", "→"),
    ("実施", "→", "→", "→", "→"),
    ("構築", "構築", "運用", "→", "→"),
    ("検討", "策定", "実施", "拡充", "→"),
    ("準備", "移行", "運用", "→", "拡充"),
    ("○", "○", "○", "○", "○"),
)
OPENINGS = (
    "{title}に取り組みます。",
    "{title}を計画的に進めます。",
    "関係課と連携して{title}を実施します。",
    "{title}について、国の動向を踏まえて検討し、順次実施します。",
)
PREFIXES = ("", "", "", "", "全庁的な", "地域における", "段階的な", "市民と協働した", "広域連携による")


@dataclass(frozen=True)
class Government:
    prefecture: str
    name: str
    kind: str
    code: str


@dataclass(frozen=True)
class GenerateResult:
    governments: int
    plans: int
    measures: int


def check_digit(five: str) -> str:
    """The 全国地方公共団体コード check digit of a 5-digit code."""
    s = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - s % 11) % 10)


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder apportionment of ``total`` over ``weights`` (exact for equal totals)."""
    wsum = sum(weights) or 1
    raw = [total * w / wsum for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


def governments(n: int = DEFAULT_GOVERNMENTS) -> list[Government]:
    """The governments of the dataset: prefectures first, then municipalities by prefecture."""
    n = max(1, min(n, MAX_GOVERNMENTS))
    n_pref = 47 if n >= 94 else max(1, n // 2)
    chosen = {round(i * 47 / n_pref) for i in range(n_pref)} if n_pref < 47 else set(range(47))
    out: list[Government] = []
    for i, (pref, _) in enumerate(PREFECTURES):
        if i in chosen:
            out.append(Government(pref, pref, "都道府県", f"{i + 1:02d}000" + check_digit(f"{i + 1:02d}000")))
    per_pref = _apportion(n - len(out), [c for _, c in PREFECTURES])
    for i, ((pref, real), count) in enumerate(zip(PREFECTURES, per_pref, strict=True)):
        wards = round(count * WARDS_IN_TOKYO / real) if pref == "東京都" else 0
        kinds = ["特別区"] * wards
        for kind, k in zip(
            ("市", "町", "村"), _apportion(count - wards, [s for _, s in KIND_SHARES]), strict=True
        ):
            kinds.extend([kind] * k)
        seq: dict[str, int] = {}
        for j, kind in enumerate(kinds):
            seq[kind] = seq.get(kind, 0) + 1
            label = "区" if kind == "特別区" else kind
            five = f"{i + 1:02d}{(700 if kind == '特別区' else 100) + j:03d}"[:5]
            out.append(Government(pref, f"架空{label}{seq[kind]:03d}", kind, five + check_digit(five)))
    return out


# ---------------------------------------------------------------- text pools


def _load_pools() -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    training = [
        json.loads(line)
        for line in resources.files("keikaku.ingest")
        .joinpath("data/pillar_training.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    kpis: list[dict] = []
    descriptions: list[tuple[str, str]] = []
    demo = Path(str(resources.files("keikaku.demo")))
    for path in sorted(demo.glob("sample_plan*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for ms in doc.get("measures", []):
            pillar = ms["pillars"][0]["code"] if ms.get("pillars") else "other"
            if ms.get("description"):
                descriptions.append((ms["description"], pillar))
            for k in ms.get("kpis", []):
                kpis.append({**k, "pillar": pillar})
    return training, kpis, descriptions


def _areas(title: str, rng: random.Random) -> list[str]:
    found = [area for area, words in AREA_WORDS if any(w in title for w in words)]
    if not found:
        found = ["電子行政"] if rng.random() < 0.8 else [rng.choice(PRIORITY_AREAS)]
    return found[:2]


class _Maker:
    def __init__(self, seed: int, avg_measures: int) -> None:
        self.rng = random.Random(seed)
        self.avg = max(1, avg_measures)
        self.training, self.kpis, self.sample_descriptions = _load_pools()
        self.descriptions = [d for d, _ in self.training_descriptions()]
        self.descriptions_by_pillar: dict[str, list[str]] = {}
        for d, p in self.training_descriptions():
            self.descriptions_by_pillar.setdefault(p, []).append(d)
        self.kpis_by_pillar: dict[str, list[dict]] = {}
        for k in self.kpis:
            self.kpis_by_pillar.setdefault(k["pillar"], []).append(k)

    def training_descriptions(self) -> list[tuple[str, str]]:
        return [
            (t["description"], (t.get("pillars") or ["other"])[0])
            for t in self.training
            if t.get("description")
        ] + [(d, p) for d, p in self.sample_descriptions]

    def n_measures(self, gov: Government) -> int:
        if gov.kind == "都道府県":
            return max(1, round(self.avg * 5 / 3))
        return self.rng.randint(max(1, self.avg // 2), max(1, self.avg * 3 // 2))

    def plan(self, gov: Government) -> dict:
        rng = self.rng
        start = rng.choice((2021, 2022, 2023, 2024, 2025, 2025))
        open_ended = rng.random() < 0.1
        kind_title = rng.choice(
            ("官民データ活用推進計画", "官民データ活用推進計画", "DX推進計画", "情報化推進計画")
        )
        return {
            "title": f"{gov.name}{kind_title}",
            "kinds": ["官民データ活用推進計画"] + (["DX推進計画"] if kind_title == "DX推進計画" else []),
            "published": f"{start}-0{rng.randint(3, 6)}",
            "period_start": start,
            "period_end": None if open_ended else start + 4,
            "period_note": "毎年度見直し" if open_ended else None,
        }

    def measure(self, gov: Government, start: int, index: int) -> dict:
        rng = self.rng
        t = rng.choice(self.training)
        pillar = t["pillars"][0] if t.get("pillars") else "other"
        title = rng.choice(PREFIXES) + t["title"]
        description = t.get("description") or rng.choice(OPENINGS).format(title=t["title"])
        extra = self.descriptions_by_pillar.get(pillar) or self.descriptions
        if rng.random() < 0.6 and extra:
            description += rng.choice(extra)
        if rng.random() < 0.3:
            description = f"{gov.name}では、" + description
        kpis = []
        pool = self.kpis_by_pillar.get(pillar) or self.kpis
        for k in rng.sample(pool, min(len(pool), rng.choice((0, 1, 1, 1, 2)))):
            n_targets = len(k.get("targets", [])) or 1
            kpis.append(
                {
                    "indicator": k["indicator"],
                    "unit": k.get("unit"),
                    "direction": k.get("direction"),
                    "baseline": (k["baseline"]["value"], start - 1) if k.get("baseline") else None,
                    "targets": [
                        (tg["value"], start + 4 if i == n_targets - 1 else start + 2)
                        for i, tg in enumerate(k.get("targets", []))
                    ],
                }
            )
        pattern = rng.choice(SCHEDULES)
        return {
            "key": f"{index // 10 + 1}-{index % 10 + 1}",
            "title": title,
            "description": description,
            "pillar": pillar,
            "areas": _areas(title, rng),
            "priority": rng.random() < 0.2,
            "departments": rng.sample(DEPARTMENTS, rng.choice((1, 1, 2))),
            "kpis": kpis,
            "schedule": [(start + i, w) for i, w in enumerate(pattern)],
        }


# ---------------------------------------------------------------- storing


def _store_batch(
    batch: list[Government], orgs: dict[str, m.Organisation], maker: _Maker, now: datetime
) -> int:
    plans_data = [(g, maker.plan(g)) for g in batch]
    plan_rows = m.Plan.objects.bulk_create(
        [
            m.Plan(organisation=orgs[g.code], title=p["title"], kinds=p["kinds"], published=p["published"],
                   period_start=p["period_start"], period_end=p["period_end"], period_note=p["period_note"],
                   version="1.0", status=m.PUBLISHED, created_at=now, updated_at=now)
            for g, p in plans_data
        ]
    )  # fmt: skip
    m.Section.objects.bulk_create(
        m.Section(plan=row, order=0, key="1", title="計画の目的", kind="purpose",
                  text=f"{g.name}における官民データの活用とデジタル化を計画的に推進する。")
        for (g, _), row in zip(plans_data, plan_rows, strict=True)
    )  # fmt: skip
    dept_rows = {
        (d.organisation_id, d.name): d
        for d in m.Department.objects.filter(organisation__in=[orgs[g.code] for g in batch])
    }
    measures: list[tuple[m.Plan, Government, dict]] = []
    for (g, p), row in zip(plans_data, plan_rows, strict=True):
        for i in range(maker.n_measures(g)):
            measures.append((row, g, maker.measure(g, p["period_start"], i)))
    measure_rows = m.Measure.objects.bulk_create(
        [
            m.Measure(plan=row, order=i, key=d["key"], title=d["title"], description=d["description"],
                      priority_areas=d["areas"], priority=d["priority"],
                      deadline_fy=row.period_end, national_measures=[])
            for i, (row, _, d) in enumerate(measures)
        ],
        batch_size=2000,
    )  # fmt: skip
    pillars, links, kpi_rows, kpi_data, schedule, docs = [], [], [], [], [], []
    for mrow, (prow, g, d) in zip(measure_rows, measures, strict=True):
        pillars.append(m.MeasurePillar(measure=mrow, order=0, code=d["pillar"]))
        for j, name in enumerate(d["departments"]):
            links.append(
                m.MeasureDepartment(
                    measure=mrow, department=dept_rows[(orgs[g.code].pk, name)], order=j, written=name
                )
            )
        for j, k in enumerate(d["kpis"]):
            kpi_rows.append(
                m.Kpi(measure=mrow, order=j, indicator=k["indicator"], unit=k["unit"], direction=k["direction"],
                      has_baseline=k["baseline"] is not None,
                      baseline_value=k["baseline"][0] if k["baseline"] else None,
                      baseline_fy=k["baseline"][1] if k["baseline"] else None)
            )  # fmt: skip
            kpi_data.append(k["targets"])
        for j, (fy, written) in enumerate(d["schedule"]):
            schedule.append(
                m.ScheduleEntry(
                    measure=mrow, order=j, fiscal_year=fy, written=written, phase=normalise_phase(written)
                )
            )
        docs.append(
            build_document(
                measure_id=mrow.pk, plan_id=prow.pk, prefecture=g.prefecture, organisation=g.name,
                plan_title=prow.title, period_start=prow.period_start, period_end=prow.period_end,
                key=d["key"], title=d["title"], description=d["description"], pillars=[d["pillar"]],
                priority_areas=d["areas"], years=[fy for fy, _ in d["schedule"]],
                kpis=[k["indicator"] for k in d["kpis"]], departments=d["departments"],
            )
        )  # fmt: skip
    m.MeasurePillar.objects.bulk_create(pillars, batch_size=2000)
    m.MeasureDepartment.objects.bulk_create(links, batch_size=2000)
    kpi_rows = m.Kpi.objects.bulk_create(kpi_rows, batch_size=2000)
    m.KpiTarget.objects.bulk_create(
        [
            m.KpiTarget(kpi=krow, order=t, value=value, fiscal_year=fy)
            for krow, targets in zip(kpi_rows, kpi_data, strict=True)
            for t, (value, fy) in enumerate(targets)
        ],
        batch_size=2000,
    )
    m.ScheduleEntry.objects.bulk_create(schedule, batch_size=2000)
    MeasureDocument.objects.bulk_create(docs, batch_size=1000)
    return len(measure_rows)


def national_generate(
    *,
    now: datetime,
    n_governments: int = DEFAULT_GOVERNMENTS,
    measures: int = 60,
    seed: int = 1,
    batch: int = 25,
    progress: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> GenerateResult:
    """Generate and store the dataset. Refuses (Conflict) when its governments are already stored."""
    govs = governments(n_governments)
    if m.Organisation.objects.filter(code__in=[g.code for g in govs]).exists():
        raise Conflict(
            "この合成データは既に生成されています / the synthetic dataset is already in this database"
        )
    maker = _Maker(seed, measures)
    with transaction.atomic():
        org_rows = m.Organisation.objects.bulk_create(
            [m.Organisation(name=g.name, prefecture=g.prefecture, code=g.code, kind=g.kind) for g in govs],
            batch_size=2000,
        )
        orgs = {g.code: row for g, row in zip(govs, org_rows, strict=True)}
        m.Department.objects.bulk_create(
            [m.Department(organisation=row, name=name) for row in org_rows for name in DEPARTMENTS],
            batch_size=5000,
        )
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(govs), desc="generate-national", unit="gov", file=sys.stderr)
    total = 0
    try:
        for i in range(0, len(govs), batch):
            chunk = govs[i : i + batch]
            with transaction.atomic():
                total += _store_batch(chunk, orgs, maker, now)
            if bar is not None:
                bar.update(len(chunk))
            if on_progress is not None:
                on_progress(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return GenerateResult(governments=len(govs), plans=len(govs), measures=total)


def main(argv: list[str] | None = None) -> int:
    """``python -m devtools.national``: migrate the configured database and generate the dataset into it."""
    help_ = "ベンチマーク用の全国規模の合成データを生成する / generate the synthetic national dataset"
    p = argparse.ArgumentParser(prog="python -m devtools.national", description=help_)
    p.add_argument(
        "--governments", type=int, default=DEFAULT_GOVERNMENTS, help="number of governments (default 1788)"
    )
    p.add_argument("--measures", type=int, default=60, help="average measures per plan (default 60)")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    if not 1 <= args.governments <= MAX_GOVERNMENTS or not 1 <= args.measures <= 500:
        print(f"devtools.national: --governments 1..{MAX_GOVERNMENTS}, --measures 1..500", file=sys.stderr)
        return 2
    from keikaku.web.bootstrap import migrate

    migrate()
    t0 = time.perf_counter()
    try:
        result = national_generate(
            now=datetime.now(UTC),
            n_governments=args.governments,
            measures=args.measures,
            seed=args.seed,
            progress=not args.quiet,
        )
    except Conflict as e:
        print(f"devtools.national: {e}", file=sys.stderr)
        return 5
    took = time.perf_counter() - t0
    print(
        f"{result.governments} governments, {result.plans} plans, {result.measures} measures ({took:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
