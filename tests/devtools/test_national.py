"""The synthetic national dataset (devtools.national, `python -m devtools.national`) at small sizes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from devtools.national import (
    DEFAULT_GOVERNMENTS,
    PREFECTURES,
    _Maker,
    check_digit,
    governments,
    main,
    national_generate,
)
from keikaku.core.prefectures import PREFECTURES as PREFECTURE_NAMES
from keikaku.core.validation import has_errors, validate_data
from keikaku.db.plans import models as m
from keikaku.db.search.models import MeasureDocument
from keikaku.services.errors import Conflict
from keikaku.services.plans import plan_export
from keikaku.services.search import measure_search

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_full_size_mix_of_governments() -> None:
    govs = governments()
    assert len(govs) == DEFAULT_GOVERNMENTS == 1788
    kinds = Counter(g.kind for g in govs)
    assert kinds["都道府県"] == 47 and kinds["特別区"] == 23
    assert abs(kinds["市"] - 792) <= 5 and abs(kinds["町"] - 743) <= 5 and abs(kinds["村"] - 183) <= 5
    assert {g.prefecture for g in govs if g.kind == "特別区"} == {"東京都"}
    assert sum(1 for g in govs if g.prefecture == "北海道" and g.kind != "都道府県") == 179
    assert len({g.code for g in govs}) == 1788 and len({(g.prefecture, g.name) for g in govs}) == 1788
    for g in govs:
        assert re.fullmatch(r"\d{6}", g.code) and g.code[5] == check_digit(g.code[:5])
        if g.kind != "都道府県":
            assert re.fullmatch(r"架空[市町村区]\d{3}", g.name)
    assert [name for name, _ in PREFECTURES] == list(PREFECTURE_NAMES)
    assert check_digit("13101") == "6" and check_digit("01000") == "6"  # known codes: 131016, 010006


def test_small_sizes_and_determinism() -> None:
    assert len(governments(1)) == 1 and len(governments(12)) == 12 and len(governments(200)) == 200
    one, two = _Maker(7, 10), _Maker(7, 10)
    gov = governments(3)[0]
    assert [one.measure(gov, 2025, i) for i in range(5)] == [two.measure(gov, 2025, i) for i in range(5)]


@pytest.mark.django_db
def test_generate_small_dataset(capsys) -> None:
    result = national_generate(now=NOW, n_governments=12, measures=6, seed=3, batch=5, progress=True)
    assert "generate-national" in capsys.readouterr().err  # the progress bar, on stderr
    assert result.governments == result.plans == 12
    assert m.Organisation.objects.count() == 12 and m.Plan.objects.filter(status="published").count() == 12
    assert m.Measure.objects.count() == result.measures == MeasureDocument.objects.count()
    prefecture_plan = m.Plan.objects.filter(organisation__kind="都道府県").first()
    assert prefecture_plan.measures.count() == 10  # 5/3 of the average
    assert m.Kpi.objects.exists() and m.KpiTarget.objects.exists() and m.ScheduleEntry.objects.exists()
    for row in m.Plan.objects.all()[:3]:
        doc = plan_export(row.pk)
        assert not has_errors(validate_data(doc.model_dump(mode="json", exclude_none=True))[1])
        assert all(ms.departments and ms.pillars and ms.schedule for ms in doc.measures)
    some_title = m.Measure.objects.first().title
    assert measure_search(some_title).total >= 1
    assert measure_search("推進").total >= 0
    with pytest.raises(Conflict):
        national_generate(now=NOW, n_governments=12, measures=6, seed=3, progress=False)


@pytest.mark.django_db
def test_command(capsys) -> None:
    assert main(["--governments", "4", "--measures", "3", "--seed", "2", "-q"]) == 0
    assert "4 governments, 4 plans" in capsys.readouterr().out
    assert main(["--governments", "4", "--measures", "3", "--seed", "2", "-q"]) == 5  # already there
    assert main(["--governments", "0"]) == 2
