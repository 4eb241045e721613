"""The báo cáo tổng kết, built for real and read back with python-docx."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dispatch_gen.book import open_book
from dispatch_gen.campaign import make_report
from dispatch_gen.errors import DataError
from dispatch_gen.readers.docx_text import paragraphs
from test_campaign_common import (CAMPAIGN, RESULTS, all_paragraphs, assert_body, assert_fonts,
                                  assert_header_and_signature, assert_page, bold, edited, element_size, para,
                                  para_starting, size)

DATE = dt.date(2024, 12, 18)


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    made = make_report(CAMPAIGN, RESULTS, root / "out", registry=root / "book.sqlite", issue=True, date=DATE)
    return made, root


@pytest.fixture(scope="module")
def doc(issued):
    return Docx(str(issued[0].outcome.path))


def test_numbered_through_the_book(issued):
    made, root = issued
    # the one warning: the launch's “Chiến sỹ” printed beside the law's “Chiến sĩ” (issue 15)
    assert [w.message.split(":")[1].strip() for w in made.warnings] == ["spelling varies"]
    assert made.outcome.status == "issued"
    assert made.outcome.path == root / "out" / "2024" / "01-BC-CTDP-CDC.docx"
    with open_book(root / "book.sqlite") as book:
        [entry] = book.entries()
    assert (entry.number, entry.symbol, entry.doc_id, entry.date) == (1, "BC-CTĐP-CĐC", "bao-cao-tong-ket-thi-dua-2024",
                                                                      "2024-12-18")
    again = make_report(CAMPAIGN, RESULTS, root / "out", registry=root / "book.sqlite")
    assert again.outcome.status == "unchanged"


def test_decree30_format(doc):
    assert_page(doc.sections[0])
    assert_fonts(doc)
    assert_header_and_signature(doc, "Số: 01/BC-CTĐP-CĐC", "Hà Nội, ngày 18 tháng 12 năm 2024",
                                ["Đoàn Mạnh Trường", "Đương Quốc Trịnh"])
    for body in ("BỘ CÔNG THƯƠNG", "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG", "CÔNG ĐOÀN CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG"):
        assert para(doc, body)
    title = para(doc, "BÁO CÁO")
    assert bold(title) and size(title) == element_size("doc_type")
    summary = para(doc, "Tổng kết phong trào thi đua năm 2024")
    assert bold(summary) and summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_body(para_starting(doc, "Thực hiện văn bản Phát động phong trào thi đua năm 2024 số 31/PĐTĐ-CTĐP-CĐC "
                                   "ngày 12 tháng 01 năm 2024"))
    assert_body(para_starting(doc, "Phong trào thi đua được triển khai"))


def test_skeleton_in_order(issued, doc):
    texts = paragraphs(issued[0].outcome.path)
    headings = ["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. BÀI HỌC KINH NGHIỆM",
                "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    for h in headings:
        p = para(doc, h)
        assert bold(p) and size(p) == element_size("heading")
    assert texts[texts.index("TM. BCH CÔNG ĐOÀN CỤC") - 1].endswith("./.")


def test_target_table(doc):
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Chỉ tiêu đề ra", "Kết quả (đạt/tổng số)", "Tỷ lệ đạt", "Đánh giá"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    assert [r[2:] for r in rows[1:]] == [
        ["90%", "7/9", "77,8%", "Không đạt"],
        ["100%", "122/132", "92,4%", "Không đạt"],
        ["20%", "27/132", "20,5%", "Đạt"],
        ["100%", "132/132", "100%", "Đạt"],
    ]
    assert rows[1][1] == "Tập thể đạt Lao động xuất sắc"
    cell = table.rows[1].cells[2].paragraphs[0]
    assert size(cell) == element_size("table")
    borders = table._tbl.tblPr.xml
    assert 'w:val="single"' in borders


def test_chart_is_embedded(issued, doc):
    data = issued[0].outcome.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        png = zf.read("word/media/chart.png")
        rels = zf.read("word/_rels/document.xml.rels").decode()
        body = zf.read("word/document.xml").decode()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert 'Id="rIdChart"' in rels and 'Target="media/chart.png"' in rels
    assert 'r:embed="rIdChart"' in body
    assert len(doc.inline_shapes) == 1
    assert abs(doc.inline_shapes[0].width.cm - 16.0) < 0.01


def test_computed_texts(doc):
    texts = [p.text for p in all_paragraphs(doc)]
    assert "Kết quả: đạt 2/4 chỉ tiêu đo được." in texts
    assert ("Còn 2/4 chỉ tiêu chưa đạt: tập thể đạt Lao động xuất sắc (đạt 77,8%, chỉ tiêu 90%); cán bộ công chức "
            "đạt Lao động tiên tiến (đạt 92,4%, chỉ tiêu 100%).") in texts
    assert "- 7/9 tập thể đạt danh hiệu “Tập thể lao động xuất sắc”;" in texts
    assert "- 27/132 cán bộ công chức đạt danh hiệu “Chiến sĩ thi đua cơ sở”;" in texts
    assert "- 122/132 cán bộ công chức đạt danh hiệu “Lao động tiên tiến”." in texts
    assert "- 95 cá nhân đạt danh hiệu “Lao động tiên tiến” (danh sách kèm theo quyết định công nhận)." in texts
    proposed = next(t for t in texts if t.startswith("- 27 cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở”: "))
    assert proposed.count("(") == 27 and "Nguyễn Bích Linh (Văn phòng Cục)" in proposed
    assert any("kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam" in t for t in texts)
    assert "- Bộ Công Thương (để b/c);" in texts and "- Lưu: VT, VP, CĐC." in texts


def test_missing_narrative_is_a_visible_placeholder(tmp_path):
    text = RESULTS.read_text(encoding="utf-8")
    start, end = text.index("  lessons:"), text.index("  next_year:")
    path = tmp_path / "ket-qua.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    made = make_report(CAMPAIGN, path, tmp_path / "out", registry=tmp_path / "book.sqlite")
    warning, spelled = made.warnings  # and the sample's “Chiến sỹ”/“Chiến sĩ” (issue 15)
    assert "spelling varies" in str(spelled)
    assert "no `report.lessons` text (bài học kinh nghiệm): the report shows a placeholder" in str(warning)
    doc = Docx(str(made.outcome.path))
    p = para(doc, "[Cần bổ sung: bài học kinh nghiệm — mục `report.lessons` của tệp kết quả]")
    assert bold(p)
    texts = [q.text for q in all_paragraphs(doc)]
    assert texts.index(p.text) == texts.index("III. BÀI HỌC KINH NGHIỆM") + 1


def test_unknown_placeholder_is_an_error(tmp_path):
    path = edited(tmp_path, ("Phát động phong trào thi đua năm {year} {launch}", "Phát động {lanch}"))
    with pytest.raises(DataError) as exc:
        make_report(CAMPAIGN, path, tmp_path / "out", registry=tmp_path / "book.sqlite")
    [line] = exc.value.lines
    assert "report.opening[0]: unknown placeholder {lanch}" in line and line.startswith(f"{path}:")
    assert not (tmp_path / "out").exists()


def test_deterministic_draft(tmp_path):
    a = make_report(CAMPAIGN, RESULTS, tmp_path / "a", registry=tmp_path / "a.sqlite").outcome
    b = make_report(CAMPAIGN, RESULTS, tmp_path / "b", registry=tmp_path / "b.sqlite").outcome
    assert a.status == b.status == "draft"
    assert a.path.name == "bao-cao-tong-ket-thi-dua-2024-du-thao.docx"
    assert a.path.read_bytes() == b.path.read_bytes()
    assert "Số:      /BC-CTĐP-CĐC" in paragraphs(a.path)
    assert not (tmp_path / "a.sqlite").exists()


def test_defaults_from_the_launch(tmp_path):
    """A results file without a `report:` section still gives a full report, from the launch's header."""
    text = RESULTS.read_text(encoding="utf-8")
    start, end = text.index("report:\n"), text.index("# Quyết định công nhận")
    path = tmp_path / "ket-qua.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    made = make_report(CAMPAIGN, path, tmp_path / "out", registry=tmp_path / "book.sqlite")
    assert len(made.warnings) == 5 + 1  # every narrative part is missing; and “sỹ”/“sĩ” (issue 15)
    texts = paragraphs(made.outcome.path)
    assert made.outcome.path.name == "phat-dong-thi-dua-2024-bao-cao-du-thao.docx"
    assert "- Thủ trưởng Phan Thị Thắng (để b/c);" in texts
    assert texts[texts.index("TM. BCH CÔNG ĐOÀN CỤC") - 1].endswith("./.")
