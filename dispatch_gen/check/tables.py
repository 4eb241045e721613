"""Table rules: a table of the text fits its section's text width, and a table longer than a page
repeats its header row.

Only the tables of the text and its phụ lục are held to them: the header's and the signature's
borderless layout tables are the layout of Phụ lục I (see `layout.body_tables`). The text in the
cells is held to the other rules as any text is: font (FONT-001), size (FMT-001, element `table`),
NFC, tone marks and spelling (TXT-*).
"""
from __future__ import annotations

import math
from typing import Iterator

from ..profile import TWIPS_PER_MM, text_width_pt
from .context import Context
from .finding import ERROR, Finding
from .layout import body_tables
from .reader import Para, Table

LINE_HEIGHT = 1.15  # Times New Roman's line (ascent + descent + gap) as a multiple of its size


def _mm(twips: float) -> str:
    return f"{twips / TWIPS_PER_MM:.0f} mm"


def _cells(ctx: Context, table: Table) -> dict[tuple[int, int], list[Para]]:
    out: dict[tuple[int, int], list[Para]] = {}
    for p in ctx.doc.paras:
        if p.table == table.number:
            out.setdefault((p.row or 0, p.col or 0), []).append(p)
    return out


def located(ctx: Context, table: Table, row: int = 0) -> dict:
    """Where a finding about `table` points: its first paragraph (of `row`), the table and row numbers."""
    first = next((p for p in ctx.doc.paras if p.table == table.number and (p.row or 0) == row and not p.is_empty),
                 next((p for p in ctx.doc.paras if p.table == table.number), None))
    return {**ctx.where(first), "table": table.number + 1, "row": row + 1}


def fits(ctx: Context) -> Iterator[Finding]:
    """TBL-001: between the margins of its section, give or take Word's cell padding."""
    tol = ctx.tolerance("table_overhang_mm") * TWIPS_PER_MM
    for number in body_tables(ctx.layout):
        table = ctx.doc.table_info.get(number)
        if table is None or table.nested or not table.width_twips:
            continue
        first = next(p for p in ctx.doc.paras if p.table == number)
        width, _ = ctx.doc.text_area(first.section)
        if not width:
            continue
        sec = ctx.doc.sections[min(first.section, len(ctx.doc.sections) - 1)]
        left, right = table.left_twips, table.left_twips + table.width_twips
        into_left, into_right = -left, right - width
        if into_left <= tol and into_right <= tol:
            continue
        margins = {side: sec.margins_twips[side] or 0 for side in ("left", "right")}
        off_paper = into_left > margins["left"] or into_right > margins["right"]
        sides = [f"{_mm(d)} past the {side} edge of the text, over its {_mm(margins[side])} margin" if d > margins[side]
                 else f"{_mm(d)} into the {side} margin"
                 for d, side in ((into_left, "left"), (into_right, "right")) if d > tol]
        landscape = bool(sec.width_twips and sec.height_twips and sec.width_twips > sec.height_twips)
        hint = "" if landscape or off_paper else " (a wide table goes on a landscape page)"
        yield Finding("TBL-001", ("the table runs off the paper" if off_paper else "the table is wider than the text")
                      + f": {' and '.join(sides)}{hint}",
                      severity=ERROR if off_paper else "", expected=f"within the text width, {_mm(width)}",
                      found=f"{_mm(table.width_twips)} wide from {_mm(left)}", **located(ctx, table))


def _para_height(p: Para) -> float:
    """A lower bound of the paragraph's height in points: its lines (measured with the font's
    metrics, unbroken words) times the line height, and the space around it."""
    sizes = [r.size for r in p.runs if r.size and r.text.strip()] or [r.size for r in p.runs if r.size] or [10.0]
    size = max(sizes)
    bold = bool(p.runs) and all(r.bold for r in p.runs if r.text.strip())
    room = max(((p.width_twips or 0) - (p.props.left or 0) - (p.props.right or 0)) / 20, size)
    lines = sum(max(1, math.ceil(text_width_pt(piece, size, bold) / room)) for piece in p.text.split("\n"))
    natural = LINE_HEIGHT * size
    rule, line = p.props.line_rule or "auto", p.props.line
    if line and rule == "exact":
        height = line / 20
    elif line and rule == "atLeast":
        height = max(line / 20, natural)
    else:
        height = natural * ((line or 240) / 240)
    return lines * height + (p.props.before or 0) + (p.props.after or 0)


def height_pt(ctx: Context, table: Table) -> float:
    """A lower bound of the table's height: each row as tall as its tallest cell (or its set height)."""
    rows: dict[int, float] = {}
    for (row, _), paras in _cells(ctx, table).items():
        rows[row] = max(rows.get(row, 0.0), sum(_para_height(p) for p in paras))
    for row, (twips, rule) in table.row_heights.items():
        rows[row] = twips / 20 if rule == "exact" else max(rows.get(row, 0.0), twips / 20)
    return sum(rows.values())


def _has_header(ctx: Context, table: Table) -> bool:
    """A first row of column titles: its text bold (as Phụ lục I's and our tables set them)."""
    runs = [r for p in ctx.doc.paras if p.table == table.number and (p.row or 0) == 0 for r in p.runs if r.text.strip()]
    return bool(runs) and sum(len(r.text) for r in runs if r.bold) * 2 > sum(len(r.text) for r in runs)


def header_repeats(ctx: Context) -> Iterator[Finding]:
    """TBL-002: a table taller than its section's text height runs onto another page; its readers
    there need the column titles, so the header row repeats (Word: Repeat as header row)."""
    for number in body_tables(ctx.layout):
        table = ctx.doc.table_info.get(number)
        if table is None or table.header_rows or table.rows < 3 or not _has_header(ctx, table):
            continue
        first = next(p for p in ctx.doc.paras if p.table == number)
        _, text_height = ctx.doc.text_area(first.section)
        height = height_pt(ctx, table)
        if text_height and height * 20 > text_height:
            yield Finding("TBL-002", f"a table of {table.rows} rows, longer than a page, does not repeat its header row",
                          expected="the first row marked to repeat on each page",
                          found=f"about {height * 20 / text_height:.1f} pages, no repeated row", **located(ctx, table))


RULES = (fits, header_repeats)
