"""The merge policy (extract/merge.py): when a later source joins an earlier measure."""

from __future__ import annotations

from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.merge import find_draft, next_with_key, same_title


def _d(title: str, key: str | None = None, order: int = 0, reposted: bool = False) -> Draft:
    d = Draft(title, key, order=order)
    d.reposted = reposted
    return d


def test_title_fuzzy_but_numbers_must_agree() -> None:
    a, b = _d("施策1 電子申請の拡充"), _d("施策2 電子申請の拡充")
    assert find_draft([a, b], title="施策２　電子申請の拡充") is b
    assert find_draft([a], title="施策3 電子申請の拡充") is None


def test_the_measure_itself_wins_over_its_repost() -> None:
    real, repost = _d("窓口のキャッシュレス化", order=1), _d("窓口のキャッシュレス化", order=9, reposted=True)
    assert find_draft([real, repost], title="窓口のキャッシュレス化") is real


def test_key_only_when_unique_and_normalised() -> None:
    a, b = _d("公衆無線LANの整備", "（１）"), _d("電子契約の導入", "(2)")
    assert find_draft([a, b], key="(1)") is a
    assert find_draft([a, _d("別の施策", "(1)")], key="(1)") is None  # two measures with key (1): no guess


def test_repeated_keys_in_document_order() -> None:
    ds = [_d("A施策", "(1)", 10), _d("B施策", "(2)", 20), _d("C施策", "(1)", 30)]
    first = next_with_key(ds, ("(1)",), -1)
    assert first is ds[0]
    assert next_with_key(ds, ("(1)",), first.order) is ds[2]
    assert next_with_key(ds, ("(1)",), 30) is None


def test_containment_needs_one_candidate() -> None:
    a = _d("オープンデータの公開とカタログサイトの運用")
    assert find_draft([a, _d("統計データの可視化")], title="オープンデータの公開") is a
    b = _d("庁内のオープンデータの公開に向けた研修と手順書の整備")
    assert find_draft([a, b], title="オープンデータの公開") is None


def test_a_table_of_its_own_joins_only_a_near_identical_title() -> None:
    a = _d("マイナンバーカードの交付促進")
    assert same_title([a], "マイナンバーカードの交付促進") is a
    assert same_title([a], "マイナンバーカードの活用") is None
