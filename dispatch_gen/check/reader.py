"""Read a .docx into paragraphs with their *effective* formatting, in reading order.

A document typed by hand rarely puts sizes on its runs: the size, weight and font come from the
paragraph's style, its `basedOn` chain or the document defaults. The checker and the importer
need what Word shows, so every run is resolved run → character style → paragraph style chain →
table style → docDefaults here, once, and the rules only compare numbers.
"""
from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..limits import check_zip, xml_parser
from ..errors import DataError, Problem
from ..profile import TWIPS_PER_MM
from ..readers.numbering import Numbering

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W, "a": A, "wp": WP, "v": V, "r": R}
EMU_PER_TWIP = 635
EMU_PER_INCH = 914400

_w = lambda tag: f"{{{W}}}{tag}"  # noqa: E731
_ON = {None, "1", "true", "on"}
_ALIGN = {"both": "justify", "distribute": "justify", "center": "center", "left": "left",
          "start": "left", "right": "right", "end": "right"}
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
CONTROL = re.compile(r"^\s*(\{%.*?%\}|\{\{p\s.*?\}\})\s*$", re.S)
UNDERSCORES = re.compile(r"^\s*_{5,}\s*$")


def _attr(el, name: str) -> str | None:
    return None if el is None else el.get(_w(name))


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


@dataclass
class RunProps:
    """The run properties that matter to Decree 30; None means 'not said at this level'."""

    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    underline: bool | None = None
    script: str | None = None  # `superscript` / `subscript` (vertAlign); `baseline` resets it

    def over(self, base: "RunProps") -> "RunProps":
        """These properties on top of `base` (what this level does not say is inherited)."""
        return RunProps(*(mine if mine is not None else theirs
                          for mine, theirs in zip(self.astuple(), base.astuple())))

    def astuple(self) -> tuple:
        return (self.font, self.size, self.bold, self.italic, self.caps, self.underline, self.script)


@dataclass
class ParaProps:
    align: str | None = None
    first_line: int | None = None  # twips; negative for a hanging indent
    left: int | None = None
    right: int | None = None
    before: float | None = None    # points
    after: float | None = None
    line: int | None = None
    line_rule: str | None = None
    bottom_border: bool | None = None
    boxed: bool | None = None  # borders on all four sides (a stamp-like mark)

    def over(self, base: "ParaProps") -> "ParaProps":
        return ParaProps(*(mine if mine is not None else theirs
                           for mine, theirs in zip(self.astuple(), base.astuple())))

    def astuple(self) -> tuple:
        return (self.align, self.first_line, self.left, self.right, self.before, self.after,
                self.line, self.line_rule, self.bottom_border, self.boxed)


def _toggle(el) -> bool | None:
    if el is None:
        return None
    return _attr(el, "val") in _ON


def parse_rpr(rpr, theme_fonts: dict[str, str]) -> RunProps:
    if rpr is None:
        return RunProps()
    props = RunProps()
    fonts = rpr.find(_w("rFonts"))
    if fonts is not None:
        name = _attr(fonts, "hAnsi") or _attr(fonts, "ascii")
        theme = _attr(fonts, "hAnsiTheme") or _attr(fonts, "asciiTheme")
        if name is None and theme:
            name = theme_fonts.get("major" if theme.startswith("major") else "minor", f"({theme})")
        props.font = name
    sz = rpr.find(_w("sz"))
    if sz is not None and _int(_attr(sz, "val")) is not None:
        props.size = _int(_attr(sz, "val")) / 2
    props.bold = _toggle(rpr.find(_w("b")))
    props.italic = _toggle(rpr.find(_w("i")))
    props.caps = _toggle(rpr.find(_w("caps")))
    u = rpr.find(_w("u"))
    if u is not None:
        props.underline = _attr(u, "val") not in ("none", "0", "false")
    va = rpr.find(_w("vertAlign"))
    if va is not None:
        props.script = _attr(va, "val") or "baseline"
    return props


def parse_ppr(ppr) -> ParaProps:
    if ppr is None:
        return ParaProps()
    props = ParaProps()
    jc = ppr.find(_w("jc"))
    if jc is not None:
        props.align = _ALIGN.get(_attr(jc, "val") or "", _attr(jc, "val"))
    ind = ppr.find(_w("ind"))
    if ind is not None:
        if _attr(ind, "hanging") is not None:
            props.first_line = -(_int(_attr(ind, "hanging")) or 0)
        elif _attr(ind, "firstLine") is not None:
            props.first_line = _int(_attr(ind, "firstLine"))
        props.left = _int(_attr(ind, "left") or _attr(ind, "start"))
        props.right = _int(_attr(ind, "right") or _attr(ind, "end"))
    sp = ppr.find(_w("spacing"))
    if sp is not None:
        if _attr(sp, "beforeAutospacing") in ("1", "true", "on"):
            props.before = 14.0
        elif _attr(sp, "before") is not None:
            props.before = (_int(_attr(sp, "before")) or 0) / 20
        if _attr(sp, "afterAutospacing") in ("1", "true", "on"):
            props.after = 14.0
        elif _attr(sp, "after") is not None:
            props.after = (_int(_attr(sp, "after")) or 0) / 20
        if _attr(sp, "line") is not None:
            props.line = _int(_attr(sp, "line"))
            props.line_rule = _attr(sp, "lineRule") or "auto"
    bdr = ppr.find(_w("pBdr"))
    if bdr is not None:
        bottom = bdr.find(_w("bottom"))
        props.bottom_border = bottom is not None and _attr(bottom, "val") not in ("nil", "none")
        sides = [bdr.find(_w(side)) for side in ("top", "left", "bottom", "right")]
        props.boxed = all(b is not None and _attr(b, "val") not in ("nil", "none") for b in sides)
    return props


class Styles:
    """The style sheet, resolved on demand: each style's effective run and paragraph properties."""

    def __init__(self, styles_el, theme_fonts: dict[str, str]):
        self.theme_fonts = theme_fonts
        self._raw: dict[str, tuple[str | None, RunProps, ParaProps]] = {}
        self._cache: dict[str | None, tuple[RunProps, ParaProps]] = {}
        self.default_para: str | None = None
        self.default_table: str | None = None
        self.doc_run = RunProps()
        self.doc_para = ParaProps()
        self.numbered: dict[str, tuple[str | None, int]] = {}  # style id -> its list (numId, level)
        if styles_el is None:
            return
        defaults = styles_el.find(_w("docDefaults"))
        if defaults is not None:
            self.doc_run = parse_rpr(defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}"), theme_fonts)
            self.doc_para = parse_ppr(defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}"))
        for st in styles_el.iterfind(_w("style")):
            sid = _attr(st, "styleId")
            based = st.find(_w("basedOn"))
            num_pr = st.find(f"{_w('pPr')}/{_w('numPr')}")
            if num_pr is not None:
                self.numbered[sid] = (_attr(num_pr.find(_w("numId")), "val"),
                                      int(_attr(num_pr.find(_w("ilvl")), "val") or 0))
            self._raw[sid] = (_attr(based, "val"), parse_rpr(st.find(_w("rPr")), theme_fonts), parse_ppr(st.find(_w("pPr"))))
            if _attr(st, "default") in ("1", "true"):
                if _attr(st, "type") == "paragraph":
                    self.default_para = sid
                elif _attr(st, "type") == "table":
                    self.default_table = sid

    def chain(self, sid: str | None) -> tuple[RunProps, ParaProps]:
        """A style's properties with its `basedOn` ancestors beneath (not the doc defaults)."""
        if sid in self._cache:
            return self._cache[sid]
        run, para, seen, cur = RunProps(), ParaProps(), set(), sid
        while cur and cur in self._raw and cur not in seen:
            seen.add(cur)
            based, r, p = self._raw[cur]
            run, para = run.over(r), para.over(p)
            cur = based
        self._cache[sid] = (run, para)
        return run, para


@dataclass
class Run:
    text: str
    font: str | None
    size: float | None
    bold: bool
    italic: bool
    caps: bool = False
    underline: bool = False
    script: str | None = None  # `superscript`, `subscript`; None on the baseline

    @property
    def shown(self) -> str:
        return self.text.upper() if self.caps else self.text

    @property
    def raised(self) -> bool:
        """A superscript or subscript run: a footnote mark (`TÊN CƠ QUAN²`), not the line's own text,
        so its size and weight say nothing about the element."""
        return self.script in ("superscript", "subscript")


@dataclass
class Piece:
    """A stretch of a paragraph between tabs or line breaks: one visual element of a typed header."""

    text: str
    runs: list[Run]
    para: "Para"

    @property
    def shown(self) -> str:
        return "".join(r.shown for r in self.runs)

    @property
    def plain(self) -> str:
        """The text without raised footnote marks."""
        return " ".join("".join(r.text for r in self.runs if not r.raised).split())


@dataclass
class Para:
    """One paragraph with effective formatting, where it sits, and what draws a rule in it."""

    index: int
    runs: list[Run]
    props: ParaProps
    table: int | None = None
    row: int | None = None
    col: int | None = None
    width_twips: int | None = None  # the width the paragraph can fill (cell or text area)
    drawing_twips: int | None = None  # width of a drawn line or shape anchored here
    pieces: list[Piece] = field(default_factory=list)
    fields: str = ""  # field instructions (PAGE …), for headers and footers
    section: int = 0  # the section (page setup, page numbering) the paragraph is laid out in
    pictures: list["Picture"] = field(default_factory=list)  # pictures placed in the paragraph

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def plain(self) -> str:
        """The text without raised footnote marks (tabs kept): `…3…` reads as one blank."""
        return "".join(r.text for r in self.runs if not r.raised)

    @property
    def clean(self) -> str:
        """Text without tabs and breaks, whitespace collapsed."""
        return " ".join(self.text.split())

    @property
    def is_control(self) -> bool:
        """A docxtpl control paragraph (`{%p … %}`, `{{p … }}`): it disappears when rendered."""
        return bool(CONTROL.match(self.text))

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    @property
    def has_tags(self) -> bool:
        return bool(JINJA.search(self.text))

    @property
    def rule_twips(self) -> int | None:
        """Length of a rule drawn by this paragraph: a bottom border, a line shape or underscores."""
        if self.drawing_twips:
            return self.drawing_twips
        if self.props.bottom_border and self.is_empty and self.width_twips:
            return max(self.width_twips - (self.props.left or 0) - (self.props.right or 0), 0)
        if UNDERSCORES.match(self.text) and self.runs:
            from ..profile import text_width_pt
            size = self.runs[0].size or 12
            return round(text_width_pt(self.text.strip(), size) * 20)
        return None

    def snippet(self, n: int = 60) -> str:
        t = self.clean
        return t if len(t) <= n else t[: n - 1] + "…"


@dataclass
class Picture:
    """A picture (a raster or vector image, not a drawn line or shape) placed in a paragraph."""

    number: int  # 0-based, in reading order over the file
    para: "Para"
    floating: bool  # anchored (`wp:anchor`, VML absolute position): it moves with the text around it
    width_emu: int | None
    height_emu: int | None
    pixels: tuple[int, int] | None = None  # the embedded image's size; None: vector or unreadable
    format: str | None = None  # png, jpeg, gif, bmp, emf, wmf …
    crop: tuple[float, float] = (0.0, 0.0)  # share of the image cropped away across and down
    name: str = ""

    @property
    def dpi(self) -> float | None:
        """The printed resolution: pixels per inch at the size it is placed (the lower of the two)."""
        if not self.pixels or not self.width_emu or not self.height_emu:
            return None
        across = self.pixels[0] * (1 - self.crop[0]) / (self.width_emu / EMU_PER_INCH)
        down = self.pixels[1] * (1 - self.crop[1]) / (self.height_emu / EMU_PER_INCH)
        return min(across, down)


@dataclass
class Table:
    """A table as laid out: its size and place on the page, rows, the rows repeated on each page."""

    number: int  # 0-based, in reading order (nested tables too), as `Para.table`
    rows: int
    width_twips: int | None
    left_twips: int  # the table's left edge from the left margin (negative: in the margin)
    header_rows: int  # the leading rows marked to repeat on each page (`w:tblHeader`)
    borders: bool  # visible borders (the table's own or its cells')
    nested: bool = False
    row_heights: dict[int, tuple[int, str]] = field(default_factory=dict)  # row -> (twips, rule)


@dataclass
class Section:
    width_twips: int | None
    height_twips: int | None
    orient: str | None
    margins_twips: dict[str, int | None]
    title_page: bool
    headers: dict[str, list[Para]]  # 'default' / 'first' / 'even' -> paragraphs
    footers: dict[str, list[Para]]
    page_start: int | None = None  # `pgNumType w:start`: the section's pages restart at this number


@dataclass
class DocxDoc:
    path: str
    paras: list[Para]
    sections: list[Section]
    tables: int = 0
    table_info: dict[int, Table] = field(default_factory=dict)
    pictures: list[Picture] = field(default_factory=list)

    def text_area(self, section: int) -> tuple[int | None, int | None]:
        """Width and height (twips) between the margins of a section's pages."""
        if not self.sections:
            return None, None
        sec = self.sections[min(section, len(self.sections) - 1)]
        m = sec.margins_twips
        width = sec.width_twips - (m["left"] or 0) - (m["right"] or 0) if sec.width_twips else None
        height = sec.height_twips - (m["top"] or 0) - (m["bottom"] or 0) if sec.height_twips else None
        return width, height

    @property
    def is_template(self) -> bool:
        return any(p.has_tags for p in self.paras)


def _theme_fonts(document) -> dict[str, str]:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob, xml_parser())
            out = {}
            for kind in ("major", "minor"):
                latin = root.find(f".//{{{A}}}{kind}Font/{{{A}}}latin")
                if latin is not None:
                    out[kind] = latin.get("typeface")
            return out
    return {}


class _Reader:
    def __init__(self, document):
        self.document = document
        styles_el = None
        for rel in document.part.rels.values():
            if rel.reltype.endswith("/styles") and not rel.is_external:
                part = rel.target_part
                styles_el = part.element if hasattr(part, "element") else etree.fromstring(part.blob, xml_parser())
        self.styles = Styles(styles_el, _theme_fonts(document))
        self.numbering = Numbering(_numbering_element(document), self._style_numbering())
        self.index = 0
        self.section = 0  # body paragraphs after a paragraph that ends a section belong to the next
        self.pictures: list[Picture] = []
        self.tables: dict[int, Table] = {}
        self.compat = _compat_mode(document)

    def _style_numbering(self) -> dict[str, tuple[str, int]]:
        """Each style's list, inherited through `basedOn` (Heading styles often carry one)."""
        out = {}
        for sid in self.styles._raw:
            cur, seen = sid, set()
            while cur and cur not in seen and cur in self.styles._raw:
                seen.add(cur)
                if cur in self.styles.numbered and self.styles.numbered[cur][0]:
                    out[sid] = self.styles.numbered[cur]
                    break
                cur = self.styles._raw[cur][0]
        return out

    def paragraph(self, p, width: int | None, table_run: RunProps, table_para: ParaProps,
                  where: tuple = (None, None, None), count: bool = True) -> Para:
        ppr = p.find(_w("pPr"))
        style_id = _attr(ppr.find(_w("pStyle")) if ppr is not None else None, "val") or self.styles.default_para
        s_run, s_para = self.styles.chain(style_id)
        base_run = s_run.over(table_run.over(self.styles.doc_run))
        props = parse_ppr(ppr).over(s_para.over(table_para.over(self.styles.doc_para)))
        runs: list[Run] = []
        drawing = None
        found_pictures: list[dict] = []
        for r in p.iter(_w("r")):
            if r.getparent().tag == _w("rPr") or _floating(r, p):
                continue
            rpr = r.find(_w("rPr"))
            cstyle = _attr(rpr.find(_w("rStyle")) if rpr is not None else None, "val")
            eff = parse_rpr(rpr, self.styles.theme_fonts).over(self.styles.chain(cstyle)[0].over(base_run) if cstyle else base_run)
            font = eff.font or "Times New Roman"
            size = eff.size if eff.size is not None else 10.0
            buf = []
            for child in r:
                tag = child.tag
                if tag == _w("t"):
                    buf.append(child.text or "")
                elif tag == _w("tab"):
                    buf.append("\t")
                elif tag in (_w("br"), _w("cr")):
                    buf.append("\n")
                elif tag == _w("instrText"):
                    continue
                elif tag in (_w("drawing"), _w("pict"), "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"):
                    if count:
                        self._picture(child, found_pictures)
                    drawing = drawing or _drawing_width(child)
            if buf:
                script = eff.script if eff.script in ("superscript", "subscript") else None
                runs.append(Run("".join(buf), font, size, bool(eff.bold), bool(eff.italic), bool(eff.caps),
                                bool(eff.underline), script))
        label = self.numbering.label(ppr, style_id)
        if label:
            first = runs[0] if runs else Run("", base_run.font or "Times New Roman",
                                             base_run.size if base_run.size is not None else 10.0,
                                             bool(base_run.bold), bool(base_run.italic))
            runs.insert(0, Run(label + " ", first.font, first.size, first.bold, first.italic, first.caps))
        if count:
            self.index += 1
        para = Para(self.index if count else 0, runs, props, *where, width_twips=width, drawing_twips=drawing,
                    section=self.section)
        para.pieces = _pieces(para)
        for pic in found_pictures:
            picture = Picture(len(self.pictures), para, **pic)
            self.pictures.append(picture)
            para.pictures.append(picture)
        return para

    def _picture(self, el, out: list[dict]) -> bool:
        """Record the picture `el` (a drawing, VML picture or its alternate content) holds; False
        when it holds none (a drawn line, a shape, a text box)."""
        if el.tag == f"{{{MC}}}AlternateContent":
            choice = el.find(f"{{{MC}}}Choice")
            el = choice if choice is not None else el
        for frame in (f for f in el.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor") if not _in_text_box(f, el)):
            pic = frame.find(f"{{{A}}}graphic/{{{A}}}graphicData/{{{PIC}}}pic")  # not one in a text box
            blip = pic.find(f".//{{{A}}}blip") if pic is not None else None
            if blip is None:
                continue
            ext = frame.find(f"{{{WP}}}extent")
            rect = pic.find(f".//{{{A}}}srcRect")
            crop = (0.0, 0.0)
            if rect is not None:
                share = lambda k: (_int(rect.get(k)) or 0) / 100000  # noqa: E731
                crop = (share("l") + share("r"), share("t") + share("b"))
            doc_pr = frame.find(f"{{{WP}}}docPr")
            out.append(dict(floating=frame.tag == f"{{{WP}}}anchor",
                            width_emu=_int(ext.get("cx")) if ext is not None else None,
                            height_emu=_int(ext.get("cy")) if ext is not None else None,
                            crop=crop, name=doc_pr.get("name", "") if doc_pr is not None else "",
                            **self._image(blip.get(f"{{{R}}}embed"))))
            return True
        data = el.find(f".//{{{V}}}imagedata")
        if data is not None:
            shape = data.getparent()
            style = shape.get("style") or ""
            size = {k: _vml_length(re.search(rf"(?:^|;)\s*{k}:\s*([^;]+)", style)) for k in ("width", "height")}
            out.append(dict(floating="position:absolute" in style.replace(" ", ""),
                            width_emu=round(size["width"] * EMU_PER_TWIP) if size["width"] else None,
                            height_emu=round(size["height"] * EMU_PER_TWIP) if size["height"] else None,
                            **self._image(data.get(f"{{{R}}}id"))))
            return True
        return False

    def _image(self, rel_id: str | None) -> dict:
        """The embedded image's pixel size and format (None for vector or unreadable images)."""
        part = self.document.part.related_parts.get(rel_id) if rel_id else None
        if part is None:
            return {}
        size = raster_size(part.blob)
        if size is None:
            return {"format": part.partname.ext.lower() or None}
        return {"pixels": size[:2], "format": size[2]}

    def block(self, parent, width: int | None, out: list[Para], table_counter: list[int]) -> None:
        for child in parent:
            if child.tag == _w("p"):
                out.append(self.paragraph(child, width, RunProps(), ParaProps()))
                if child.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
                    self.section += 1
            elif child.tag == _w("tbl"):
                self.table(child, out, table_counter)
            elif child.tag in (_w("sdt"), _w("customXml")):
                content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
                if content is not None:
                    self.block(content, width, out, table_counter)

    def table(self, tbl, out: list[Para], table_counter: list[int], width: int | None = None,
              nested: bool = False) -> None:
        number = table_counter[0]
        table_counter[0] += 1
        tblpr = tbl.find(_w("tblPr"))
        style = _attr(tblpr.find(_w("tblStyle")) if tblpr is not None else None, "val") or self.styles.default_table
        t_run, t_para = self.styles.chain(style)
        margins = _cell_margins(tblpr)
        grid = [(_int(_attr(g, "w")) or 0) for g in tbl.iterfind(f"{_w('tblGrid')}/{_w('gridCol')}")]
        self.tables[number] = self._table_info(tbl, tblpr, number, grid, width, nested)
        for ri, tr in enumerate(tbl.iterfind(_w("tr"))):
            col = 0
            for tc in tr.iterfind(_w("tc")):
                tcpr = tc.find(_w("tcPr"))
                span = _int(_attr(tcpr.find(_w("gridSpan")) if tcpr is not None else None, "val")) or 1
                tcw = _int(_attr(tcpr.find(_w("tcW")) if tcpr is not None else None, "w"))
                if not tcw or (tcpr is not None and _attr(tcpr.find(_w("tcW")), "type") not in (None, "dxa")):
                    tcw = sum(grid[col:col + span]) or None
                width = tcw - margins if tcw else None
                for child in tc:
                    if child.tag == _w("p"):
                        out.append(self.paragraph(child, width, t_run, t_para, (number, ri, col)))
                    elif child.tag == _w("tbl"):
                        self.table(child, out, table_counter, width, nested=True)
                col += span

    def _table_info(self, tbl, tblpr, number: int, grid: list[int], text_width: int | None, nested: bool) -> Table:
        """Where the table sits: its width (fixed layout: the grid; else its preferred width, a share
        of the text width or the grid) and its left edge, as Word lays it out."""
        layout = tblpr.find(_w("tblLayout")) if tblpr is not None else None
        tblw = tblpr.find(_w("tblW")) if tblpr is not None else None
        kind, value = _attr(tblw, "type"), _attr(tblw, "w")
        width = sum(grid) or None
        if _attr(layout, "type") != "fixed" and value:
            if kind == "dxa" and _int(value):
                width = _int(value)
            elif kind == "pct" and text_width:
                share = float(value[:-1]) / 100 if value.endswith("%") else (_int(value) or 0) / 5000
                width = round(text_width * share) or width
        indent = _int(_attr(tblpr.find(_w("tblInd")) if tblpr is not None else None, "w")) or 0
        jc = _ALIGN.get(_attr(tblpr.find(_w("jc")) if tblpr is not None else None, "val") or "", "left")
        if jc in ("center", "right") and width and text_width:
            left = (text_width - width) // (2 if jc == "center" else 1)
        elif self.compat < 15:
            left = indent - _first_cell_margin(tbl, tblpr)  # Word 2010 and older: tblInd is the text's place
        else:
            left = indent
        rows = tbl.findall(_w("tr"))
        header = 0
        for tr in rows:
            mark = tr.find(f"{_w('trPr')}/{_w('tblHeader')}")
            if mark is None or _attr(mark, "val") not in _ON:
                break
            header += 1
        heights = {}
        for ri, tr in enumerate(rows):
            h = tr.find(f"{_w('trPr')}/{_w('trHeight')}")
            if h is not None and _int(_attr(h, "val")):
                heights[ri] = (_int(_attr(h, "val")), _attr(h, "hRule") or "atLeast")
        return Table(number, len(rows), width, left, header, _has_borders(tbl, tblpr), nested, heights)


_FLOATING = {_w("txbxContent"), "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


def _floating(r, p) -> bool:
    """A run in a text box anchored in the paragraph (or in the VML copy of a drawing that Word keeps
    for old readers): it floats beside the paragraph's text, it is not part of it."""
    el = r.getparent()
    while el is not None and el is not p:
        if el.tag in _FLOATING:
            return True
        el = el.getparent()
    return False


def _in_text_box(frame, top) -> bool:
    """A drawing inside a text box of another drawing (it floats with the box)."""
    el = frame.getparent()
    while el is not None and el is not top:
        if el.tag == _w("txbxContent"):
            return True
        el = el.getparent()
    return False


def _cell_margins(tblpr) -> int:
    """Left + right cell margins in twips (Word's default is 108 each)."""
    mar = tblpr.find(_w("tblCellMar")) if tblpr is not None else None
    total = 0
    for side, alt in (("left", "start"), ("right", "end")):
        m = mar.find(_w(side)) if mar is not None else None
        if m is None and mar is not None:
            m = mar.find(_w(alt))
        total += (_int(_attr(m, "w")) or 0) if m is not None else 108
    return total


def _first_cell_margin(tbl, tblpr) -> int:
    """The left margin of the first cell (twips): the table's own default, else Word's 108."""
    for container in (tbl.find(f"{_w('tr')}/{_w('tc')}/{_w('tcPr')}"), tblpr):
        mar = container.find(_w("tcMar") if container is not None and container.tag == _w("tcPr") else _w("tblCellMar")) \
            if container is not None else None
        if mar is not None:
            m = mar.find(_w("left"))
            if m is None:
                m = mar.find(_w("start"))
            if m is not None:
                return _int(_attr(m, "w")) or 0
    return 108


def _has_borders(tbl, tblpr) -> bool:
    """Whether any border of the table or of its cells is drawn."""
    def drawn(box) -> bool:
        return box is not None and any(_attr(b, "val") not in (None, "nil", "none") for b in box)
    if drawn(tblpr.find(_w("tblBorders")) if tblpr is not None else None):
        return True
    return any(drawn(b) for b in tbl.iterfind(f"{_w('tr')}/{_w('tc')}/{_w('tcPr')}/{_w('tcBorders')}"))


def raster_size(data: bytes) -> tuple[int, int, str] | None:
    """Pixel width, height and format of a PNG, JPEG, GIF or BMP image; None for anything else
    (vector pictures, EMF and WMF, have no pixels to count)."""
    from ..render.pixels import image_size

    try:
        return image_size(data)
    except (ValueError, struct.error):
        pass
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return w, h, "gif"
    if data[:2] == b"BM" and len(data) >= 26:
        w, h = struct.unpack("<ii", data[18:26])
        return abs(w), abs(h), "bmp"
    return None


def _vml_length(m) -> float | None:
    """A VML style length (`120pt`, `3.5in`, `40mm`) in twips."""
    if m is None:
        return None
    found = re.match(r"\s*(-?[\d.]+)\s*(pt|in|mm|cm|px)?", m.group(1))
    if not found:
        return None
    unit = found.group(2) or "px"
    return float(found.group(1)) * {"pt": 20, "in": 1440, "mm": TWIPS_PER_MM, "cm": TWIPS_PER_MM * 10, "px": 15}[unit]


def _compat_mode(document) -> int:
    """Word's compatibility mode (15: Word 2013 and later; older files lay tables out differently)."""
    try:
        settings = document.settings.element
    except Exception:  # noqa: BLE001 (a file without a settings part: Word assumes the oldest mode)
        return 11
    for cs in settings.iter(_w("compatSetting")):
        if _attr(cs, "name") == "compatibilityMode":
            return _int(_attr(cs, "val")) or 11
    return 11


def _drawing_width(el) -> int | None:
    """Width in twips of a drawing (DrawingML extent) or a VML line/shape."""
    ext = el.find(f".//{{{WP}}}extent")
    if ext is not None and ext.get("cx"):
        return round(int(ext.get("cx")) / EMU_PER_TWIP) or None
    line = el.find(f".//{{{V}}}line")
    if line is not None:
        def x(v):
            m = re.match(r"\s*(-?[\d.]+)\s*(pt|in|mm|cm)?", v or "")
            if not m:
                return 0.0
            n, unit = float(m.group(1)), m.group(2) or "pt"
            return n * {"pt": 20, "in": 1440, "mm": TWIPS_PER_MM, "cm": TWIPS_PER_MM * 10}[unit]
        frm, to = (line.get("from") or "0,0").split(","), (line.get("to") or "0,0").split(",")
        return round(abs(x(to[0]) - x(frm[0]))) or None
    shape = el.find(f".//{{{V}}}shape")
    if shape is None:
        shape = el.find(f".//{{{V}}}rect")
    if shape is not None:
        m = re.search(r"width:\s*([\d.]+)(pt|in|mm|cm)", shape.get("style") or "")
        if m:
            n = float(m.group(1))
            return round(n * {"pt": 20, "in": 1440, "mm": TWIPS_PER_MM, "cm": TWIPS_PER_MM * 10}[m.group(2)])
    return None


def _pieces(para: Para) -> list[Piece]:
    pieces: list[Piece] = []
    runs: list[Run] = []

    def flush():
        text = "".join(r.text for r in runs)
        if text.strip():
            pieces.append(Piece(" ".join(text.split()), list(runs), para))
        runs.clear()

    for run in para.runs:
        parts = re.split(r"([\t\n])", run.text)
        for part in parts:
            if part in ("\t", "\n"):
                flush()
            elif part:
                runs.append(Run(part, run.font, run.size, run.bold, run.italic, run.caps, run.underline, run.script))
    flush()
    return pieces


def _section(reader: _Reader, sect, doc_part) -> Section:
    pgsz = sect.find(_w("pgSz"))
    mar = sect.find(_w("pgMar"))
    margins = {k: _int(_attr(mar, k)) for k in ("top", "bottom", "left", "right")}
    title_pg = sect.find(_w("titlePg"))
    start = _int(_attr(sect.find(_w("pgNumType")), "start"))
    hf: dict[str, dict[str, list[Para]]] = {"header": {}, "footer": {}}
    for kind in ("header", "footer"):
        for ref in sect.iterfind(_w(f"{kind}Reference")):
            rid = ref.get(f"{{{R}}}id")
            part = doc_part.related_parts.get(rid)
            if part is None:
                continue
            root = part.element if hasattr(part, "element") else etree.fromstring(part.blob, xml_parser())
            paras = [reader.paragraph(p, None, RunProps(), ParaProps(), count=False) for p in root.iter(_w("p"))]
            for p, el in zip(paras, root.iter(_w("p"))):
                p.fields = _fields(el)
            hf[kind][_attr(ref, "type") or "default"] = paras
    return Section(
        width_twips=_int(_attr(pgsz, "w")), height_twips=_int(_attr(pgsz, "h")),
        orient=_attr(pgsz, "orient"), margins_twips=margins,
        title_page=title_pg is not None and _attr(title_pg, "val") in _ON,
        headers=hf["header"], footers=hf["footer"], page_start=start,
    )


def _fields(p) -> str:
    """The field instructions of a paragraph (simple fields and complex `instrText`)."""
    instr = [el.get(_w("instr")) or "" for el in p.iter(_w("fldSimple"))]
    instr += [el.text or "" for el in p.iter(_w("instrText"))]
    return " ".join(instr)


def _numbering_element(document):
    """The numbering part's XML, or None when the document defines no lists."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/numbering") and not rel.is_external:
            part = rel.target_part
            return part.element if hasattr(part, "element") else etree.fromstring(part.blob, xml_parser())
    return None


def read_docx(path: str | Path) -> DocxDoc:
    """Open a .docx and return its paragraphs (body and table cells) and sections.

    Raises DataError for a file that is missing or is not a Word document.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(Problem(str(path), "file not found"))
    check_zip(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise DataError(Problem(str(path), f"not a readable .docx file ({type(exc).__name__})")) from None
    reader = _Reader(document)
    body = document.element.body
    sect_els = [p.find(f"{_w('pPr')}/{_w('sectPr')}") for p in body.iterfind(_w("p"))]
    sect_els = [s for s in sect_els if s is not None]
    final = body.find(_w("sectPr"))
    if final is not None:
        sect_els.append(final)
    sections = [_section(reader, s, document.part) for s in sect_els]
    # A section that names no header (or footer) of a kind shows its predecessor's (ECMA-376 §17.10.5).
    for before, sec in zip(sections, sections[1:]):
        for mine, theirs in ((sec.headers, before.headers), (sec.footers, before.footers)):
            for kind, paras in theirs.items():
                mine.setdefault(kind, paras)
    text_width = None
    if sections and sections[-1].width_twips:
        m = sections[-1].margins_twips
        text_width = sections[-1].width_twips - (m["left"] or 0) - (m["right"] or 0)
    paras: list[Para] = []
    counter = [0]
    reader.block(body, text_width, paras, counter)
    return DocxDoc(str(path), paras, sections, counter[0], reader.tables, reader.pictures)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
