"""The importer's tolerances in one documented settings object (as pdfplumber's ``TableSettings``).

Every threshold, ratio and length limit the readers and the recognisers judge a document by is a field
of :class:`Tolerances`, with what it decides. The importer reads the one instance, :data:`TOLERANCES`;
a tuning experiment can build another with ``dataclasses.replace(TOLERANCES, field=value)``. Lengths
are characters of the text as the rule sees it (often squashed: NFKC without spaces); "em" is the
font size of the line. Changing a value changes what is imported: run the corpus score and
``scripts/bench_generalise.py`` before and after (docs/benchmarks.md).

Limits that protect the server (file sizes, pages, nesting) are settings, not tolerances: they are read
from the environment (docs/settings.md) in keikaku.ingest.markers and the readers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerances:
    # ------------------------------------------------------------------ every reader
    max_heading_chars: int = 80
    """A marked line longer than this (or holding 。) is a sentence, not a heading."""

    # ------------------------------------------------------------------ text reader
    text_width_tolerance: int = 4
    """Display columns (two Japanese characters) by which aligned text columns may be off."""

    # ------------------------------------------------------------------ HTML reader
    html_scope_window: int = 16
    """Open elements (innermost first) searched for the one an end tag closes; an unmatched end tag
    further out is ignored (keeps malformed HTML linear)."""

    # ------------------------------------------------------------------ PDF reader
    pdf_margin_band: float = 0.10
    """Top and bottom share of the page where running headers and footers live."""
    pdf_max_segments: int = 20000
    """A page with more vector segments than this is a drawing, not a table."""
    pdf_max_edge_pairs: int = 250_000
    """Horizontal × vertical rules past this: a drawing, not a table (pdfplumber pairs them all)."""
    pdf_heading_ratio: float = 1.15
    """Font size over the body size that makes a line a heading."""
    pdf_edge_min_lines: int = 8
    """Body lines a page needs to set the right edge of its text by itself (fewer: the previous page's)."""
    pdf_outdent_ems: float = 1.8
    """Ems by which a line starting left of the line above ends that paragraph (an indented definition
    value, then the next term); a first-line indent of one full-width space stays within it."""
    pdf_page_number_chars: int = 40
    """Only lines this short are tried as a page number (the pattern backtracks on long blank runs)."""
    pdf_same_column: float = 4.0
    """Points by which the column rules of a table continued on the next page may differ (pdfplumber
    snaps rules within 3 pt; another table on the page moves a rule)."""
    pdf_max_header_rows: int = 3
    """Most rows a table's header may span (merged cells running down); a taller one is not a header
    repeated on each page."""
    pdf_column_gap_em: float = 1.2
    """A blank wider than this (em) in a line may be the gutter between two text columns."""
    pdf_min_gutter_em: float = 1.0
    """The narrowest gutter (em) between text columns."""
    pdf_min_column_region: float = 0.4
    """Share of the page height text columns must run down to be read as columns."""
    pdf_min_column_lines: int = 6
    """Lines each text column needs."""
    pdf_min_column_em: float = 10.0
    """The narrowest text column (em)."""
    pdf_min_column_share: float = 0.2
    """The narrowest text column as a share of the text width."""
    pdf_min_full_lines: int = 2
    """Lines each text column needs running up to its right edge (prose that wraps, not the short cells
    of a table)."""
    pdf_max_text_columns: int = 3
    """Most text columns on a page."""
    pdf_cell_gap_em: float = 1.5
    """A blank wider than this (em) separates two cells of a table drawn without rules."""
    pdf_grid_min_columns: int = 3
    """Columns a table drawn without rules needs."""
    pdf_grid_min_split_rows: int = 3
    """Consecutive rows that must split at the same places for a table drawn without rules."""

    # ------------------------------------------------------------------ matching titles
    sibling_confidence: float = 0.8
    """Confidence of a pillar taken from a measure's siblings under the same policy."""
    draft_match: float = 0.8
    """Similarity at which a record's title names a measure already drafted (merge.find_draft)."""
    same_title: float = 0.9
    """Similarity at which two drafts are the same measure written twice (merge.same_title)."""
    outline_title_match: float = 0.8
    """Similarity at which a table's group title is an outline heading above a measure."""
    outline_contains_min_chars: int = 4
    """Shortest text that counts as contained in an outline heading."""

    # ------------------------------------------------------------------ tables
    table_gap_line_chars: int = 30
    """Lines between two tables this short (a page header, footer, number) do not part them."""
    table_gap_blocks: int = 4
    """Most blocks between two tables that are one table across a page break."""
    header_year_max_chars: int = 16
    """Longest column header read as a fiscal year (R5, 令和5年度, 2023)."""
    column_head_max_chars: int = 20
    """Longest header cell of a header row."""
    column_label_max_chars: int = 24
    """Longest column label of any kind."""
    mark_head_max_chars: int = 30
    """Longest header of a column of ○ marks naming a pillar or an article."""
    text_column_min_chars: int = 4
    """Shortest cell that counts as text when looking for a table's title column."""
    text_column_share: float = 0.6
    """Share of text cells that makes a column the title column."""
    label_cell_max_chars: int = 24
    """Longest cell read as a label (施策名, 担当課, KPI …)."""
    gantt_cell_max_chars: int = 12
    """Longest cell of a schedule (Gantt) row; a longer one is no phase."""
    title_cell_first_line_max_chars: int = 40
    """Longest first line of a title cell that holds the title then sentences."""
    pillar_cell_item_max_chars: int = 20
    """Longest cell under a pillar row read as a list of items."""
    record_label_share: float = 0.6
    """Share of a record card's rows that must start with a label."""
    record_gap_paragraph_chars: int = 120
    """Paragraphs this short between record cards do not end the run of cards."""
    banner_title_max_chars: int = 60
    """Longest banner row of a record card read as its title."""

    # ------------------------------------------------------------------ labelled items and boxes
    kpi_goal_max_chars: int = 20
    """Longest qualitative target kept as its word; a longer one keeps the whole statement."""
    kpi_indicator_min_chars: int = 2
    """Shortest indicator before a number that makes a cell a whole KPI ('交付率 65％→90％')."""
    item_title_min_chars: int = 2
    """Shortest paragraph read as an item title."""
    item_title_max_chars: int = 30
    """Longest paragraph read as an item title ..."""
    item_title_max_chars_no_comma: int = 50
    """... or this long when it holds no 、."""
    bracket_key_line_max_chars: int = 60
    """Longest line written as '【1-1】title' read as a measure."""
    symbol_item_max_chars: int = 60
    """Longest line written as '■ title' read as an item."""
    description_long_chars: int = 40
    """A labelled value longer than this is a description even without a sentence ending."""
    prose_after_min_chars: int = 20
    """Shortest sentence after a department / schedule label's items that goes back to the prose."""
    trailing_department_max_chars: int = 80
    """Longest item read for a department in closing brackets ('電子申請の拡充（デジタル推進課）')."""
    box_block_max_chars: int = 400
    """Longest block read as a template box label."""
    box_rest_max_chars: int = 200
    """Longest text after a box label on the same line."""
    template_title_min_chars: int = 2
    """Shortest template measure title."""
    template_title_max_chars: int = 50
    """Longest template measure title ..."""
    template_title_max_chars_no_comma: int = 80
    """... or this long when it holds no 、 (a longer line with a comma is a sentence cut by a page)."""
    review_max_head: int = 16
    """Longest header cell of a previous-plan review table (a longer cell is data even if it says
    評価 or 取組)."""

    # ------------------------------------------------------------------ plan identity
    plan_title_min_chars: int = 4
    """Shortest plan name."""
    plan_title_max_chars: int = 60
    """Longest plan name."""
    published_line_max_chars: int = 40
    """Longest cover line read for the publication date."""
    kind_statement_chars: int = 200
    """Longest stretch between 本計画 and the plan kind, and between the kind and 位置付け, in the
    sentence that positions the plan as that kind (bounded, so a paragraph without 。 is read linearly)."""
    plan_name_min_chars: int = 4
    """Shortest plan name compared with another plan named in the text."""
    period_label_max_chars: int = 60
    """Longest '計画期間：…' line read as the period label."""
    period_note_min_chars: int = 40
    """A period paragraph longer than this is kept as the period's note."""
    period_sentence_min_chars: int = 20
    """Shortest sentence read for a period written as 'from … to …'."""
    section_text_chars: int = 20000
    """Most characters of a narrative section kept."""

    # ------------------------------------------------------------------ KPIs in prose
    prose_state_max_chars: int = 10
    """Longest state word in brackets ('（現状：未移行）')."""
    prose_indicator_min_chars: int = 3
    """Shortest indicator read from a KPI sentence."""

    # ------------------------------------------------------------------ the national guide
    guide_pillar_heading_max_chars: int = 120
    """Longest numbered heading naming a pillar."""
    guide_template_heading_max_chars: int = 80
    """Longest template heading."""
    guide_unmarked_heading_max_chars: int = 50
    """Longest template heading the reader did not mark as a heading."""
    guide_line_max_chars: int = 60
    """Longest title line, bare item or cover line (longer: a description)."""
    guide_date_line_max_chars: int = 30
    """Longest cover line read for the publication month."""
    guide_long_sentence_chars: int = 200
    """A sentence after a label longer than this belongs to the commentary."""
    guide_min_markers: int = 3
    """Measure markers a document needs to be read as the guide."""


TOLERANCES = Tolerances()
