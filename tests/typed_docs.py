"""Documents typed by hand in Word, rebuilt with python-docx: Letter paper, styles from Word's
default template, a header table, and optionally Word's automatic numbering for Mục and khoản."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Cm, Pt

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LIST_ID = 90


def add_list(document) -> None:
    """A multi-level list: I. / 1. / a) / - ."""
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'''<w:abstractNum {W} w:abstractNumId="{LIST_ID}">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
 <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>
</w:abstractNum>'''))
    numbering.append(parse_xml(f'<w:num {W} w:numId="{LIST_ID}"><w:abstractNumId w:val="{LIST_ID}"/></w:num>'))


def _cell(cell, text, bold=False, size=13, italic=False, first=False):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    r = p.add_run(text)
    r.bold, r.italic, r.font.size = bold, italic, Pt(size)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def typed_plan(path: Path, auto_numbering: bool) -> Path:
    """A Sở's kế hoạch as a clerk types it; with `auto_numbering` the labels come from Word lists."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(14)
    s = d.sections[0]
    s.left_margin, s.right_margin, s.top_margin, s.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    if auto_numbering:
        add_list(d)
    t = d.add_table(rows=2, cols=2)
    _cell(t.cell(0, 0), "UBND TỈNH BẮC NINH", first=True)
    _cell(t.cell(0, 0), "SỞ GIÁO DỤC VÀ ĐÀO TẠO", bold=True)
    _cell(t.cell(0, 1), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, first=True)
    _cell(t.cell(0, 1), "Độc lập - Tự do - Hạnh phúc", bold=True)
    _cell(t.cell(1, 0), "Số: 125/KH-SGDĐT", first=True)
    _cell(t.cell(1, 1), "Bắc Ninh, ngày 03 tháng 02 năm 2025", italic=True, size=14, first=True)

    def para(text, level=None, label="", bold=False, center=False):
        p = d.add_paragraph()
        r = p.add_run(text if auto_numbering or not label else f"{label} {text}")
        r.bold = bold
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
        if not center:
            p.paragraph_format.first_line_indent = Cm(1)
        p.paragraph_format.space_after = Pt(6)
        if auto_numbering and level is not None:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{LIST_ID}"/></w:numPr>'))

    para("KẾ HOẠCH", bold=True, center=True)
    para("Tổ chức phong trào thi đua năm 2025", bold=True, center=True)
    para("Căn cứ Luật Thi đua, khen thưởng năm 2022;")
    para("Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2025 của UBND tỉnh,")
    para("Sở Giáo dục và Đào tạo xây dựng kế hoạch như sau:")
    para("MỤC ĐÍCH, YÊU CẦU", 0, "I.", bold=True)
    para("Mục đích", 1, "1.")
    para("Động viên cán bộ, giáo viên thi đua hoàn thành nhiệm vụ năm học.")
    para("Yêu cầu", 1, "2.")
    para("Phong trào thi đua phải thiết thực, hiệu quả;", 2, "a)")
    para("Chống bệnh thành tích.", 2, "b)")
    para("CHỈ TIÊU", 0, "II.", bold=True)
    para("80% tập thể đạt danh hiệu Tập thể lao động tiên tiến;", 3, "-")
    para("100% cán bộ, giáo viên đạt Lao động tiên tiến, trong đó 15% đạt Chiến sĩ thi đua cơ sở.", 3, "-")
    para("Trên đây là Kế hoạch tổ chức phong trào thi đua năm 2025 của Sở Giáo dục và Đào tạo./.")
    t2 = d.add_table(rows=1, cols=2)
    c = t2.cell(0, 0)
    r = c.paragraphs[0].add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    for line in ["- UBND tỉnh (để b/c);", "- Các phòng GD&ĐT;", "- Lưu: VT, VP."]:
        c.add_paragraph().add_run(line).font.size = Pt(11)
    c = t2.cell(0, 1)
    _cell(c, "KT. GIÁM ĐỐC", bold=True, size=14, first=True)
    _cell(c, "PHÓ GIÁM ĐỐC", bold=True, size=14)
    _cell(c, "")
    _cell(c, "")
    _cell(c, "Nguyễn Thị Hoa", bold=True, size=14)
    d.save(str(path))
    return path
