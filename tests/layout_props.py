"""What a paragraph looks like in Word, read with python-docx: its *effective* alignment, indent,
weight, slant, case and size, resolved through the paragraph's and the run's styles (their
`basedOn` chains) and the document defaults, as Word resolves them.

Used to compare our documents with the official models of Phụ lục III, whose formatting sits
partly on the runs and partly in styles. A line's weight, slant and size are judged on its letters
(a dotted placeholder on its non-blank characters), leaving out raised footnote marks (`TÊN CƠ
QUAN²`): a line whose letters disagree reads as `mixed`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

MIXED = "mixed"
_ALIGN = {"both": "justify", "distribute": "justify", "start": "left", "end": "right"}
_ON = {None, "1", "true", "on"}
INDENT_TWIPS = 142  # 0.25 cm: less is a typing slip (18 or 27 twips), not an indent


def in_order(document) -> Iterator[Paragraph]:
    """Every paragraph in reading order, table cells (nested tables too) where they stand."""
    yield from _walk(document.element.body, document)


def _walk(parent_el, parent) -> Iterator[Paragraph]:
    for el in parent_el.iterchildren():
        if el.tag == qn("w:p"):
            yield Paragraph(el, parent)
        elif el.tag == qn("w:tbl"):
            table = Table(el, parent)
            for tr in el.iterchildren(qn("w:tr")):
                for tc in tr.iterchildren(qn("w:tc")):
                    yield from _walk(tc, _Cell(tc, table))
        elif el.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _walk(el, parent)


def _style_chain(style) -> list:
    """A style and its `basedOn` ancestors, nearest first."""
    chain, seen = [], set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        chain.append(style)
        style = getattr(style, "base_style", None)
    return chain


def _defaults(document, tag: str):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    return None if defaults is None else defaults.find(tag)


def _ppr_levels(paragraph) -> list:
    """The pPr elements that apply to a paragraph, nearest first: its own, its style chain's, the defaults'."""
    levels = [paragraph._p.pPr]
    levels += [s.element.pPr for s in _style_chain(paragraph.style)]
    levels.append(_defaults(paragraph.part.document, f"{qn('w:pPrDefault')}/{qn('w:pPr')}"))
    return [p for p in levels if p is not None]


def _rpr_levels(paragraph, run_el) -> list:
    rpr = run_el.find(qn("w:rPr"))
    levels = [rpr]
    cstyle = None if rpr is None else rpr.find(qn("w:rStyle"))
    if cstyle is not None:
        style = paragraph.part.document.styles.element.get_by_id(cstyle.get(qn("w:val")))
        while style is not None:
            levels.append(style.rPr)
            based = style.basedOn_val
            style = paragraph.part.document.styles.element.get_by_id(based) if based else None
    levels += [s.element.rPr for s in _style_chain(paragraph.style)]
    levels.append(_defaults(paragraph.part.document, f"{qn('w:rPrDefault')}/{qn('w:rPr')}"))
    return [r for r in levels if r is not None]


def _first(levels, tag: str, read):
    for level in levels:
        el = level.find(qn(tag))
        if el is not None:
            value = read(el)
            if value is not None:
                return value
    return None


def _toggle(el):
    return el.get(qn("w:val")) in _ON


def _twips(value: str | None) -> int | None:
    return None if value is None else int(float(value))


def _indent(levels) -> tuple[int, int]:
    """(left, first line) in twips; a hanging indent is a negative first line."""
    left = _first(levels, "w:ind", lambda el: _twips(el.get(qn("w:left")) or el.get(qn("w:start"))))
    first = _first(levels, "w:ind", lambda el: -_twips(el.get(qn("w:hanging"))) if el.get(qn("w:hanging"))
                   else _twips(el.get(qn("w:firstLine"))))
    return left or 0, first or 0


@dataclass(frozen=True)
class Look:
    """A paragraph as Word shows it (None: nothing to judge by, e.g. case on a line of dots)."""

    text: str
    align: str
    indented: bool
    bold: object
    italic: object
    upper: bool | None
    size: object
    lead_bold: bool | None
    lead_italic: bool | None

    def get(self, prop: str):
        return getattr(self, prop)


def _summary(values: list):
    distinct = set(values)
    if not distinct:
        return None
    return distinct.pop() if len(distinct) == 1 else MIXED


def look(paragraph) -> Look:
    """The paragraph's effective formatting."""
    plevels = _ppr_levels(paragraph)
    jc = _first(plevels, "w:jc", lambda el: el.get(qn("w:val")))
    align = _ALIGN.get(jc, jc) if jc else "left"
    left, first = _indent(plevels)
    chars = []  # (character, bold, italic, size) of the line's text, footnote marks left out
    for r in paragraph._p.iter(qn("w:r")):
        levels = _rpr_levels(paragraph, r)
        if _first(levels, "w:vertAlign", lambda el: el.get(qn("w:val"))) in ("superscript", "subscript"):
            continue
        bold = bool(_first(levels, "w:b", _toggle))
        italic = bool(_first(levels, "w:i", _toggle))
        caps = bool(_first(levels, "w:caps", _toggle))
        size = _first(levels, "w:sz", lambda el: int(el.get(qn("w:val"))) / 2)
        for t in r.iterchildren(qn("w:t")):
            for c in t.text or "":
                chars.append((c.upper() if caps else c, bold, italic, size))
    letters = [c for c in chars if c[0].isalpha()] or [c for c in chars if not c[0].isspace()]
    alpha = [c for c, *_ in chars if c.isalpha()]
    return Look(
        text=" ".join(paragraph.text.split()),
        align=align,
        indented=left + first >= INDENT_TWIPS,
        bold=_summary([b for _, b, _, _ in letters]),
        italic=_summary([i for _, _, i, _ in letters]),
        upper=all(c == c.upper() for c in alpha) if len(alpha) >= 2 else None,
        size=_summary([s for *_, s in letters]),
        lead_bold=letters[0][1] if letters else None,
        lead_italic=letters[0][2] if letters else None,
    )
