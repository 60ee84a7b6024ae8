"""The text of a small HTML fragment — a table cell of a Markdown or text file — without the HTML parser
when its markup is simple enough that the parser would build exactly the tree the tags spell.

Cells such as ``<p>…</p><p>…</p>``, ``目標<br>100件`` or ``<ul><li>…</li></ul>`` are most of the markup in
plans written as text; parsing each one costs more than reading the rest of the cell. The walk here is
the one ``text._node_text`` makes over the parsed tree (each element's text tidied, block elements on
lines of their own), over the tags as written. A fragment is read here only when nothing in it could
make the parser build another tree: no tag outside a short list of block and inline elements, no end
tag that does not close the innermost open element, no block inside a paragraph and no list item
directly inside another (both close the open element in HTML), no character reference other than the
usual named and numeric ones, no CR or NUL. Anything else returns None and goes to the parser.
``tests/ingest/readers/test_text.py`` compares the two on thousands of generated fragments.
"""

from __future__ import annotations

import html
import re

_INLINE_BLANKS = re.compile(r"[ \t\u00a0]+")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[\s/][^<>]*)?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|apos|nbsp|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
# elements on lines of their own (text._node_text's wraps) and elements read as their text
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol"})
_INLINE = frozenset({"b", "i", "u", "s", "em", "strong", "span", "small", "sup", "sub", "font"})
_LISTS = ("ul", "ol")
_MAX_DEPTH = 64  # a cell nested deeper than this is no cell a converter wrote


def tidy_lines(text: str) -> str:
    """Blanks squeezed and lines trimmed; empty lines dropped."""
    lines = [_INLINE_BLANKS.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def simple_fragment_text(fragment: str) -> str | None:
    """The fragment's text as ``html_to_text`` gives it, or None when the parser must read it."""
    if "\r" in fragment or "\x00" in fragment:
        return None
    if "&" in fragment and "&" in _ENTITY.sub("", fragment):
        return None
    # per open element: its name, its text so far, what wraps it in its parent ("\n" for a block)
    stack: list[tuple[str, list[str], str]] = [("", [], "")]
    # per open element: whether a list item is open in its scope (an <li> here would close it); and how
    # many <p> are open — both kept as the stack changes, so each tag costs the same at any depth
    in_item: list[bool] = [False]
    paragraphs = 0
    pos = 0
    for m in _TAG.finditer(fragment):
        text = fragment[pos : m.start()]
        if "<" in text:
            return None  # a "<" that is not a tag the walk knows
        if text:
            stack[-1][1].append(html.unescape(text) if "&" in text else text)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if attrs.count('"') % 2 or attrs.count("'") % 2:
            return None  # a ">" inside a quoted value
        if name == "br":
            if closing:
                return None  # </br> is read as <br>, but rare enough to leave to the parser
            stack[-1][1].append("\n\n")  # <br> is a block of no text: "\n" + "" + "\n"
            continue
        if attrs.rstrip().endswith("/"):
            return None  # <p/>: a self-closing form of an element that is not void
        block = name in _BLOCKS
        if not block and name not in _INLINE:
            return None
        if closing:
            if stack[-1][0] != name:
                return None  # an end tag the parser would ignore or that closes more than one
            _close(stack)
            in_item.pop()
            paragraphs -= name == "p"
            continue
        if block and paragraphs:
            return None  # a block start closes the open paragraph
        if name == "li" and in_item[-1]:
            return None  # a list item closes the open one
        if len(stack) > _MAX_DEPTH:
            return None  # deep markup: the parser's path checks it against the nesting limit
        stack.append((name, [], "\n" if block else ""))
        in_item.append(name == "li" or (in_item[-1] and name not in _LISTS))
        paragraphs += name == "p"
    rest = fragment[pos:]
    if "<" in rest:
        return None
    if rest:
        stack[-1][1].append(html.unescape(rest) if "&" in rest else rest)
    while len(stack) > 1:
        _close(stack)
    return tidy_lines("".join(stack[0][1])).strip()


def _close(stack: list[tuple[str, list[str], str]]) -> None:
    _, parts, wrap = stack.pop()
    stack[-1][1].append(wrap + tidy_lines("".join(parts)) + wrap)
