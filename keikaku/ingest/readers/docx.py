"""DOCX reader (python-docx + its lxml tree): body paragraphs and tables in document order.

- ``Heading n`` / ``見出し n`` styles and outline levels give heading levels;
- automatic numbering (``w:numPr``) is replayed from numbering.xml into the marker a reader sees
  ("(1)", "①", "ア", "1-1" …) unless the text carries its own marker;
- tables keep merged cells as spans (``w:gridSpan`` → colspan, ``w:vMerge`` → rowspan);
- text boxes become blocks after their anchor paragraph; footnotes come last as footnote blocks.

Hostile input: numbers in attributes are read leniently (a malformed one counts as absent), spans are
clamped to the table's grid, every table goes through :func:`~keikaku.ingest.markers.fit_table`
(KEIKAKU_IMPORT_MAX_TABLE_CELLS), an XML part larger than KEIKAKU_IMPORT_MAX_DOCX_XML_BYTES unpacked
is refused before it is parsed, and whatever a malformed part still breaks becomes
ReaderError("corrupt").
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReaderError, ReadResult, Table
from keikaku.ingest.markers import (
    fit_table,
    limit_error,
    limit_setting,
    max_nesting,
    nesting_error,
    parse_marker,
)
from keikaku.ingest.readers.common import (
    ZIP_ERRORS,
    classify,
    group_lines,
    join_wrapped,
    kind_for_marked,
    table_text,
    tidy_spaces,
)
from keikaku.ingest.readers.emphasis import bold_heading, with_bold

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_R, W_T = w("p"), w("tbl"), w("tr"), w("tc"), w("r"), w("t")
W_VAL = w("val")
_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "表題", "タイトル"}
_LIST_STYLE = re.compile(r"^(?:list|箇条書き|段落番号)", re.IGNORECASE)
_STYLE_DEPTH = re.compile(r"([2-9])\s*$")  # List Bullet 2, 箇条書き 3

# an XML part (document.xml, styles.xml …) larger than this unpacked is refused before lxml parses it
# (a tree costs ~125 bytes per element: 32 MB of <w:p/> is 600 MB of memory)
MAX_XML_BYTES_ENV = "KEIKAKU_IMPORT_MAX_DOCX_XML_BYTES"
DEFAULT_MAX_XML_BYTES = 32 * 1024 * 1024
MAX_COLUMNS = 1000  # a grid span without a table grid (tblGrid) to clamp it to: at most this
_INT = re.compile(r"[+-]?[0-9]{1,9}")


def _int(value: str | None, default: int, lo: int = -(10**6), hi: int = 10**6) -> int:
    """An attribute's integer, clamped to [lo, hi]; absent or malformed ("abc", "²", "1e9") → default."""
    if value is None or not _INT.fullmatch(value.strip()):
        return default
    return max(lo, min(hi, int(value)))


# ---------------------------------------------------------------------------------------------
# numbering


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"
_AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン"
_KANJI = "〇一二三四五六七八九"
_HALF_KANA = str.maketrans(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン",
    "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ",
)


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= v:
            out += s
            n -= v
    return out


def _kanji_count(n: int) -> str:
    if n < 10:
        return _KANJI[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _KANJI[tens]) + "十" + (_KANJI[ones] if ones else "")


def format_number(n: int, fmt: str) -> str:
    """One level's counter in a Word number format (numFmt); outside 0–999 always decimal (a start
    value of 999,999,999 in upperLetter would be a marker of 38 million letters)."""
    if not 0 <= n <= 999:
        return str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("aiueoFullWidth", "aiueo"):
        s = _AIUEO[(n - 1) % len(_AIUEO)]
        return s if fmt == "aiueoFullWidth" else s.translate(_HALF_KANA)
    if fmt in ("irohaFullWidth", "iroha"):
        s = _IROHA[(n - 1) % len(_IROHA)]
        return s if fmt == "irohaFullWidth" else s.translate(_HALF_KANA)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand"):
        return "".join(_KANJI[int(d)] for d in str(n))
    if fmt in ("japaneseCounting", "chineseCounting", "ideographTraditional", "japaneseLegal"):
        return _kanji_count(n) if n < 100 else str(n)
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Replays Word's automatic numbering: counters per abstract list, deeper levels reset."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(
        default_factory=dict
    )  # numId → (abstractId, overrides)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)

    @classmethod
    def from_document(cls, document: Any) -> Numbering:
        out = cls()
        try:  # a numbering part missing, of the wrong kind or external (ValueError): no numbering
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError, ValueError):
            return out
        for an in root.iter(w("abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in an.iter(w("lvl")):
                ilvl = _int(lvl.get(w("ilvl")), 0, 0, 9)
                fmt = lvl.find(w("numFmt"))
                txt = lvl.find(w("lvlText"))
                start = lvl.find(w("start"))
                levels[ilvl] = _Level(
                    fmt=fmt.get(W_VAL, "decimal") if fmt is not None else "decimal",
                    text=txt.get(W_VAL, "") if txt is not None else "",
                    start=_int(start.get(W_VAL), 1, 0, 32767) if start is not None else 1,
                )
            out.abstract[an.get(w("abstractNumId"), "")] = levels
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            overrides: dict[int, int] = {}
            for ov in num.iter(w("lvlOverride")):
                so = ov.find(w("startOverride"))
                if so is not None:
                    overrides[_int(ov.get(w("ilvl")), 0, 0, 9)] = _int(so.get(W_VAL), 1, 0, 32767)
            if ref is not None:
                out.nums[num.get(w("numId"), "")] = (ref.get(W_VAL, ""), overrides)
        return out

    def next_marker(self, num_id: str, ilvl: int) -> tuple[str | None, bool]:
        """Advance the list and return (marker, is_bullet)."""
        if num_id not in self.nums:
            return None, False
        abs_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abs_id, {})
        level = levels.get(ilvl)
        if level is None:
            return None, False
        if level.fmt == "bullet":
            return None, True
        counters = self.counters.setdefault(abs_id, {})
        if num_id not in self._seen:
            self._seen.add(num_id)
            for lv, start in overrides.items():
                counters[lv] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            return format_number(counters.get(k, lv.start), lv.fmt)

        marker = re.sub(r"%([1-9])", sub, level.text).strip()
        return marker or None, False


# ---------------------------------------------------------------------------------------------
# paragraphs and tables


@dataclass
class _Styles:
    names: dict[str, str]
    parents: dict[str, str]
    num: dict[str, tuple[str, int]]
    outline: dict[str, int]

    @classmethod
    def from_document(cls, document: Any) -> _Styles:
        names: dict[str, str] = {}
        parents: dict[str, str] = {}
        num: dict[str, tuple[str, int]] = {}
        outline: dict[str, int] = {}
        try:  # a styles part missing, of the wrong kind or external (ValueError): no styles
            root = document.styles.element
        except (KeyError, AttributeError, NotImplementedError, ValueError):
            return cls(names, parents, num, outline)
        for st in root.iter(w("style")):
            sid = st.get(w("styleId"), "")
            name = st.find(w("name"))
            names[sid] = name.get(W_VAL, sid) if name is not None else sid
            based = st.find(w("basedOn"))
            if based is not None:
                parents[sid] = based.get(W_VAL, "")
            ppr = st.find(w("pPr"))
            if ppr is not None:
                np_ = ppr.find(w("numPr"))
                if np_ is not None and np_.find(w("numId")) is not None:
                    ilvl = np_.find(w("ilvl"))
                    num[sid] = (
                        np_.find(w("numId")).get(W_VAL, ""),
                        _int(ilvl.get(W_VAL), 0, 0, 9) if ilvl is not None else 0,
                    )
                ol = ppr.find(w("outlineLvl"))
                if ol is not None:
                    outline[sid] = _int(ol.get(W_VAL), 9, 0, 9)
        return cls(names, parents, num, outline)

    def inherited(self, sid: str, table: dict[str, Any]) -> Any:
        seen = set()
        while sid and sid not in seen:
            if sid in table:
                return table[sid]
            seen.add(sid)
            sid = self.parents.get(sid, "")
        return None


def _is_in(el: Any, tags: tuple[str, ...], stop: Any) -> bool:
    p = el.getparent()
    while p is not None and p is not stop:
        if p.tag in tags:
            return True
        p = p.getparent()
    return False


_SKIP_IN_PARA = (w("txbxContent"), f"{{{MC_NS}}}Fallback", w("del"))


def paragraph_text(p: Any) -> str:
    """Visible text of a paragraph: runs, tabs as spaces, breaks as newlines; text boxes excluded."""
    parts: list[str] = []
    for el in p.iter(W_T, w("tab"), w("br"), w("cr"), w("noBreakHyphen"), w("sym")):
        if _is_in(el, _SKIP_IN_PARA, p):
            continue
        if el.tag == W_T:
            parts.append(el.text or "")
        elif el.tag == w("tab"):
            if el.getparent().tag == W_R:  # a tab stop definition in pPr is not text
                parts.append(" ")
        elif el.tag == w("noBreakHyphen"):
            parts.append("-")
        elif el.tag == w("sym"):
            continue
        elif el.get(w("type")) in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def _bold(run: Any) -> bool:
    rpr = run.find(w("rPr"))
    b = rpr.find(w("b")) if rpr is not None else None
    return b is not None and b.get(W_VAL, "true").lower() not in ("0", "false", "off", "none")


def bold_texts(p: Any) -> list[str]:
    """The text of each stretch of bold runs in a paragraph (adjacent bold runs make one stretch;
    a line break ends one)."""
    out: list[str] = []
    buf: list[str] = []
    for run in p.iter(W_R):
        if _is_in(run, _SKIP_IN_PARA, p):
            continue
        if not _bold(run):
            if buf:
                out.append("".join(buf))
                buf = []
            continue
        for el in run.iter(W_T, w("br"), w("cr"), w("tab")):
            if el.tag == W_T:
                buf.append(el.text or "")
            elif buf:
                out.append("".join(buf))
                buf = []
    if buf:
        out.append("".join(buf))
    return [t.strip() for t in out if t.strip()]


def _size(p: Any) -> float | None:
    """The largest run font size (points) set directly on a paragraph's runs."""
    sizes = [v / 2 for sz in p.iter(w("sz")) if (v := _int(sz.get(W_VAL), -1, -1, 3276)) >= 0]
    return max(sizes) if sizes else None


class _Reader:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.numbering = Numbering.from_document(document)
        self.styles = _Styles.from_document(document)
        self.blocks: list[Block] = []
        self.index = 0
        self._depth = 0
        self._limit = max_nesting()
        self.bold_levels = self._bold_levels(document.element.body)

    def _bold_levels(self, body: Any) -> dict[float, int]:
        """Font size → heading level for bold headings (largest size = level 1), when sizes differ."""
        sizes = {
            size
            for p in body.iterchildren(W_P)
            if bold_heading(paragraph_text(p), bold_texts(p)) and (size := _size(p)) is not None
        }
        return {s: i + 1 for i, s in enumerate(sorted(sizes, reverse=True))} if len(sizes) > 1 else {}

    def emit(self, kind: BlockKind, text: str = "", **kw: Any) -> None:
        self.blocks.append(Block(kind=kind, text=text, loc=Location(index=self.index), **kw))

    def body(self, container: Any) -> None:
        """Paragraphs and tables in order; content controls and text boxes nest (lxml parses at most
        256 levels, and KEIKAKU_IMPORT_MAX_NESTING bounds these)."""
        self._depth += 1
        try:
            if self._depth > self._limit:
                raise nesting_error(self._depth, self._limit)
            self._body(container)
        finally:
            self._depth -= 1

    def _body(self, container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == W_P:
                self.paragraph(child)
                self.index += 1
            elif child.tag == W_TBL:
                table = self.table(child)
                if table.rows:
                    self.emit(BlockKind.TABLE, table_text(table.rows), table=table, style="table")
                self.index += 1
            elif child.tag == w("sdt"):  # content controls (tables of contents, cover pages)
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.body(content)

    def _num_props(self, p: Any, style_id: str) -> tuple[str | None, int]:
        """The paragraph's numbering (numId, ilvl): its own, else its style's."""
        ppr = p.find(w("pPr"))
        np_ = ppr.find(w("numPr")) if ppr is not None else None
        num_id, ilvl = None, 0
        if np_ is not None:
            nid = np_.find(w("numId"))
            lvl = np_.find(w("ilvl"))
            num_id = nid.get(W_VAL) if nid is not None else None
            ilvl = _int(lvl.get(W_VAL), 0, 0, 9) if lvl is not None else 0
        if num_id is None:
            inherited = self.styles.inherited(style_id, self.styles.num)
            if inherited:
                num_id, ilvl = inherited
        return num_id, ilvl

    def _numbering_of(self, p: Any, style_id: str) -> tuple[str | None, bool]:
        num_id, ilvl = self._num_props(p, style_id)
        if not num_id or num_id == "0":
            return None, False
        return self.numbering.next_marker(num_id, ilvl)

    def _list_level(self, p: Any, style_id: str, style_name: str) -> int:
        """A list paragraph's nesting depth (1 = outermost), as Markdown and HTML list items carry it:
        the number a list style ends with (List Bullet 2 → 2: Word's built-in deeper list styles each
        have a numbering of their own at level 0), else Word's numbering level."""
        m = _STYLE_DEPTH.search(style_name)
        if m:
            return int(m.group(1))
        num_id, ilvl = self._num_props(p, style_id)
        return ilvl + 1 if num_id and num_id != "0" else 1

    def _heading_level(self, p: Any, style_id: str, style_name: str) -> int | None:
        m = _HEADING_STYLE.match(style_name.strip())
        if m:
            return int(m.group(1))
        if style_name.strip().lower() in _TITLE_STYLES:
            return 1
        ppr = p.find(w("pPr"))
        ol = ppr.find(w("outlineLvl")) if ppr is not None else None
        lvl = (
            _int(ol.get(W_VAL), 9, 0, 9)
            if ol is not None
            else self.styles.inherited(style_id, self.styles.outline)
        )
        if lvl is not None and 0 <= lvl < 9:
            return lvl + 1
        return None

    def paragraph(self, p: Any) -> None:
        ppr = p.find(w("pPr"))
        ps = ppr.find(w("pStyle")) if ppr is not None else None
        style_id = ps.get(W_VAL, "") if ps is not None else ""
        style_name = self.styles.names.get(style_id, style_id or "Normal")
        raw = paragraph_text(p)
        num_marker, is_bullet = self._numbering_of(p, style_id) if raw.strip() else (None, False)
        level = self._heading_level(p, style_id, style_name)
        lines = [ln.strip() for ln in raw.split("\n") if ln.strip()]
        if lines:
            bold = bold_texts(p)
            bold_head = (
                level is None
                and num_marker is None
                and bold_heading(raw, bold)
                and parse_marker(join_wrapped(lines))[0] is None  # a numbered one: level from its marker
            )
            if bold_head:
                level = self.bold_levels.get(_size(p) or 0.0)
            if level is not None or bold_head:
                text = join_wrapped(lines)
                parsed, rest = parse_marker(text)
                marker = parsed.written if parsed else None
                self.emit(
                    BlockKind.HEADING,
                    tidy_spaces(rest),
                    level=level,
                    marker=marker or num_marker,
                    style=with_bold(style_name, bold),
                )
            else:
                listish = is_bullet or bool(_LIST_STYLE.match(style_name))
                style = with_bold(style_name, bold) or style_name
                depth = self._list_level(p, style_id, style_name) if listish else None
                self._lines(lines, num_marker, listish, style, bold[0] if bold else None, depth)
        self._text_boxes(p)

    def _lines(
        self,
        lines: list[str],
        num_marker: str | None,
        listish: bool,
        style: str,
        lead_bold: str | None = None,
        depth: int | None = None,
    ) -> None:
        """One paragraph's lines (soft breaks): a marked line starts a block, the rest continue it.

        Word's own numbering (``num_marker``) or a list style applies to the first block only; the first
        bold run (``lead_bold``) keeps a bold label from reading as a marker (readers.common.classify)."""
        for i, group in enumerate(group_lines(lines, explicit_breaks=True)):
            kind, text, marker = classify(group, lead_bold if i == 0 else None)
            if i == 0 and num_marker and kind != BlockKind.FOOTNOTE and parse_marker(group)[0] is None:
                kind = (
                    BlockKind.HEADING if kind_for_marked(group) == BlockKind.HEADING else BlockKind.PARAGRAPH
                )
                text, marker = (tidy_spaces(group), num_marker)
                if kind == BlockKind.PARAGRAPH:  # a long numbered sentence keeps its number in the text
                    text, marker = f"{num_marker} {text}", None
            elif i == 0 and listish and kind == BlockKind.PARAGRAPH:
                kind = BlockKind.LIST_ITEM
            level = depth if kind == BlockKind.LIST_ITEM else None
            self.emit(kind, text, marker=marker, style=style, level=level)

    def _text_boxes(self, p: Any) -> None:
        for box in p.iter(w("txbxContent")):
            if _is_in(box, (f"{{{MC_NS}}}Fallback",), p):
                continue
            self.body(box)

    def table(self, tbl: Any) -> Table:
        """Rows of cells; ``gridSpan`` → colspan (clamped to the table grid), a ``vMerge`` restart
        and the continue cells below it at the same grid column → rowspan (one pass down the rows)."""
        grid = tbl.find(w("tblGrid"))
        n_cols = len(grid.findall(w("gridCol"))) if grid is not None else 0
        widest = n_cols if n_cols > 0 else MAX_COLUMNS
        rows: list[list[Cell]] = []
        merging: dict[int, Cell] = {}  # grid column → the cell a vertical merge started there
        for tr in tbl.iterchildren(W_TR):
            trpr = tr.find(w("trPr"))
            gb = trpr.find(w("gridBefore")) if trpr is not None else None
            col = _int(gb.get(W_VAL), 0, 0, widest) if gb is not None else 0
            out: list[Cell] = []
            continued: set[int] = set()
            for tc in tr.iterchildren(W_TC, w("sdt")):
                cells = [tc] if tc.tag == W_TC else list(tc.iter(W_TC))
                for cell in cells:
                    tcpr = cell.find(w("tcPr"))
                    span, vmerge = 1, None
                    if tcpr is not None:
                        gs = tcpr.find(w("gridSpan"))
                        if gs is not None:
                            span = _int(gs.get(W_VAL), 1, 1, widest)
                        vm = tcpr.find(w("vMerge"))
                        if vm is not None:
                            vmerge = vm.get(W_VAL) or "continue"
                    if vmerge == "continue":
                        above = merging.get(col)
                        if above is not None:
                            above.rowspan += 1
                            continued.add(col)
                    else:
                        made = Cell(self.cell_text(cell), colspan=span)
                        out.append(made)
                        if vmerge == "restart":
                            merging[col] = made
                            continued.add(col)
                    col += span
            merging = {c: cell for c, cell in merging.items() if c in continued}
            rows.append(out)
        return Table(rows=fit_table(rows))

    def cell_text(self, tc: Any) -> str:
        lines: list[str] = []
        for el in tc.iter(W_P):
            if _is_in(el, (w("txbxContent"),), tc):
                continue
            ppr = el.find(w("pPr"))
            ps = ppr.find(w("pStyle")) if ppr is not None else None
            marker, _ = self._numbering_of(el, ps.get(W_VAL, "") if ps is not None else "")
            text = " ".join(ln.strip() for ln in paragraph_text(el).split("\n") if ln.strip())
            if text:
                lines.append(
                    tidy_spaces(f"{marker} {text}" if marker and parse_marker(text)[0] is None else text)
                )
        return "\n".join(lines)

    def footnotes(self) -> None:
        from lxml import etree

        part = next((rel.target_part for rel in self.document.part.rels.values()
                     if rel.reltype == RT_FOOTNOTES and not rel.is_external), None)  # fmt: skip
        if part is None:
            return
        root = etree.fromstring(part.blob)
        n = 0
        for fn in root.iterchildren(w("footnote")):
            if fn.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = join_wrapped([paragraph_text(p) for p in fn.iter(W_P)])
            n += 1
            if text.strip():
                self.emit(BlockKind.FOOTNOTE, tidy_spaces(text), marker=str(n), style="footnote")


def read_docx(source: Path | str, *, max_unpacked_bytes: int | None = None) -> ReadResult:
    """Read a .docx file. ``max_unpacked_bytes`` guards against ZIP bombs."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(source)
    xml_limit = limit_setting(MAX_XML_BYTES_ENV, DEFAULT_MAX_XML_BYTES)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            # zipfile never inflates a member past its declared size, so the directory can be trusted
            big = next(
                (i for i in infos if i.filename.endswith((".xml", ".rels")) and i.file_size > xml_limit), None
            )
    except ZIP_ERRORS as exc:
        raise ReaderError(f"DOCX ファイルが壊れています / corrupt DOCX: {exc}", code="corrupt") from exc
    if max_unpacked_bytes is not None and unpacked > max_unpacked_bytes:
        raise ReaderError(
            f"DOCX の展開後サイズが大きすぎます ({unpacked:,} バイト) / DOCX expands to {unpacked:,} bytes, over the limit",
            code="too_large",
        )
    if big is not None:
        raise limit_error(
            "too_large",
            f"DOCX の XML 部品が大きすぎます ({big.filename}: 展開後 {big.file_size:,} バイト、上限 {xml_limit:,} バイト)",
            f"DOCX part too large ({big.filename}: {big.file_size:,} bytes unpacked, limit {xml_limit:,};"
            f" set {MAX_XML_BYTES_ENV})",
        )
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReaderError(f"DOCX ファイルが壊れています / corrupt DOCX: {exc}", code="corrupt") from exc
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends
        raise ReaderError(
            f"DOCX ファイルを解析できません / cannot parse DOCX: {exc}", code="corrupt"
        ) from exc
    try:
        reader = _Reader(document)
        reader.body(document.element.body)
    except ReaderError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, NotImplementedError) as exc:
        # a part python-docx loaded but whose content breaks the reading (a relationship to the wrong
        # kind of part, an element where another is required)
        raise ReaderError(f"DOCX ファイルが壊れています / corrupt DOCX: {exc}", code="corrupt") from exc
    try:
        reader.footnotes()
    except Exception as exc:  # footnotes are optional: a broken part costs only them
        return ReadResult(
            blocks=reader.blocks,
            format="docx",
            warnings=[f"脚注を読み取れませんでした / footnotes skipped: {exc}"],
        )
    return ReadResult(blocks=reader.blocks, format="docx")
