"""The Sổ đăng ký văn bản đi written as .docx (Word, to print) and .xlsx (to keep filling in).

Layout of Decree 30 Phụ lục IV (I): a cover, the same first page, then the 10-column table on
landscape A4 whose header rows — titles and the (1)…(10) column numbers — repeat on every page.
Both files are reproducible: fixed document dates (31 December of the book's year) and zip
timestamps, so printing the same book twice gives the same bytes.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..book.register import COLUMNS, Cover
from .docx_zip import Member, write_zip

FONT = "Times New Roman"
# Column widths in mm on landscape A4 with 30 mm left and 15 mm right margins (252 mm of text).
WIDTHS_MM = (30, 22, 50, 28, 38, 24, 14, 16, 14, 16)
_CORE_DATE = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def _reproducible(data: bytes, year: int) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    members = []
    for info in src.infolist():
        raw = src.read(info)
        if info.filename == "docProps/core.xml":
            raw = _CORE_DATE.sub(rf"\g<1>{year}-12-31T00:00:00Z\g<2>", raw.decode("utf-8")).encode("utf-8")
        members.append(Member.deflate(info.filename, raw))
    out = io.BytesIO()
    write_zip(out, members)
    return out.getvalue()


def _cover_lines(cover: Cover) -> list[tuple[str, int, bool]]:
    """(text, size in pt, bold) of the cover, as the model's box prints them."""
    return [
        (cover.parent.upper() if cover.parent else "TÊN CƠ QUAN CHỦ QUẢN TRỰC TIẾP", 13, False),
        (cover.agency.upper(), 13, True),
        ("", 13, False),
        ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", 18, True),
        (f"Năm: {cover.year}", 14, True),
        (f"Từ ngày {cover.first_date} đến ngày {cover.last_date}", 14, False),
        (f"Từ số {cover.first_number} đến số {cover.last_number}", 14, False),
        (f"Quyển số: {cover.volume}", 14, False),
    ]


def register_docx(cover: Cover, rows: list[tuple[str, ...]]) -> bytes:
    """The register as a Word document: cover, first page, then the table."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    core = document.core_properties
    core.title = f"Sổ đăng ký văn bản đi năm {cover.year} ({cover.series})"
    core.author = "dispatch-gen"
    core.comments = ""
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    def centred(text: str, size: int, bold: bool, before: int = 0):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(before)
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold
        return p

    for page in range(2):  # the cover, then the first page with the same text
        for i, (text, size, bold) in enumerate(_cover_lines(cover)):
            centred(text, size, bold, before=60 if i == 3 else 6)
        document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    table = document.add_table(rows=2, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False

    def fill(row, values, *, bold=False, italic=False, centre=False, size=11):
        for cell, value, width in zip(row.cells, values, WIDTHS_MM):
            cell.width = Mm(width)
            p = cell.paragraphs[0]
            if centre:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            lines = value.split("\n")
            for k, line in enumerate(lines):
                run = p.add_run(line)
                run.font.size, run.bold, run.italic = Pt(size), bold, italic
                if k < len(lines) - 1:
                    run.add_break()

    fill(table.rows[0], COLUMNS, bold=True, centre=True)
    fill(table.rows[1], [f"({i})" for i in range(1, len(COLUMNS) + 1)], italic=True, centre=True)
    for header in table.rows[:2]:
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    for values in rows:
        row = table.add_row()
        fill(row, values)
        row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        row.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        row.cells[6].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cant_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant_split)
    raw = io.BytesIO()
    document.save(raw)
    return _reproducible(raw.getvalue(), cover.year)


def register_xlsx(cover: Cover, rows: list[tuple[str, ...]]) -> bytes:
    """The register as a workbook: the cover lines above the table, header rows repeated on print."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = f"Sổ đi {cover.year}"[:31]
    wb.properties.creator = "dispatch-gen"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(COLUMNS))
    line = 1
    for text, size, bold in _cover_lines(cover):
        if text:
            ws.merge_cells(f"A{line}:{last}{line}")
            cell = ws.cell(row=line, column=1, value=text)
            cell.font = Font(name=FONT, size=size, bold=bold)
            cell.alignment = Alignment(horizontal="center")
        line += 1
    line += 1
    head = line
    for col, title in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=head, column=col, value=title)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
        num = ws.cell(row=head + 1, column=col, value=f"({col})")
        num.font = Font(name=FONT, size=11, italic=True)
        num.alignment = Alignment(horizontal="center")
        num.border = box
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS_MM[col - 1] / 2.2
    for r, values in enumerate(rows, start=head + 2):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value or None)
            cell.font = Font(name=FONT, size=11)
            cell.alignment = Alignment(vertical="top", wrap_text=True,
                                       horizontal="center" if col in (1, 2, 7) else None)
            cell.border = box
    ws.print_title_rows = f"{head}:{head + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = ws.cell(row=head + 2, column=1)
    raw = io.BytesIO()
    wb.save(raw)
    return _reproducible(raw.getvalue(), cover.year)
