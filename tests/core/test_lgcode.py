"""全国地方公共団体コード: the check digit rule and the shipped code list (keikaku.core.lgcode)."""

from __future__ import annotations

from collections import Counter

import pytest

from keikaku.core import lgcode
from keikaku.core.prefectures import PREFECTURES


def test_the_check_digit_of_every_listed_code_is_right() -> None:
    codes = lgcode.all_codes()
    assert len(codes) == 1788  # 47 prefectures + 1,718 市町村 + 23 特別区
    assert [c for c in codes if lgcode.code_problem(c.code)] == []


def test_the_list_has_each_prefecture_once_in_code_order() -> None:
    prefs = [c for c in lgcode.all_codes() if c.is_prefecture]
    assert [p.name for p in prefs] == list(PREFECTURES)
    assert [p.code[:2] for p in prefs] == [f"{i:02d}" for i in range(1, 48)]
    per = Counter(c.prefecture for c in lgcode.all_codes() if not c.is_prefecture)
    assert per["東京都"] == 62 and per["北海道"] == 179 and per["沖縄県"] == 41


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("011002", "札幌市"),
        ("131016", "千代田区"),
        ("402311", "那珂川市"),
        ("472158", "南城市"),
        ("130001", "東京都"),
    ],
)
def test_known_codes(code: str, name: str) -> None:
    found = lgcode.lookup(code)
    assert found is not None and found.name == name
    assert lgcode.check_digit(code[:5]) == int(code[5])


def test_problems_are_explained() -> None:
    assert "6 桁" in lgcode.code_problem("01100")
    assert "6 桁" in lgcode.code_problem("０１１００２")
    assert "検査数字" in lgcode.code_problem("011001") and "01100 の検査数字は 2" in lgcode.code_problem(
        "011001"
    )
    assert lgcode.code_problem("011002") == ""
    # the demo's fictional municipalities have right check digits but are not in the list
    assert lgcode.code_problem("222992") == "" and lgcode.lookup("222992") is None
    with pytest.raises(ValueError):
        lgcode.check_digit("1234")
