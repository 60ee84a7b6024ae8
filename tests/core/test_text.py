"""keikaku.core.text: the one place text is normalised and a sentence is told from a title."""

from __future__ import annotations

from pathlib import Path

from keikaku.core.text import ends_sentence, fold, is_sentence, nfkc, one_line, squash

PKG = Path(__file__).resolve().parents[2] / "keikaku"


def test_nfkc_folds_width_and_compatibility_forms() -> None:
    assert nfkc("ＡＢＣ１２３") == "ABC123"
    assert nfkc("ｵﾝﾗｲﾝ") == "オンライン"
    assert nfkc("①") == "1" and nfkc("Ⅱ") == "II"
    assert nfkc(None) == ""


def test_squash_drops_every_space() -> None:
    assert squash("施策　１ - 2\n計画") == "施策1-2計画"


def test_one_line() -> None:
    assert one_line("  窓口の\n\tオンライン化　 推進 ") == "窓口の オンライン化 推進"
    assert one_line(None) == ""


def test_fold_meets_katakana_hiragana_width_and_case() -> None:
    assert fold("ｵﾝﾗｲﾝ申請") == fold("おんらいん申請") == "おんらいん申請"
    assert fold("ＤＸ\x07推進\n\n計画") == "dx 推進 計画"


def test_sentence_tests() -> None:
    assert ends_sentence("手続をオンライン化する。 ") and ends_sentence("推進します．")
    assert not ends_sentence("オンライン手続の推進")
    assert ends_sentence("導入します", ("ます",))
    assert is_sentence("行政手続をオンライン化します")  # a verb ending
    assert is_sentence("申請。窓口")  # holds a full stop
    assert not is_sentence("行政手続のオンライン化")  # a title
    assert is_sentence("あ" * 61) and not is_sentence("あ" * 60)
    assert is_sentence("あ" * 41, long_chars=40) and not is_sentence("あ" * 100, long_chars=None)
    assert not is_sentence("運用します", endings=("。",))


def test_nfkc_is_written_only_here() -> None:
    """Every other module calls keikaku.core.text (one definition of the forms texts are read in)."""
    offenders = [
        str(p.relative_to(PKG))
        for p in PKG.rglob("*.py")
        if p.name != "text.py" and 'unicodedata.normalize("NFKC"' in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
