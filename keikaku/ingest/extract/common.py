"""Text helpers shared by the plan recognisers: cleaning titles, labels, departments, pillar names."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from keikaku.core.fiscal import year_mentions
from keikaku.core.text import is_sentence as text_is_sentence
from keikaku.core.text import nfkc, squash
from keikaku.ingest.blocks import Block, BlockKind
from keikaku.ingest.extract.vocabulary import FIELD_WORDS
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL

# footnote references left in running text by PDF/Word conversion: ^{*29}, ^{※6}, ※10, ¹², *28, <sup>…
_FOOTNOTE_REFS = [
    re.compile(r"\^\{[^}]*\}"),
    re.compile(r"<sup>.*?</sup>", re.IGNORECASE),
    re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+"),
    re.compile(r"※\s*[0-9０-９]{1,3}"),
    re.compile(r"※\s*(?=$|[\s)）])"),
    re.compile(r"(?<=[^\s0-9０-９*＊])[*＊]\s?[0-9０-９]{1,3}(?![0-9０-９])"),
    re.compile(r"(?<=\S)[*＊]+(?=$|[\s)）])"),
]
_HTML_TAG = re.compile(
    r"</?(?:u|b|i|em|strong|span|p|br|sup|sub|font|a|small|ul|ol|li|div)\b[^>]*>", re.IGNORECASE
)
_MD_EMPH = re.compile(r"\*\*|__")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")

PRIORITY_FLAG = re.compile(
    r"[【\[［(（〔<＜]\s*(?:重点取組|重点取り組み|重点施策|重点事業|重点項目|重点)\s*[】\]］)）〕>＞]"
)
REPOST_FLAG = re.compile(r"[【\[［(（〔<＜]\s*再掲[^】\]］)）〕>＞]{0,12}[】\]］)）〕>＞]")

# a measure key written in brackets: 【1-1】 ［2］ 〔3-2〕
BRACKET_KEY = re.compile(
    r"^\s*[【\[［〔]\s*([0-9０-９]{1,3}(?:\s*[-‐－ー−の]\s*[0-9０-９]{1,3}){0,3})\s*[】\]］〕]\s*"
)


# '2027（令和9）年度' / '令和9（2027）年度': one year written twice
_DOUBLE_YEAR = re.compile(
    r"(?P<w>[0-9]{4})\s*\((?:令和|平成|R|H)\s*(?:[0-9]{1,2}|元)\)\s*(?P<suf>年度|年)"
    r"|(?:令和|平成|R|H)\s*(?:[0-9]{1,2}|元)\s*\((?P<w2>[0-9]{4})\)\s*(?P<suf2>年度|年)"
)


def one_year_form(text: str) -> str:
    """NFKC text with double-written years reduced to one: '2027(令和9)年度' → '2027年度'."""
    return _DOUBLE_YEAR.sub(
        lambda m: f"{m.group('w') or m.group('w2')}{m.group('suf') or m.group('suf2')}", nfkc(text)
    )


_DIGITS = re.compile(r"[0-9]+")


_SUPERSCRIPTS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")


_MEMOISED: list = []  # lru_cache'd functions of this and other modules (see memo), cleared with clear_caches()


def memo(fn):  # noqa: ANN001, ANN201 - a decorator keeping fn's signature
    """lru_cache for a pure function of strings, registered so that clear_caches() forgets it too."""
    cached = lru_cache(maxsize=8192)(fn)
    _MEMOISED.append(cached)
    return cached


def strip_footnote_refs(text: str) -> str:
    s = text or ""
    # each pattern needs one of these characters: skip the regexes for the (usual) text without any
    if not ("^" in s or "<" in s or "※" in s or "*" in s or "＊" in s or not _SUPERSCRIPTS.isdisjoint(s)):
        return s
    for pat in _FOOTNOTE_REFS:
        s = pat.sub("", s)
    return s


@lru_cache(maxsize=65536)
def clean_text(text: str) -> str:
    """Running text without footnote references, inline HTML or Markdown emphasis; spaces collapsed."""
    s = text or ""
    if "<" in s:
        s = _HTML_TAG.sub("", s)
    s = strip_footnote_refs(s)
    if "**" in s or "__" in s:
        s = _MD_EMPH.sub("", s)
    s = "\n".join(_SPACES.sub(" ", ln).strip() for ln in s.split("\n"))
    return s.strip()


@memo
def clean_title(text: str) -> tuple[str, bool, bool]:
    """A measure title as shown: (title, 重点取組 flag, 再掲 flag). Flags and footnote marks removed."""
    s = clean_text(text).replace("\n", " ")
    priority = bool(PRIORITY_FLAG.search(s))
    reposted = bool(REPOST_FLAG.search(s))
    s = PRIORITY_FLAG.sub("", s)
    s = REPOST_FLAG.sub("", s)
    s = BRACKET_KEY.sub("", s, count=1)  # 【1-1】 opening a title is its key, not part of it
    s = re.sub(r"^[・●○◎■□◆◇▶▷►✓✔]\s*", "", s)
    s = _SPACES.sub(" ", s)
    # a space between two Japanese characters is an artefact of conversion (underline, footnote mark)
    s = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", s)
    return s.strip(" 　:："), priority, reposted


@lru_cache(maxsize=65536)
def _numbers(squashed: str) -> tuple[int, ...]:
    return tuple(int(n) for n in _DIGITS.findall(squashed))


def same_numbers(a: str, b: str) -> bool:
    """Both titles carry the same numbers (NFKC: ① is 1). "施策1" and "施策2" are two measures however
    alike they read; a number is part of a measure's name, not noise."""
    return _numbers(squash(a)) == _numbers(squash(b))


@lru_cache(maxsize=65536)
def _counts(s: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for ch in s:
        out[ch] = out.get(ch, 0) + 1
    return out


def _bag_ratio(a: str, b: str) -> float:
    """An upper bound of the difflib ratio: 2 × shared characters (as multisets) / total length."""
    ca, cb = _counts(a), _counts(b)
    if len(ca) > len(cb):
        ca, cb = cb, ca
    shared = sum(min(n, cb.get(ch, 0)) for ch, n in ca.items())
    return 2.0 * shared / (len(a) + len(b))


@lru_cache(maxsize=65536)
def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def similarity(a: str, b: str) -> float:
    a, b = squash(a), squash(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return _ratio(a, b)


def similar_at_least(a: str, b: str, threshold: float) -> float:
    """similarity(a, b) when it reaches threshold, else 0.0 — cheap bounds first (length, then
    difflib's quick ratios), so most pairs never run the full matcher."""
    a, b = squash(a), squash(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if 2.0 * min(la, lb) / (la + lb) < threshold:
        return 0.0
    if _bag_ratio(a, b) < threshold:  # difflib's quick_ratio, on cached character counts
        return 0.0
    r = _ratio(a, b)
    return r if r >= threshold else 0.0


def title_match(a: str, b: str, threshold: float) -> float:
    """similarity of two measure titles when it reaches threshold and their numbers agree, else 0.0."""
    r = similar_at_least(a, b, threshold)
    return r if r and (r == 1.0 or same_numbers(a, b)) else 0.0


def contains(a: str, b: str, min_len: int = 6) -> bool:
    """One text contains the other (compared squashed), the shorter being at least min_len long, and
    both carry the same numbers ("施策1" is not inside "施策12")."""
    a, b = squash(a), squash(b)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= min_len and short in long_ and _numbers(a) == _numbers(b)


def is_sentence(text: str, long_chars: int = 60) -> bool:
    """Running prose rather than a title: ends like a sentence, or is long."""
    return text_is_sentence(clean_text(text), long_chars)


def block_text(b: Block) -> str:
    return b.text if b.kind != BlockKind.HEADING else b.text


# ---- table labels ------------------------------------------------------------------------------

# the label kinds a table's label cell can name (vocabulary.FIELD_WORDS, the one list)
LABELS: dict[str, tuple[str, ...]] = {
    kind: FIELD_WORDS[kind]
    for kind in (
        "key",
        "title",
        "kpi",
        "description",
        "example",
        "schedule",
        "department",
        "pillar",
        "baseline",
        "target",
        "background",
    )
}
# "目標値（令和8年度）", "現状値(R5)": the label with the year its value is for
LABEL_YEAR = re.compile(r"[（(][^（）()]*(?:年|r\s*[0-9]|h\s*[0-9]|[0-9]{4})[^（）()]*[)）]$")
_LABEL_LOOKUP = {squash(v).lower(): k for k, vs in LABELS.items() for v in vs}


@memo
def label_kind(text: str) -> str | None:
    """What a table label cell names: title, description, kpi, department … or None."""
    s = squash(clean_text(text)).rstrip(":：").lower()
    if not s or len(s) > TOL.label_cell_max_chars:
        return None
    s = LABEL_YEAR.sub("", s) or s
    if s in _LABEL_LOOKUP:
        return _LABEL_LOOKUP[s]
    if "kpi" in s or s.endswith(("指標", "指標の例", "目標値", "数値目標", "成果指標")):
        return "kpi"
    if s.startswith(("担当", "所管")):
        return "department"
    return None


# ---- departments -------------------------------------------------------------------------------

DEPT_END = re.compile(
    r"(?:課|室|局|部|所|館|センター|係|班|本部|委員会|事務局|園|署|庁|グループ|チーム|担当|機構|公社|協議会|団|会)$"
)


def split_departments(text: str) -> list[str]:
    """'みどりの魅力推進課 防災安全課 関連各課室' → three names; 'A I システム推進課' stays one name;
    '文化・スポーツ課' is one name, '総務課・企画課' two."""
    s = clean_text(text)
    if not s or re.fullmatch(r"[-‐―—−ー\s]*", s):
        return []
    parts: list[str] = []
    for p in re.split(r"[\s、,，/／;；]+(?![^()（）]{0,60}[)）])", s):  # bounded: a long cell stays linear
        if not p:
            continue
        pieces = p.split("・")
        if len(pieces) > 1 and all(DEPT_END.search(x) for x in pieces):
            parts.extend(pieces)
        else:
            parts.append(p)
    out: list[str] = []
    buf = ""
    for p in parts:
        buf += p
        if DEPT_END.search(buf[-8:]):  # the suffix alone (≤ 5 characters): a long run stays linear
            out.append(buf)
            buf = ""
    if buf:
        if out and len(buf) <= 2:
            out[-1] += buf
        else:
            out.append(buf)
    return out


_DEPT_WORDS = "|".join(sorted(map(re.escape, FIELD_WORDS["department"]), key=len, reverse=True))
_DEPT_SENTENCE = re.compile(
    rf"(?:{_DEPT_WORDS})\s*(?:は|が|[:：])\s*(?P<names>[^。\n）)】〕]{{2,60}}?)(?:である|とする|です)?(?:[。\n）)】〕]|$)"
)


def department_line(line: str) -> list[str] | None:
    """The department names a line consists of ('総務課、財政課'), else None."""
    names = split_departments(line)
    if names and all(DEPT_END.search(n) and len(n) <= 20 and not is_sentence(n) for n in names):
        return names
    return None


def departments_in_prose(text: str) -> list[str]:
    """Departments a sentence names with a department word: 所管は総務課 / 担当：企画課、財政課 / （担当：福祉課） /
    実施主体が福祉課とする."""
    out: list[str] = []
    for m in _DEPT_SENTENCE.finditer(text):
        for name in department_line(m.group("names")) or []:
            if name not in out:
                out.append(name)
    return out


_TRAILING_BRACKET = re.compile(r"^(?P<title>.+?)\s*[（(](?P<inner>[^（）()]{2,40})[）)]\s*$")


def trailing_departments(text: str) -> tuple[str, list[str]] | None:
    """'電子申請の拡充（デジタル推進課）' → ('電子申請の拡充', ['デジタル推進課']): an item that names its
    department(s) in closing brackets. None when the brackets hold anything else (再掲, 仮称, a year)."""
    m = _TRAILING_BRACKET.match(clean_text(text))
    if not m or "。" in m.group("title"):
        return None
    names = split_departments(m.group("inner"))
    if not names or any(not DEPT_END.search(n) or len(n) > 20 or re.search(r"[0-9０-９]", n) for n in names):
        return None
    return m.group("title").strip(), names


# ---- pillars -----------------------------------------------------------------------------------

_PILLAR_LETTERS = re.compile(r"^[A-EＡ-Ｅ](?:\s*[,、・/／ ]\s*[A-EＡ-Ｅ])*$")

# the law's names for the five basic measures (基本的施策) and the guide's short names
PILLAR_PHRASES: dict[str, tuple[str, ...]] = {
    "A": (
        "手続における情報通信",
        "手続に係るオンライン",
        "オンライン化原則",
        "オンライン原則",
        "オンライン利用の原則",
    ),
    "B": ("官民データの容易な利用", "オープンデータの推進", "保有する官民データの活用"),
    "C": (
        "個人番号カードの普及",
        "マイナンバーカードの普及及び活用",
        "マイナンバー制度の普及及び活用",
        "マイナンバーカード（個人番号カード）の普及",
        "マイナンバーカードの普及・活用",
    ),
    "D": ("利用の機会等の格差", "利用機会等の格差", "デジタルデバイド対策", "格差の是正"),
    "E": (
        "規格の整備及び互換性",
        "互換性の確保",
        "標準化・デジタル化・システム改革",
        "標準化、デジタル化、システム改革",
    ),
}


_PILLAR_SQUASHED = [(code, squash(ph)) for code, phrases in PILLAR_PHRASES.items() for ph in phrases]


def pillar_letters(text: str) -> list[str] | None:
    """'D E' → ['D', 'E']; '' → []; anything else → None (not a pillar cell)."""
    s = nfkc(clean_text(text)).strip()
    if not s:
        return []
    if not _PILLAR_LETTERS.match(s):
        return None
    return sorted(set(re.findall(r"[A-E]", s)))


@memo
def pillar_from_name(text: str) -> str | None:
    """The pillar a heading or mapping-table cell names in the law's words, or None."""
    s = squash(clean_text(text))
    if not s:
        return None
    best = None
    for code, ph in _PILLAR_SQUASHED:
        pos = s.find(ph)
        if pos >= 0 and (best is None or pos < best[1]):
            best = (code, pos)
    if best:
        return best[0]
    if s.startswith("その他"):
        return "other"
    return None


def clear_caches() -> None:
    """Forget memoised texts (benchmarks call it so that a repeated run costs what a first one does)."""
    for fn in (squash, year_mentions, parse_marker, _numbers, _counts, _ratio, clean_text, *_MEMOISED):
        fn.cache_clear()
