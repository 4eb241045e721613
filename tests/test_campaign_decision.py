"""The quyết định công nhận and its phụ lục, built for real and read back with python-docx."""
from __future__ import annotations

import datetime as dt

import pytest
from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from dispatch_gen import vn
from dispatch_gen.campaign import make_decision
from dispatch_gen.errors import DataError
from dispatch_gen.readers.docx_text import paragraphs
from test_campaign_common import (CAMPAIGN, RESULTS, all_paragraphs, assert_fonts, assert_header_and_signature,
                                  assert_page, bold, edited, element_size, italic, para, para_starting, size)

TOTAL = 158_184_000
WORDS = "Một trăm năm mươi tám triệu một trăm tám mươi tư nghìn đồng"


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    root = tmp_path_factory.mktemp("decision")
    return make_decision(CAMPAIGN, RESULTS, root / "out", registry=root / "book.sqlite", issue=True,
                         date=dt.date(2024, 12, 25))


@pytest.fixture(scope="module")
def doc(issued):
    return Docx(str(issued.outcome.path))


def annex_table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[1].text == "Họ và tên")


def test_header_signature_and_format(issued, doc):
    assert issued.outcome.path.name == "01-QD-CTDP.docx"
    assert_page(doc.sections[0])
    assert_page(doc.sections[1])
    assert_fonts(doc)
    assert_header_and_signature(doc, "Số: 01/QĐ-CTĐP", "Hà Nội, ngày 25 tháng 12 năm 2024", ["Đương Quốc Trịnh"])
    texts = paragraphs(issued.outcome.path)
    assert "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG" in texts and "CÔNG ĐOÀN CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG" not in texts
    assert ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"] == texts[texts.index("KT. CỤC TRƯỞNG"):texts.index("KT. CỤC TRƯỞNG") + 2]
    assert texts[texts.index("Nơi nhận:") + 1] == "- Như Điều 3;"


def test_title_authority_and_legal_basis(doc):
    assert bold(para(doc, "QUYẾT ĐỊNH")) and bold(para(doc, "Về việc công nhận danh hiệu thi đua năm 2024"))
    authority = para(doc, "CỤC TRƯỞNG CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG")
    assert bold(authority) and authority.alignment == WD_ALIGN_PARAGRAPH.CENTER
    basis = [p for p in all_paragraphs(doc) if p.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert len(basis) == 5
    assert all(italic(p) and size(p) == element_size("legal_basis") for p in basis)
    assert [p.text[-1] for p in basis] == [";", ";", ";", ";", "."]
    assert basis[0].text == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    decides = para(doc, "QUYẾT ĐỊNH:")
    assert bold(decides) and decides.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_articles(doc):
    articles = [p for p in all_paragraphs(doc) if p.text.startswith("Điều ")]
    assert [p.text.split(" ", 2)[:2] for p in articles] == [["Điều", "1."], ["Điều", "2."], ["Điều", "3."]]
    for p in articles:
        label, text = p.runs[0], p.runs[1:]
        assert label.bold and not any(r.bold for r in text)
        assert size(p) == element_size("article")
        assert abs(p.paragraph_format.first_line_indent.cm - 1.27) < 0.01
    assert articles[0].text == ("Điều 1. Công nhận danh hiệu thi đua năm 2024 cho 9 tập thể và 122 cá nhân thuộc "
                                "Cục Công Thương địa phương (có danh sách kèm theo).")
    assert f"158.184.000 đồng (Bằng chữ: {WORDS})" in articles[1].text
    assert articles[2].text.endswith("thi hành Quyết định này./.")


def test_annex_on_its_own_numbered_section(issued, doc):
    assert len(doc.sections) == 2
    last = doc.sections[1]._sectPr
    assert last.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert last.find(qn("w:titlePg")) is not None
    heading = para(doc, "Phụ lục")
    assert bold(heading) and size(heading) == element_size("annex_heading")
    title = para(doc, "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC CÔNG NHẬN DANH HIỆU THI ĐUA NĂM 2024")
    assert bold(title) and size(title) == element_size("annex_title")
    note = para(doc, "(Kèm theo Quyết định số 01/QĐ-CTĐP ngày 25 tháng 12 năm 2024 của Cục trưởng "
                     "Cục Công Thương địa phương)")
    assert italic(note) and note.alignment == WD_ALIGN_PARAGRAPH.CENTER
    texts = paragraphs(issued.outcome.path)
    assert texts.index("Phụ lục") > texts.index("Đương Quốc Trịnh")


def _money(text: str) -> int:
    return int(text.replace(".", ""))


def test_annex_table_total_and_words(doc):
    table = annex_table(doc)
    assert 'w:val="single"' in table._tbl.tblPr.xml
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu", "Tiền thưởng (đồng)"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    groups = [r.cells[0].text for r in table.rows if len(r._tr.findall(qn("w:tc"))) == 1]
    assert groups == ["I. Danh hiệu “Tập thể lao động xuất sắc”: 7 tập thể",
                      "II. Danh hiệu “Tập thể lao động tiên tiến”: 2 tập thể",
                      "III. Danh hiệu “Chiến sĩ thi đua cơ sở”: 27 cá nhân",
                      "IV. Danh hiệu “Lao động tiên tiến”: 95 cá nhân"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:] if len(r._tr.findall(qn("w:tc"))) == 6]
    assert len(rows) == 9 + 122
    assert rows[0] == ["1", "Văn phòng Cục", "", "", "Tập thể lao động xuất sắc", "3.510.000"]
    assert rows[9] == ["1", "Nguyễn Bích Linh", "Chánh Văn phòng", "Văn phòng Cục",
                       "Chiến sĩ thi đua cơ sở, Lao động tiên tiến", "2.340.000"]
    assert rows[-1][-1] == "702.000" and rows[-1][0] == "95"
    total_row = table.rows[-1]
    assert total_row.cells[0].text == "Tổng cộng"
    total = _money(total_row.cells[-1].text)
    assert total == sum(_money(r[-1]) for r in rows) == TOTAL
    assert total_row.cells[-1].text == "158.184.000"
    words = para_starting(doc, "Bằng chữ: ")
    assert words.text == f"Bằng chữ: {WORDS}." and italic(words)
    assert words.text == f"Bằng chữ: {vn.amount_in_words(total)}."
    assert size(table.rows[1].cells[0].paragraphs[0]) == element_size("table")


@pytest.mark.parametrize("n, words", [
    (0, "không"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"), (105, "một trăm linh năm"),
    (1_000_000, "một triệu"), (1_005_000, "một triệu không trăm linh năm nghìn"),
    (702_000, "bảy trăm linh hai nghìn"), (TOTAL, "một trăm năm mươi tám triệu một trăm tám mươi tư nghìn"),
])
def test_number_to_words(n, words):
    assert vn.number_to_words(n) == words
    assert vn.amount_in_words(n) == words[0].upper() + words[1:] + " đồng"


def test_draft_annex_note_has_blanks(tmp_path):
    made = make_decision(CAMPAIGN, RESULTS, tmp_path / "out", registry=tmp_path / "book.sqlite")
    assert made.outcome.status == "draft"
    assert ("(Kèm theo Quyết định số      /QĐ-CTĐP ngày 25 tháng 12 năm 2024 của Cục trưởng "
            "Cục Công Thương địa phương)") in paragraphs(made.outcome.path)


def test_defaults_when_the_section_is_missing(tmp_path):
    text = RESULTS.read_text(encoding="utf-8")
    start, end = text.index("decision:\n"), text.index("# Giấy khen")
    path = tmp_path / "ket-qua.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    made = make_decision(CAMPAIGN, path, tmp_path / "out", registry=tmp_path / "book.sqlite")
    [warning] = made.warnings
    assert "no `decision.legal_basis` (căn cứ)" in str(warning)
    texts = paragraphs(made.outcome.path)
    assert "CỤC TRƯỞNG CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG" in texts and "Số:      /QĐ-CTĐP" in texts
    assert "[Cần bổ sung: các căn cứ ban hành — mục `decision.legal_basis` của tệp kết quả]" in texts
    assert any(t.startswith("Điều 2. Tiền thưởng kèm theo danh hiệu: 158.184.000 đồng") for t in texts)


def test_awards_are_required_and_complete(tmp_path):
    path = edited(tmp_path, ("    Lao động tiên tiến: 0.3\n", ""))
    with pytest.raises(DataError) as exc:
        make_decision(CAMPAIGN, path, tmp_path / "out", registry=tmp_path / "book.sqlite", issue=True)
    [line] = exc.value.lines
    assert "awards.multiples: no multiple for “Lao động tiên tiến” (held by 122 awardees)" in line
    assert not (tmp_path / "out").exists() and not (tmp_path / "book.sqlite").exists()
