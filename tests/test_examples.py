"""Other agencies and document kinds: a công văn with one signer, a trade-union kế hoạch draft."""
from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dispatch_gen import api
from dispatch_gen.readers.docx_text import paragraphs

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


@pytest.fixture(scope="module")
def cong_van(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cv")
    return api.build(EXAMPLES / "cong-van-ubnd.yaml", out_dir=tmp / "o", registry=tmp / "r.sqlite").path


def test_cong_van_number_subject_and_date(cong_van):
    assert cong_van.name == "05-UBND-VX.docx"
    doc = Docx(str(cong_van))
    left = doc.tables[0].rows[1].cells[0]
    texts = [p.text for p in left.paragraphs if p.text]
    assert texts == ["Số: 05/UBND-VX", "V/v Hướng dẫn tổng kết công tác thi đua, khen thưởng năm 2025", "KHẨN"]
    subject = left.paragraphs[[p.text for p in left.paragraphs].index(texts[1])]
    assert subject.alignment == WD_ALIGN_PARAGRAPH.CENTER and subject.runs[0].font.size.pt in (12, 13)
    assert "Yên Lạc, ngày 05 tháng 3 năm 2025" in paragraphs(cong_van)


def test_urgency_mark_is_boxed_bold_upper_under_the_number(cong_van):
    from docx.oxml.ns import qn

    left = Docx(str(cong_van)).tables[0].rows[1].cells[0]
    mark = next(p for p in left.paragraphs if p.text == "KHẨN")
    assert all(r.bold for r in mark.runs) and mark.runs[0].font.size.pt in (13, 14)
    borders = mark._p.pPr.find(qn("w:pBdr"))
    assert {etree_local(b) for b in borders} == {"top", "left", "bottom", "right"}
    ind = mark._p.pPr.find(qn("w:ind"))
    assert int(ind.get(qn("w:left"))) > 0 and int(ind.get(qn("w:right"))) > 0, "a box round the word, not the column"


def etree_local(el) -> str:
    return el.tag.rsplit("}", 1)[-1]


def test_cong_van_has_no_title_and_lists_addressees(cong_van):
    paras = paragraphs(cong_van)
    assert "KẾ HOẠCH" not in paras and not any(p.isupper() and len(p) > 20 and "CỘNG HÒA" not in p
                                                and "ỦY BAN" not in p for p in paras)
    k = paras.index("Kính gửi:")
    assert paras[k + 1:k + 3] == ["- Các phòng, ban chuyên môn thuộc UBND huyện;", "- Ủy ban nhân dân các xã, thị trấn."]


def test_single_signer_with_recipients_beside_it(cong_van):
    table = Docx(str(cong_van)).tables[-1]
    left, right = table.rows[0].cells
    left_texts = [p.text for p in left.paragraphs if p.text]
    assert left_texts[0] == "Nơi nhận:" and left_texts[1] == "- Như trên;"
    assert left_texts[-2:] == ["- Lưu: VT, VX.", "NVB.(30)"]
    assert [p.text for p in right.paragraphs if p.text] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình"]


def test_trade_union_plan_draft(tmp_path):
    out = api.build(EXAMPLES / "ke-hoach-cong-doan.yaml", out_dir=tmp_path / "o", registry=tmp_path / "r.sqlite")
    assert out.status == "draft" and not (tmp_path / "r.sqlite").exists()
    paras = paragraphs(out.path)
    assert "Số:      /KH-CĐCS" in paras
    assert "Yên Lạc, ngày      tháng      năm 2025" in paras
    assert "KẾ HOẠCH" in paras
    assert "Tổ chức phong trào thi đua “Giỏi việc trường, đảm việc nhà” năm học 2025-2026" in paras
    assert "- 85% đoàn viên nữ đạt danh hiệu “Giỏi việc trường, đảm việc nhà”;" in paras
    assert "- 100% đoàn viên tham gia học tập nghị quyết." in paras
    assert ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Trần Thị Mai"] == [p for p in paras if p in ("TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Trần Thị Mai")]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_validates(name):
    api.validate(EXAMPLES / name)


def test_legal_basis_lines_are_italic_and_punctuated(tmp_path):
    out = api.build(EXAMPLES / "ke-hoach-cong-doan.yaml", out_dir=tmp_path / "o", registry=tmp_path / "r.sqlite")
    doc = Docx(str(out.path))
    basis = [p for p in doc.paragraphs if p.text.startswith("Căn cứ")]
    assert [p.text for p in basis] == ["Căn cứ Điều lệ Công đoàn Việt Nam;",
                                       "Căn cứ chương trình công tác năm 2025 của Ban Chấp hành Công đoàn cơ sở."]
    assert all(r.italic for p in basis for r in p.runs)
    assert basis[0].alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_passes_the_decree_check(tmp_path, name):
    out = api.build(EXAMPLES / name, out_dir=tmp_path / "o", registry=tmp_path / "r.sqlite")
    report = api.check_file(out.path)
    assert report.ok and not report.errors, [f.line() for f in report.findings]
