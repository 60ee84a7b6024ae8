"""The figures of the plan document, as SVG: the 施策体系図 (policy → measure tree, boxes joined by
lines, one figure per top-level policy) and the 工程表 (keikaku.core.svg's Gantt). The DOCX and PDF
writers both place them as pictures (PNG), so the document's text is the plan's text once. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core import svg
from keikaku.core.schedule import normalise_phase
from keikaku.export.plan_model import DocMeasure, PlanDocument, TreeNode

FONT_SIZE = 13
LINE = 18  # px per text line
PAD = 6
GAP = 26  # between columns (the joining lines run here)
POLICY_WIDTH = 210
LEAF_WIDTH = 430
COLOURS = ("#dbe7f4", "#e8f1e0", "#fdf3d8")  # policy boxes by depth
STROKE = "#4a5a6a"


def _text_width(text: str) -> float:
    return sum(FONT_SIZE if ord(ch) > 0x2000 else FONT_SIZE * 0.58 for ch in text)


def wrap(text: str, width: float) -> list[str]:
    """Lines of ``text`` that fit ``width`` px (character by character: Japanese has no spaces)."""
    lines: list[str] = []
    cur = ""
    for ch in text:
        if cur and _text_width(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    if cur:
        lines.append(cur)
    return lines or [""]


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    depth: int
    leaf: bool


def _depth(nodes: Sequence[TreeNode]) -> int:
    """Levels of policy boxes (nodes that have children)."""
    return max((1 + _depth(n.children) for n in nodes if n.children), default=0)


def tree_svg(root: TreeNode, *, title: str, id_prefix: str = "tree") -> str:
    """One top-level policy with its sub-policies and measures as a left-to-right box diagram."""
    levels = max(1, _depth([root]))
    col_x = [10 + i * (POLICY_WIDTH + GAP) for i in range(levels)]
    leaf_x = 10 + levels * (POLICY_WIDTH + GAP)
    boxes: list[_Box] = []
    links: list[tuple[_Box, _Box]] = []
    cursor = 10.0

    def place(node: TreeNode, depth: int) -> _Box:
        nonlocal cursor
        if not node.children:
            x, w = (leaf_x, LEAF_WIDTH)
            lines = wrap(node.label, w - 2 * PAD)
            h = len(lines) * LINE + 2 * PAD
            box = _Box(x, cursor, w, h, lines, depth, True)
            cursor += h + 8
            boxes.append(box)
            return box
        top = cursor
        kids = [place(c, depth + 1) for c in node.children]
        lines = wrap(node.label, POLICY_WIDTH - 2 * PAD)
        need = len(lines) * LINE + 2 * PAD
        bottom = max(cursor - 8, top + need)
        cursor = max(cursor, bottom + 8)
        box = _Box(col_x[min(depth, levels - 1)], top, POLICY_WIDTH, bottom - top, lines, depth, False)
        boxes.append(box)
        links.extend((box, k) for k in kids)
        return box

    place(root, 0)
    width = int(leaf_x + LEAF_WIDTH + 10)
    height = int(cursor + 2)
    names = "、".join(b.lines[0] for b in boxes if b.leaf)
    out = svg.svg_open(
        svg._id(id_prefix), width, height, "tree", title, f"{root.label}: {names}", font_size=FONT_SIZE
    )
    for parent, child in links:
        x0, y0 = parent.x + parent.w, parent.y + parent.h / 2
        xm = child.x - GAP / 2
        y1 = child.y + child.h / 2
        out.append(
            f'<path d="M{x0:.1f},{y0:.1f} H{xm:.1f} V{y1:.1f} H{child.x:.1f}" fill="none" '
            f'stroke="{STROKE}" stroke-width="1"/>'
        )
    for b in boxes:
        fill = "#ffffff" if b.leaf else COLOURS[min(b.depth, len(COLOURS) - 1)]
        out.append(
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="3" fill="{fill}" '
            f'stroke="{STROKE}" stroke-width="1"/>'
        )
        y = b.y + b.h / 2 - (len(b.lines) - 1) * LINE / 2 + FONT_SIZE * 0.36
        for i, line in enumerate(b.lines):
            weight = ' font-weight="bold"' if not b.leaf and b.depth == 0 else ""
            out.append(
                f'<text x="{b.x + PAD:.1f}" y="{y + i * LINE:.1f}" fill="{svg.TEXT}"{weight}>{svg.esc(line)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def gantt_svg(measures: Sequence[DocMeasure], years: Sequence[int], *, title: str, id_prefix: str) -> str:
    rows = [
        svg.GanttRow(m.heading, [(fy, w, normalise_phase(w)) for fy, w in sorted(m.schedule.items())])
        for m in measures
    ]
    return svg.gantt_svg(
        rows,
        list(years),
        title=title,
        desc="施策ごとに、各年度の取組段階を帯で示します。",
        id_prefix=id_prefix,
        label_width=400,
        col_width=96,
        row_height=28,
    )


def size(svg_text: str) -> tuple[int, int]:
    """The width and height an SVG of this module declares."""
    import re

    w = re.search(r'width="(\d+)"', svg_text)
    h = re.search(r'height="(\d+)"', svg_text)
    return (int(w.group(1)) if w else 800, int(h.group(1)) if h else 600)


def tree_figures(d: PlanDocument) -> list[tuple[str, str]]:
    """(svg, caption) of the 施策体系図: one per top-level policy."""
    return [
        (
            tree_svg(root, title=f"施策体系図（{root.label}）", id_prefix=f"tree-{n}"),
            f"図{n}　施策体系図（{root.label}）",
        )
        for n, root in enumerate(d.tree, 1)
    ]


def gantt_figures(d: PlanDocument) -> list[tuple[str, str]]:
    """(svg, caption) of the 工程表: one per top-level policy."""
    return [
        (gantt_svg(ms, d.years, title=f"工程表（{heading}）", id_prefix=f"gantt-{n}"), f"工程表（{heading}）")
        for n, (heading, ms) in enumerate(d.gantt_groups, 1)
    ]
