"""WordprocessingML plumbing: small builders of XML strings, in the schema order Word demands.

Kept apart from the template builder (which decides *what* goes where) so that the rules of
the file format (element order, units, namespaces) live in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..profile import TWIPS_PER_MM, Element, Profile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_DECL = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

ALIGN = {"center": "center", "justify": "both", "left": "left", "right": "right", None: None}


def twips_mm(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def twips_cm(cm: float) -> int:
    return round(cm * 10 * TWIPS_PER_MM)


@dataclass(frozen=True)
class RunFormat:
    """Direct run formatting; every run names its font for all scripts so Word never substitutes."""

    font: str
    size_pt: float
    bold: bool = False
    italic: bool = False

    def with_(self, bold: bool | None = None, italic: bool | None = None) -> "RunFormat":
        return RunFormat(self.font, self.size_pt, self.bold if bold is None else bold,
                         self.italic if italic is None else italic)

    def xml(self) -> str:
        f = quoteattr(self.font)
        half = round(self.size_pt * 2)
        out = f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>"
        if self.bold:
            out += "<w:b/><w:bCs/>"
        if self.italic:
            out += "<w:i/><w:iCs/>"
        out += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/><w:lang w:val="vi-VN"/>'
        return f"<w:rPr>{out}</w:rPr>"


def run_format(profile: Profile, element: str, **override) -> RunFormat:
    el: Element = profile.element(element)
    fmt = RunFormat(profile.font, el.size.value, bool(el.bold), bool(el.italic))
    return fmt.with_(**override) if override else fmt


def run(text: str, fmt: RunFormat) -> str:
    return f'<w:r>{fmt.xml()}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def tag_run(tag: str, fmt: RunFormat) -> str:
    """A run holding a Jinja tag verbatim (the tag is not XML-escaped beyond & < >)."""
    return run(tag, fmt)


@dataclass(frozen=True)
class ParaFormat:
    align: str | None = None
    first_line_twips: int = 0
    left_twips: int = 0
    right_twips: int = 0
    before_pt: float = 0
    after_pt: float = 0
    line: float = 1.0
    keep_next: bool = False
    keep_lines: bool = False
    bottom_rule_eighths: int = 0
    box_eighths: int = 0
    style: str | None = None

    def xml(self, run_fmt: RunFormat | None = None) -> str:
        out = ""
        if self.style:
            out += f'<w:pStyle w:val="{self.style}"/>'
        if self.keep_next:
            out += "<w:keepNext/>"
        if self.keep_lines:
            out += "<w:keepLines/>"
        if self.box_eighths:
            out += "<w:pBdr>" + "".join(
                f'<w:{side} w:val="single" w:sz="{self.box_eighths}" w:space="1" w:color="000000"/>'
                for side in ("top", "left", "bottom", "right")) + "</w:pBdr>"
        elif self.bottom_rule_eighths:
            out += (f'<w:pBdr><w:bottom w:val="single" w:sz="{self.bottom_rule_eighths}" '
                    'w:space="1" w:color="000000"/></w:pBdr>')
        out += (f'<w:spacing w:before="{round(self.before_pt * 20)}" w:after="{round(self.after_pt * 20)}" '
                f'w:line="{round(self.line * 240)}" w:lineRule="auto"/>')
        if self.first_line_twips or self.left_twips or self.right_twips:
            out += f'<w:ind w:left="{self.left_twips}" w:right="{self.right_twips}"'
            out += f' w:firstLine="{self.first_line_twips}"/>' if self.first_line_twips else "/>"
        if ALIGN.get(self.align):
            out += f'<w:jc w:val="{ALIGN[self.align]}"/>'
        if run_fmt is not None:
            out += run_fmt.xml()
        return f"<w:pPr>{out}</w:pPr>"


def para_format(profile: Profile, element: str, **override) -> ParaFormat:
    el = profile.element(element)
    values = dict(
        align=el.align,
        first_line_twips=twips_cm(el.first_line_indent_cm.value) if el.first_line_indent_cm else 0,
        after_pt=el.space_after_pt.value if el.space_after_pt else 0,
        line=el.line_spacing.value if el.line_spacing else 1.0,
    )
    values.update(override)
    return ParaFormat(**values)


def paragraph(runs: str, pfmt: ParaFormat, rfmt: RunFormat | None = None) -> str:
    return f"<w:p>{pfmt.xml(rfmt)}{runs}</w:p>"


def line(profile: Profile, element: str, text: str, run: dict | None = None, **pfmt) -> str:
    """A paragraph of one run set as `element` of the profile; `run` overrides bold/italic."""
    rf = run_format(profile, element, **(run or {}))
    return paragraph(tag_run(text, rf), para_format(profile, element, **pfmt), rf)


def loop(tag: str, body: str, end: str = "endfor") -> str:
    """`body` between a `{%p tag %}` and its `{%p end %}` control paragraphs."""
    return control(f"{{%p {tag} %}}") + body + control(f"{{%p {end} %}}")


def control(tag: str) -> str:
    """A paragraph holding only a docxtpl `{%p … %}` tag: it disappears from the output."""
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(tag)}</w:t></w:r></w:p>'


def rule_paragraph(width_twips: int, column_twips: int, eighths: int, font: str) -> str:
    """An empty, 1-pt high paragraph whose bottom border draws a centred rule of the given width.

    A drawn rule (not typed underscores) is what Decree 30's samples show; indents centre it.
    """
    width = max(min(width_twips, column_twips), 0)
    side = (column_twips - width) // 2
    pfmt = ParaFormat(align="center", left_twips=side, right_twips=column_twips - width - side,
                      bottom_rule_eighths=eighths)
    return f"<w:p>{pfmt.xml(RunFormat(font, 1))}</w:p>"


def boxed_paragraph(text: str, fmt: RunFormat, width_twips: int, column_twips: int, eighths: int,
                    before_pt: float = 6) -> str:
    """A one-line paragraph framed by a box as wide as its text (plus a little air), centred:
    the stamp-like marks of Decree 30 (`KHẨN`, `HỎA TỐC`)."""
    width = max(min(width_twips, column_twips), 0)
    side = (column_twips - width) // 2
    pfmt = ParaFormat(align="center", left_twips=side, right_twips=column_twips - width - side,
                      before_pt=before_pt, box_eighths=eighths)
    return paragraph(run(text, fmt), pfmt, fmt)


def cell(content: str, width_twips: int, v_align: str | None = None, grid_span: int = 1) -> str:
    props = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if grid_span > 1:
        props += f'<w:gridSpan w:val="{grid_span}"/>'
    if v_align:
        props += f'<w:vAlign w:val="{v_align}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def row(cells: str, cant_split: bool = True) -> str:
    props = "<w:trPr><w:cantSplit/></w:trPr>" if cant_split else ""
    return f"<w:tr>{props}{cells}</w:tr>"


def table(rows: str, widths: list[int], indent_twips: int = 0, borders: bool = False,
          cell_margin_twips: int = 0) -> str:
    """A fixed-layout table; borderless by default (header and signature tables)."""
    total = sum(widths)
    edge = "single" if borders else "nil"
    border_xml = "".join(
        f'<w:{side} w:val="{edge}"' + (' w:sz="4" w:space="0" w:color="000000"/>' if borders else "/>")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    props = (f'<w:tblW w:w="{total}" w:type="dxa"/>'
             + (f'<w:tblInd w:w="{indent_twips}" w:type="dxa"/>' if indent_twips else "")
             + f"<w:tblBorders>{border_xml}</w:tblBorders>"
             + '<w:tblLayout w:type="fixed"/>'
             + f'<w:tblCellMar><w:left w:w="{cell_margin_twips}" w:type="dxa"/>'
               f'<w:right w:w="{cell_margin_twips}" w:type="dxa"/></w:tblCellMar>'
             + '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>')
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"


def section_properties(profile: Profile, landscape: bool = False, header_ids: tuple[str, str] | None = None,
                       restart_numbering: bool = False) -> str:
    """Page size, margins and the page-number headers (a different, empty first-page header).

    `restart_numbering` starts the section's pages at 1: a phụ lục is numbered on its own.
    """
    w_mm, h_mm = profile.page("width_mm").value, profile.page("height_mm").value
    if landscape:
        w_mm, h_mm = h_mm, w_mm
        margins = {k: profile.landscape(f"margin_{k}_mm") for k in ("top", "bottom", "left", "right")}
    else:
        margins = {k: profile.page(f"margin_{k}_mm").value for k in ("top", "bottom", "left", "right")}
    refs = ""
    if header_ids:
        default_id, first_id = header_ids
        refs = (f'<w:headerReference w:type="default" r:id="{default_id}"/>'
                f'<w:headerReference w:type="first" r:id="{first_id}"/>')
    orient = ' w:orient="landscape"' if landscape else ""
    return (
        f"<w:sectPr>{refs}"
        f'<w:pgSz w:w="{twips_mm(w_mm)}" w:h="{twips_mm(h_mm)}"{orient}/>'
        f'<w:pgMar w:top="{twips_mm(margins["top"])}" w:right="{twips_mm(margins["right"])}" '
        f'w:bottom="{twips_mm(margins["bottom"])}" w:left="{twips_mm(margins["left"])}" '
        f'w:header="{twips_mm(profile.page("header_distance_mm").value)}" '
        f'w:footer="{twips_mm(profile.page("footer_distance_mm").value)}" w:gutter="0"/>'
        + ('<w:pgNumType w:fmt="decimal" w:start="1"/>' if restart_numbering else '<w:pgNumType w:fmt="decimal"/>')
        + '<w:cols w:space="720"/>'
        + ("<w:titlePg/>" if header_ids and not profile.page_number_on_first_page else "")
        + '<w:docGrid w:linePitch="360"/></w:sectPr>'
    )


def text_height_twips(profile: Profile) -> int:
    """Height between the top and bottom margins of a portrait page."""
    return twips_mm(profile.page("height_mm").value - profile.page("margin_top_mm").value
                    - profile.page("margin_bottom_mm").value)


def text_width_twips(profile: Profile, landscape: bool = False) -> int:
    if landscape:
        width = profile.page("height_mm").value - profile.landscape("margin_left_mm") - profile.landscape("margin_right_mm")
    else:
        width = profile.page("width_mm").value - profile.page("margin_left_mm").value - profile.page("margin_right_mm").value
    return twips_mm(width)


def page_number_header(profile: Profile) -> str:
    """The default header: a PAGE field, centred, in the top margin."""
    fmt = RunFormat(profile.font, profile.page_number_size.value)
    field = (f'<w:r>{fmt.xml()}<w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r>{fmt.xml()}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             f'<w:r>{fmt.xml()}<w:fldChar w:fldCharType="separate"/></w:r>'
             f'<w:r>{fmt.xml()}<w:t>2</w:t></w:r>'
             f'<w:r>{fmt.xml()}<w:fldChar w:fldCharType="end"/></w:r>')
    return (f"{XML_HEAD}<w:hdr {NS_DECL}>"
            f"<w:p>{ParaFormat(align='center').xml(fmt)}{field}</w:p></w:hdr>")


def empty_header() -> str:
    return f"{XML_HEAD}<w:hdr {NS_DECL}><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p></w:hdr>"
