"""The sample dispatch read back with python-docx: page, fonts, sizes and styles of Decree 30."""
from __future__ import annotations

import pytest
from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dispatch_gen.profile import load_profile, text_width_pt

from docx_helpers import all_paragraphs, para, para_starting

PROFILE = load_profile("decree30")


@pytest.fixture(scope="module")
def doc(built_sample):
    return Docx(str(built_sample))


def size(p):
    sizes = {r.font.size for r in p.runs if r.text.strip()}
    assert len(sizes) == 1, sizes
    return sizes.pop().pt


def all_bold(p):
    return all(r.bold for r in p.runs if r.text.strip())


def test_page_is_a4_with_decree_margins(doc):
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) - Mm(0.1) <= s.top_margin <= Mm(25) + Mm(0.1)
    assert Mm(20) - Mm(0.1) <= s.bottom_margin <= Mm(25) + Mm(0.1)
    assert Mm(30) - Mm(0.1) <= s.left_margin <= Mm(35) + Mm(0.1)
    assert Mm(15) - Mm(0.1) <= s.right_margin <= Mm(20) + Mm(0.1)
    assert abs(s.left_margin - Mm(PROFILE.page("margin_left_mm").value)) < Mm(0.1)


def test_every_run_is_times_new_roman_for_all_scripts(doc):
    runs = [r for p in all_paragraphs(doc) for r in p.runs if r.text]
    assert len(runs) > 40
    for r in runs:
        fonts = r._r.rPr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            assert fonts.get(qn(attr)) == "Times New Roman", (r.text, attr)


def test_body_paragraphs(doc):
    body = [para_starting(doc, "Năm 2024 là năm bản lề"), para_starting(doc, "1. Động viên cán bộ"),
            para_starting(doc, "- 90% tập thể"), para_starting(doc, "Để thực hiện tốt các chỉ tiêu")]
    for p in body:
        assert size(p) == 14
        assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert abs(p.paragraph_format.first_line_indent - Mm(12.7)) < Mm(0.1)
        assert p.paragraph_format.space_after >= Pt(6)
        assert 1.0 <= p.paragraph_format.line_spacing <= 1.5


def test_section_headings_bold(doc):
    for text in ("I. Mục đích:", "II. Nội dung thi đua:", "III. Biện pháp thực hiện:"):
        p = para(doc, text)
        assert all_bold(p) and size(p) == 14


def test_national_title_and_motto(doc):
    qh = para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert all_bold(qh) and 12 <= size(qh) <= 13
    tn = para(doc, "Độc lập - Tự do - Hạnh phúc")
    assert all_bold(tn) and 13 <= size(tn) <= 14
    assert qh.alignment == tn.alignment == WD_ALIGN_PARAGRAPH.CENTER


def _rule_after(p):
    """The drawn rule paragraph right after `p`: (its border, its width in pt)."""
    nxt = p._p.getnext()
    assert nxt is not None and nxt.tag == qn("w:p")
    border = nxt.find(qn("w:pPr")).find(qn("w:pBdr"))
    assert border is not None and border.find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert "".join(nxt.itertext()) == ""
    cell = nxt.getparent()
    cell_width = int(cell.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w")))
    ind = nxt.find(qn("w:pPr")).find(qn("w:ind"))
    width = cell_width - int(ind.get(qn("w:left"))) - int(ind.get(qn("w:right")))
    return width / 20, cell_width / 20


def test_rule_under_motto_is_as_long_as_the_line(doc):
    tn = para(doc, "Độc lập - Tự do - Hạnh phúc")
    width, _ = _rule_after(tn)
    text = text_width_pt("Độc lập - Tự do - Hạnh phúc", size(tn), bold=True)
    assert abs(width - text) / text < 0.1


def test_issuing_bodies_and_rule(doc):
    parent = para(doc, "BỘ CÔNG THƯƠNG")
    assert not any(r.bold for r in parent.runs) and 12 <= size(parent) <= 13
    for name in ("CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG", "CÔNG ĐOÀN CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG"):
        p = para(doc, name)
        assert all_bold(p) and 12 <= size(p) <= 13 and p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    width, column = _rule_after(para(doc, "CÔNG ĐOÀN CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG"))
    line = min(text_width_pt("CÔNG ĐOÀN CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG", 12, bold=True), column)
    assert line / 3 <= width <= line / 2


def test_number_and_date_lines(doc):
    so = para(doc, "Số: 31/PĐTĐ-CTĐP-CĐC")
    assert size(so) == 13 and not any(r.bold for r in so.runs)
    date = para(doc, "Hà Nội, ngày 12 tháng 01 năm 2024")
    assert all(r.italic for r in date.runs if r.text.strip()) and 13 <= size(date) <= 14
    assert so._p.getparent().getparent() is date._p.getparent().getparent(), "Số and date share a row"


def test_header_table_is_borderless_and_left_block_is_narrower(doc):
    tbl = doc.tables[0]._tbl
    borders = tbl.tblPr.find(qn("w:tblBorders"))
    assert all(b.get(qn("w:val")) == "nil" for b in borders)
    widths = [int(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid"))]
    assert 0.35 <= widths[0] / sum(widths) <= 0.5


def test_title_block(doc):
    title = para(doc, "PHÁT ĐỘNG PHONG TRÀO THI ĐUA")
    assert all_bold(title) and title.alignment == WD_ALIGN_PARAGRAPH.CENTER and 13 <= size(title) <= 14
    sub = para(doc, "Năm 2024")
    assert all_bold(sub) and sub.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_signature_blocks_side_by_side_lead_on_the_right(doc):
    table = doc.tables[-1]
    row = table.rows[0]
    assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    left, right = row.cells
    assert [p.text for p in left.paragraphs if p.text] == ["TM. BCH CÔNG ĐOÀN CỤC", "CHỦ TỊCH", "Đoàn Mạnh Trường"]
    assert [p.text for p in right.paragraphs if p.text] == ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Đương Quốc Trịnh"]
    for cell in (left, right):
        authority, position, name = [p for p in cell.paragraphs if p.text]
        for p in (authority, position, name):
            assert all_bold(p) and 13 <= size(p) <= 14 and p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert name.paragraph_format.space_before >= Pt(48), "room for the signature"


def test_recipients_under_the_signatures(doc):
    label = para(doc, "Nơi nhận:")
    assert all(r.bold and r.italic for r in label.runs) and size(label) == 12
    assert label._p.getparent().tag == qn("w:body"), "joint document: Nơi nhận under the signature row"
    lines = [p for p in doc.paragraphs if p.text.startswith("- ") and p.runs and size(p) == 11]
    assert [p.text for p in lines][-1] == "- Lưu: VT, VP, CĐC."
    assert lines[0].text == "- Thủ trưởng Phan Thị Thắng (để b/c);"


def test_page_numbers_in_header_not_on_first_page(doc):
    s = doc.sections[0]
    assert s.different_first_page_header_footer
    assert s.first_page_header.paragraphs[0].text == ""
    xml = s.header._element.xml
    assert "PAGE" in xml and 'w:jc w:val="center"' in xml
    sizes = {r.font.size.pt for r in s.header.paragraphs[0].runs if r.font.size}
    assert sizes and all(13 <= x <= 14 for x in sizes)
