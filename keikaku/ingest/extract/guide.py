"""Recognise the national guide (市町村官民データ活用推進計画策定の手引) and read it into a Catalogue.

The guide is not a plan: it is the template (雛型) a plan is drafted from — numbered chapters
(現状及び課題, 目的, 位置付け, 推進体制, 基本的な方針, 個別施策, セキュリティ …) — and a catalogue of
example measures. Each example measure sits under one of the five 基本的な方針 (or その他) and is laid
out as::

    【市町村の施策（記載例）】          ← the example marker (都道府県の施策 in a prefectural guide)
    <title>   <重点分野>               ← on one line, two lines, in a table row or in HTML cells
    <description paragraphs …>
    <KPI>        <indicator lines>
    <スケジュール> <target sentences>
    【対応する国の施策】  ・<national measure> (- detail bullets)
    【対応する事例集の施策】・「<case>（<団体>）」（事例集 n-m）

The recogniser works on the block stream only (headings, paragraphs, list items, tables, with any
HTML fragments or emphasis left by a converter flattened into short text units) and decides that a
document is a guide by structure: several example markers plus a guide-like title, 〇〇市-style
placeholders or 国の施策 references. A municipality's plan has none of these and yields ``None``.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field

from keikaku.core.chapters import chapter_kind
from keikaku.core.fiscal import parse_year_month
from keikaku.core.pillars import PILLARS, PRIORITY_AREA_NAMES, PRIORITY_AREAS
from keikaku.core.plan import (
    Catalogue,
    ExampleMeasure,
    PillarRef,
    PillarSource,
    Provenance,
    Section,
    SourceDocument,
)
from keikaku.core.text import nfkc
from keikaku.ingest.blocks import Block, BlockKind, Location, ReadResult
from keikaku.ingest.extract.vocabulary import alternation
from keikaku.ingest.readers.emphasis import bold_runs
from keikaku.ingest.tolerances import TOLERANCES as TOL

log = logging.getLogger(__name__)

# ---- text units ---------------------------------------------------------------------------------

# HTML left in converted text: footnote references are dropped, block-level tags break units.
_SUP = re.compile(r"<sup>.*?</sup>|\^\{[^}]*\}", re.I | re.S)
_BREAK_TAGS = re.compile(r"</?(?:p|div|br|td|th|tr|li|ul|ol|table|tbody|thead|h[1-6])\b[^>]*>", re.I)
_INLINE_TAGS = re.compile(r"</?(?:b|i|u|strong|em|span|font|a|center|sub|small)\b[^>]*>", re.I)
_RULE = re.compile(r"^[-|:=_\s]+$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_LIST_BULLET = re.compile(r"^[-*+•]\s*")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])[ \u3000]+(?=[^\x00-\x7f])")
_MANY_SPACES = re.compile(r"[ \u3000]{3,}")
_TOC_LINE = re.compile(r"(?:\t|\s{2,}|…+|\.{3,})\s*\d+\s*$")


@dataclass
class _Unit:
    """One short piece of text in reading order (a line of a block, a table cell, an HTML <p>)."""

    text: str  # as written, tags and emphasis removed
    norm: str  # NFKC form, for recognising labels
    loc: Location
    heading: bool
    concatenated: bool = False  # came out of the same line as a preceding label (bold runs glued)
    bare_item: bool = False  # a list item whose reader dropped its bullet (no marker kept)


def _clean_lines(raw: str) -> list[tuple[str, bool]]:
    """Split a block's text into lines; the flag says the line was glued to the previous one."""
    s = _SUP.sub("", raw)
    s = _BREAK_TAGS.sub("\n", s)
    s = _INLINE_TAGS.sub("", s)
    s = html.unescape(s)
    s = s.replace("\t", "\n")
    out: list[tuple[str, bool]] = []
    for line in s.split("\n"):
        parts = [p for p in line.split("****")]
        for k, part in enumerate(parts):
            part = _MD_HEADING.sub("", part.replace("**", "").strip()).strip()
            if not part or _RULE.match(part):
                continue
            out.append((part, k > 0))
    return out


def _split_bold(line: str, runs: list[str]) -> list[str]:
    """A line cut where a bold run (a reader's style hint) begins or ends: a box label, a title
    and its 重点分野 set in bold next to plain text come apart as they do in the original layout."""
    pieces = [line]
    for run in sorted({r for r in runs if len(r) >= 2}, key=len, reverse=True):
        out: list[str] = []
        for piece in pieces:
            i = piece.find(run) if piece.strip() != run else -1
            if i < 0:
                out.append(piece)
                continue
            out.extend(x for x in (piece[:i], run, piece[i + len(run) :]) if x.strip())
        pieces = out
    return pieces


def _block_text(block: Block) -> str:
    text = block.text or ""
    marker = (block.marker or "").strip()
    if marker and not text.lstrip().startswith(marker):
        text = f"{marker} {text}"
    return text


def _units(blocks: list[Block]) -> list[_Unit]:
    units: list[_Unit] = []
    for block in blocks:
        if block.kind == BlockKind.FOOTNOTE:
            continue
        if block.kind == BlockKind.TABLE and block.table is not None:
            for row in block.table.grid():
                for cell in row:
                    if cell.is_span_copy:
                        continue
                    for line, glued in _clean_lines(cell.text):
                        units.append(_Unit(line, nfkc(line), block.loc, False, glued))
            continue
        raw = _block_text(block)
        if raw.lstrip().startswith("<sup>") or raw.lstrip().startswith("^{"):
            continue  # a footnote the reader did not recognise as one
        heading = block.kind == BlockKind.HEADING
        bare = block.kind == BlockKind.LIST_ITEM and not (block.marker or "").strip()
        runs = bold_runs(block.style)
        for line, glued in _clean_lines(raw):
            for k, piece in enumerate(_split_bold(line, runs) if runs else [line]):
                piece = piece.strip()
                units.append(_Unit(piece, nfkc(piece), block.loc, heading, glued or k > 0, bare))
    return units


# ---- labels -------------------------------------------------------------------------------------

_EXAMPLE_MARKER = re.compile(r"^【[^】]*(?:記載例|施策例)[^】]*】\s*(.*)$")
_NATIONAL_LABEL = re.compile(r"^【[^】]*国の(?:施策|取組)[^】]*】\s*(.*)$")
_CASE_LABEL = re.compile(r"^【[^】]*事例[^】]*】\s*(.*)$")
_OTHER_LABEL = re.compile(r"^【[^】]*】\s*$")
# the guide's box labels, from the one vocabulary (<KPI>, <スケジュール> …)
_KPI_LABEL = re.compile(rf"^[<〈《【]\s*(?:{alternation('kpi')})[^>〉》】]{{0,12}}[>〉》】]\s*(.*)$", re.I)
_SCHEDULE_LABEL = re.compile(
    rf"^[<〈《【]\s*(?:{alternation('schedule', 'target_year')})\s*[>〉》】]\s*(.*)$"
)
_EXAMPLE_TEXT_LABEL = re.compile(r"^[(<〈【]\s*記載例\s*[)>〉】]$")
_COMMENTARY_LABEL = re.compile(r"^[(<〈【]\s*解説\s*[)>〉】]$")
_VARIANT_LABEL = re.compile(r"^[(（][^()（）]{1,40}[)）]$")
_END_OF_LIST = re.compile(r"^(?:等々|など|等)$")
_NUMBERED = re.compile(r"^(?:第\s*)?([0-9]+)\s*(?:[.．、]|章)\s*(\S.*)$")
_PILLAR_NUMBERED = re.compile(
    r"^(?:[(（]\s*([0-9]+)\s*[)）]|([0-9]+)\s*[.．、]|第\s*([0-9]+)\s*[章節])\s*(\S.*)$"
)
_PLACEHOLDER = re.compile(r"(?:〇〇|○○|●●|◯◯|△△)\s*(?:都|道|府|県|市|町|村|区)")
_FLAG_MARK = re.compile(r"^[◎○〇◯]\s*")

AREA_LABELS: tuple[str, ...] = (*PRIORITY_AREAS, "その他")
_AREA_ALT = "|".join(sorted((re.escape(a) for a in AREA_LABELS), key=len, reverse=True))
_AREA_SPLIT = re.compile(
    rf"^(?P<before>.*?)[\s\u3000]+(?P<area>{_AREA_ALT})(?=$|[\s\u3000(（])(?P<after>.*)$"
)
_AREA_SUFFIX = re.compile(rf"^(?P<before>.+?)(?P<area>{_AREA_ALT})$")
_INCOMPLETE_END = ("の", "・", "、", "に", "を", "と", "や", "及び", "並びに", "及", "における", "による")


def _section_kind(title: str) -> str | None:
    """The template chapter a guide's chapter title names (core/chapters.py; only the chapters' own words:
    the guide's headings name their chapters in full)."""
    return chapter_kind(title, broad=False)


def pillar_code(title: str) -> str | None:
    """The pillar a 基本的な方針 heading names: its law wording, or その他."""
    t = nfkc(title).strip()
    if t.startswith("その他"):
        return "other"
    for p in PILLARS:
        if p.code != "other" and p.name in t:
            return p.code
    return None


def _pillar_heading(u: _Unit) -> tuple[str, str] | None:
    """(number, code) when the unit is a numbered heading naming one of the five pillars / その他."""
    if len(u.norm) > TOL.guide_pillar_heading_max_chars or "。" in u.norm:
        return None
    m = _PILLAR_NUMBERED.match(u.norm)
    if not m:
        return None
    number = m.group(1) or m.group(2) or m.group(3)
    code = pillar_code(m.group(4))
    if code is None:
        return None
    return number, code


def _template_heading(u: _Unit) -> tuple[int, str] | None:
    if "。" in u.norm or len(u.norm) > TOL.guide_template_heading_max_chars or _TOC_LINE.search(u.text):
        return None
    if not u.heading and len(u.norm) > TOL.guide_unmarked_heading_max_chars:
        return None
    m = _NUMBERED.match(u.norm)
    if not m:
        return None
    # keep the title as written: drop the same number of leading characters as the marker took
    title = u.text[len(u.text) - len(u.text.lstrip()) :]
    title = re.sub(r"^(?:第\s*)?[0-9０-９]+\s*(?:[.．、]|章)\s*", "", title).strip()
    return int(m.group(1)), title or m.group(2)


def _incomplete(title: str) -> bool:
    return title.endswith(_INCOMPLETE_END)


def _tidy(text: str) -> str:
    return _CJK_SPACE.sub("", text).strip()


def _split_area(text: str, glued: bool) -> tuple[str, str | None, str]:
    """'<title> <重点分野> (パターン…)' → (title, area, rest)."""
    t = text.strip()
    if t in AREA_LABELS:
        return "", t, ""
    m = _AREA_SPLIT.match(t)
    if m and m.group("before").strip():
        return m.group("before").strip(), m.group("area"), m.group("after").strip()
    if glued:
        m = _AREA_SUFFIX.match(t)
        if m:
            return m.group("before").strip(), m.group("area"), ""
    return t, None, ""


def _content_lines(text: str) -> list[str]:
    """KPI / schedule text: converters collapse its lines into runs of spaces."""
    out = []
    for part in _MANY_SPACES.split(text):
        part = _LIST_BULLET.sub("", part.strip()).strip()
        part = part.lstrip("・").strip()
        if part:
            out.append(part)
    return out


# ---- the measure being read -----------------------------------------------------------------------


@dataclass
class _Draft:
    pillar_key: str | None
    pillar: str | None
    start: Location
    end: Location
    title: str = ""
    title_done: bool = False
    area: str | None = None
    state: str = "title"
    description: list[str] = field(default_factory=list)
    kpi: list[str] = field(default_factory=list)
    schedule: list[str] = field(default_factory=list)
    national: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    variant: str | None = None
    bulleted: bool = False  # a 国の施策 item was marked with ・ as written
    suffix_area: str | None = None  # an area read off the end of the title line (may be the title's)

    def add_lines(self, target: list[str], text: str) -> None:
        for line in _content_lines(text):
            if target and _incomplete(target[-1]) and not line.startswith(("(", "（")):
                target[-1] = target[-1] + line
            else:
                target.append(line)

    def feed(self, u: _Unit, text: str | None = None, glued: bool = False) -> None:
        text = (u.text if text is None else text).strip()
        if not text:
            return
        norm = nfkc(text)
        self.end = u.loc
        for label, state in ((_KPI_LABEL, "kpi"), (_SCHEDULE_LABEL, "schedule")):
            m = label.match(norm)
            if m:
                target = self.kpi if state == "kpi" else self.schedule
                if self.variant:
                    target.append(self.variant)
                    if state == "schedule":
                        self.variant = None
                self.state = state
                self.title_done = True
                rest = text[len(text) - len(m.group(1)) :] if m.group(1) else ""
                if rest.strip():
                    self.add_lines(target, rest)
                return
        for label, state in ((_NATIONAL_LABEL, "national"), (_CASE_LABEL, "cases")):
            m = label.match(norm)
            if m:
                self.state = state
                self.title_done = True
                if m.group(1).strip():
                    self.feed(u, m.group(1))
                return
        if _OTHER_LABEL.match(norm):
            self.state = "other"
            return
        if self.state in ("national", "cases"):
            item = _LIST_BULLET.sub("", text).strip()
            marked = item.startswith("・")
            self.bulleted = self.bulleted or marked
            # a reader that drops the ・ bullet: take short noun phrases until a marked item is seen
            bare = (
                u.bare_item
                and not self.bulleted
                and "。" not in item
                and len(item) <= TOL.guide_line_max_chars
            )
            if marked or bare or (self.state == "cases" and item.startswith("「")):
                item = item.lstrip("・").strip()
                if item:
                    (self.national if self.state == "national" else self.cases).append(item)
            return
        if self.state == "other":
            return
        if self.area is None and norm in AREA_LABELS:
            self.area = norm
            return
        if self.suffix_area and norm in AREA_LABELS and not self.description:
            # the area stands on its own line: the word at the end of the title was the title's
            self.title += self.suffix_area
            self.area, self.suffix_area = norm, None
            return
        if _VARIANT_LABEL.match(norm) and self.title:
            self.variant = text
            self.state = "description"
            return
        if self.state == "title":
            if self.title and ("。" in norm or len(norm) > TOL.guide_line_max_chars):
                self.state = "description"
            else:
                # on the title's first line a 重点分野 word closing it is the area (the two set apart
                # only by bold runs, cells or spacing that the reader did not keep)
                first = not self.title and len(norm) <= TOL.guide_line_max_chars
                before, area, after = _split_area(text, glued or first)
                if area and self.area is None:
                    self.area = area
                    if (
                        first
                        and not glued
                        and before
                        and not after
                        and not text.rstrip()[: -len(area)].endswith((" ", "\u3000"))
                    ):
                        self.suffix_area = area
                if before:
                    self.title += before
                if after and _VARIANT_LABEL.match(nfkc(after)):
                    self.variant = after
                elif after:  # a reader that joined the box's lines: the rest is the description
                    self.description.append(after)
                    self.state = "description"
                    return
                if self.title and not _incomplete(self.title):
                    self.state = "description"
                return
        if self.state == "description":
            self.description.append(text)
        elif self.state == "kpi":
            self.add_lines(self.kpi, text)
        elif self.state == "schedule":
            self.add_lines(self.schedule, text)

    def build(self, key: str, source_name: str) -> ExampleMeasure | None:
        title = _FLAG_MARK.sub("", _tidy(self.title))
        if not title:
            return None
        pillars = (
            [PillarRef(code=self.pillar, source=PillarSource.DOCUMENT, confidence=1.0)] if self.pillar else []
        )
        return ExampleMeasure(
            key=key,
            pillar_key=self.pillar_key,
            title=title,
            description="\n".join(self.description),
            pillars=pillars,
            priority_areas=[self.area] if self.area in PRIORITY_AREA_NAMES else [],
            kpi_text="\n".join(self.kpi),
            schedule_text="\n".join(self.schedule),
            national_measures=list(dict.fromkeys(self.national)),
            case_refs=list(dict.fromkeys(self.cases)),
            provenance=Provenance(
                source=source_name,
                page=self.start.page,
                line_start=self.start.line_start,
                line_end=self.end.line_end or self.end.line_start,
                text=self.title.strip(),
            ),
        )


# ---- template sections ----------------------------------------------------------------------------


@dataclass
class _SectionDraft:
    number: int
    title: str
    lines: list[str] = field(default_factory=list)
    collecting: bool = True

    def build(self) -> Section:
        # prefer the 記載例 (the wording a plan copies) over the commentary (<解説>)
        example: list[str] = []
        inside = False
        for line in self.lines:
            n = nfkc(line)
            if _EXAMPLE_TEXT_LABEL.match(n):
                inside = True
                continue
            if _COMMENTARY_LABEL.match(n):
                inside = False
                continue
            if inside:
                example.append(line)
        body = example or [ln for ln in self.lines if not _COMMENTARY_LABEL.match(nfkc(ln))]
        return Section(
            key=str(self.number), title=self.title, kind=_section_kind(self.title), text="\n".join(body)
        )


# ---- the document ---------------------------------------------------------------------------------


def _front_matter(units: list[_Unit]) -> tuple[str | None, str | None, str | None]:
    """Title (the first heading, preferring one naming a 手引), publisher lines and publication date."""
    head = units[:25]
    title_i = next(
        (i for i, u in enumerate(head) if u.heading and ("手引" in u.norm or "雛型" in u.norm)), None
    )
    if title_i is None:
        title_i = next((i for i, u in enumerate(head) if u.heading), 0 if units else None)
    if title_i is None:
        return None, None, None
    title = _tidy(units[title_i].text)
    publisher: list[str] = []
    published = None
    for u in units[title_i + 1 : title_i + 8]:
        if u.heading or "。" in u.norm or len(u.norm) > TOL.guide_line_max_chars:
            break
        ym = parse_year_month(u.text) if len(u.norm) <= TOL.guide_date_line_max_chars else None
        if ym and "-" in ym:
            published = ym
            break
        publisher.append(u.text.strip())
    return title, (" / ".join(publisher) or None), published


def _marker_words(blocks: list[Block]) -> int:
    """How often the words of an example-measure marker (記載例 / 施策例) occur in the text the units are
    cut from — at least as often as there are markers, so a plan with fewer than the guide's minimum is
    told apart without cutting it into units. Only a piece holding 例 (or U+F9B5, its compatibility
    form, or an entity that may spell it) can hold either word; markup is removed as ``_clean_lines``
    removes it, and the pieces are normalised (NFKC) one by one."""
    pieces: list[str] = []
    for block in blocks:
        if block.kind == BlockKind.FOOTNOTE:
            continue
        if block.kind == BlockKind.TABLE and block.table is not None:
            pieces.extend(c.text for row in block.table.rows for c in row)
        else:
            pieces.append(_block_text(block))
    found = 0
    for piece in pieces:
        if "例" not in piece and "\uf9b5" not in piece and "&" not in piece:
            continue
        if "<" in piece or "&" in piece or "^" in piece or "*" in piece:
            piece = html.unescape(_INLINE_TAGS.sub("", _BREAK_TAGS.sub("\n", _SUP.sub("", piece))))
            piece = piece.replace("*", "")
        text = nfkc(piece)
        found += text.count("記載例") + text.count("施策例")
    return found


def extract_catalogue(result: ReadResult, source_name: str) -> Catalogue | None:
    """Read a guide's template sections and example measures; ``None`` when it is not a guide."""
    if _marker_words(result.blocks) < TOL.guide_min_markers:
        return None
    units = _units(result.blocks)
    if not units:
        return None

    drafts: list[_Draft] = []
    sections_run: list[_SectionDraft] = []
    template_run: list[_SectionDraft] | None = None
    current: _Draft | None = None
    pillar_key: str | None = None
    pillar: str | None = None
    markers = national_labels = 0

    def finish() -> None:
        nonlocal current
        if current is not None:
            drafts.append(current)
            current = None

    for u in units:
        m = _EXAMPLE_MARKER.match(u.norm)
        if m:
            rest = u.text[u.text.index("】") + 1 :].strip() if "】" in u.text else ""
            if rest and (
                rest[0] in "にをがはでのとへもや"
                or ("。" in rest and len(nfkc(rest)) > TOL.guide_long_sentence_chars)
            ):
                pass  # a sentence that mentions the marker, e.g. a footnote
            else:
                finish()
                markers += 1
                if template_run is None and sections_run:
                    template_run = sections_run
                for s in sections_run:
                    s.collecting = False
                current = _Draft(pillar_key, pillar, u.loc, u.loc)
                if rest:
                    current.feed(u, rest, glued=True)
                continue
        if _NATIONAL_LABEL.match(u.norm):
            national_labels += 1
        ph = _pillar_heading(u)
        if ph is not None:
            finish()
            pillar_key, pillar = ph
            if sections_run and _section_kind(sections_run[-1].title) == "measures":
                sections_run[-1].collecting = False
            elif sections_run and sections_run[-1].collecting:
                sections_run[-1].lines.append(u.text)
            continue
        th = _template_heading(u)
        if th is not None:
            number, title = th
            follows = bool(sections_run) and number == sections_run[-1].number + 1
            # inside an example measure only the template's next chapter heading ends it
            accept = (u.heading and follows) if current is not None else (number == 1 or follows)
            if accept:
                finish()
                if number == 1:
                    sections_run = []
                for s in sections_run:
                    s.collecting = False
                sections_run.append(_SectionDraft(number, title))
                pillar_key = pillar = None
                continue
        if current is not None:
            if (
                _END_OF_LIST.match(u.norm)
                or _COMMENTARY_LABEL.match(u.norm)
                or _EXAMPLE_TEXT_LABEL.match(u.norm)
            ):
                finish()
                continue
            current.feed(u, glued=u.concatenated)
            continue
        if sections_run and sections_run[-1].collecting:
            sections_run[-1].lines.append(u.text)
    finish()

    if markers < TOL.guide_min_markers:
        return None
    front_title, publisher, published = _front_matter(units)
    guide_like = bool(front_title and re.search(r"手引|雛型|ひな型|ガイド", front_title))
    placeholders = sum(len(_PLACEHOLDER.findall(u.norm)) for u in units)
    if not (guide_like or placeholders >= 3 or national_labels >= 2):
        log.debug(
            "%s: not the guide (%d placeholders, %d national labels)",
            source_name,
            placeholders,
            national_labels,
        )
        return None
    log.debug("%s: the national guide (title %r, %d placeholders)", source_name, front_title, placeholders)

    measures: list[ExampleMeasure] = []
    counters: dict[str | None, int] = {}
    for d in drafts:
        n = counters.get(d.pillar_key, 0) + 1
        key = f"{d.pillar_key}-{n}" if d.pillar_key else str(len(measures) + 1)
        em = d.build(key, source_name)
        if em is not None:  # a marker with nothing after it (a repeated box heading) is skipped
            counters[d.pillar_key] = n
            measures.append(em)
    if len(measures) < 2:
        return None

    template = template_run or []
    return Catalogue(
        title=front_title or "手引",
        publisher=publisher,
        published=published,
        template_sections=[s.build() for s in template],
        measures=measures,
        source=SourceDocument(filename=source_name, format=result.format, pages=result.pages),
    )
