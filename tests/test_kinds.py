"""Every Decree 30 model as data: data/examples/decree30/ builds, passes `check` with no error and
no warning, and each kind's own parts are laid out as the model of Phụ lục III lays them out."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.cli import main
from dispatch_gen.check import check_file
from dispatch_gen.render.kinds import kinds
from docx_helpers import all_paragraphs, para, para_starting

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data" / "examples" / "decree30").glob("*.yaml"))


def test_one_example_per_model():
    models = {p.name.split("-", 1)[0] for p in EXAMPLES}
    assert {f"1.{n}" for n in range(1, 11)} | {"3.1"} <= models


@pytest.fixture(scope="module")
def built(decree30_built) -> dict[str, Path]:
    return decree30_built


@pytest.mark.parametrize("model", [f"1.{n}" for n in range(1, 11)] + ["3.1"])
def test_example_passes_check_without_warnings(built, model):
    report = check_file(built[model])
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_without_warnings(path):
    assert api.warnings(path) == []


def _doc(built, model):
    return docx.Document(str(built[model]))


def test_decision_authority_basis_action_articles(built):
    d = _doc(built, "1.2")
    authority = para(d, "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN YÊN LẠC")
    assert authority.alignment == WD_ALIGN_PARAGRAPH.CENTER and authority.runs[0].bold
    proposal = para(d, "Theo đề nghị của Trưởng phòng Nội vụ huyện.")
    assert proposal.runs[0].italic
    basis = para_starting(d, "Căn cứ Luật Thi đua")
    assert basis.runs[0].italic and basis.text.endswith(";")
    action = para(d, "QUYẾT ĐỊNH:")
    assert action.alignment == WD_ALIGN_PARAGRAPH.CENTER and action.runs[0].bold
    article = para_starting(d, "Điều 1. Tặng Giấy khen")
    assert article.runs[0].bold and article.runs[0].text == "Điều 1. " and not article.runs[1].bold
    assert round(article.paragraph_format.first_line_indent.cm, 2) == 1.27
    texts = [p.text for p in d.paragraphs]
    k = texts.index(article.text)
    assert texts[k + 1].startswith("1. Tập thể") and texts[k + 2].startswith("a) Trường Trung học cơ sở Yên Lạc")
    assert texts[k + 5].startswith("2. Mức tiền thưởng")
    assert para_starting(d, "Điều 3.").text.endswith("thi hành Quyết định này./.")


def test_resolution_says_quyet_nghi(built):
    d = _doc(built, "1.1")
    assert para(d, "QUYẾT NGHỊ:").alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert para_starting(d, "HỘI ĐỒNG NHÂN DÂN XÃ ĐẠI TỰ KHÓA XXI").runs[0].bold


def test_attached_document_with_chapters(built):
    """Mẫu 1.3: the quy chế on its own pages: header without Số, tên loại, trích yếu, (Kèm theo …),
    Chương centred with its title, Điều numbered from 1, khoản restarting in each Điều."""
    d = _doc(built, "1.3")
    note = para(d, "(Kèm theo Quyết định số 1052/QĐ-SGDĐT ngày 08 tháng 9 năm 2025 của Sở Giáo dục và Đào tạo tỉnh Vĩnh Phúc)")
    assert note.runs[0].italic and note.alignment == WD_ALIGN_PARAGRAPH.CENTER
    chapter = para(d, "Chương I")
    assert chapter.alignment == WD_ALIGN_PARAGRAPH.CENTER and chapter.runs[0].bold
    assert para(d, "QUY ĐỊNH CHUNG").alignment == WD_ALIGN_PARAGRAPH.CENTER
    texts = [p.text for p in d.paragraphs]
    second = texts.index("Điều 2. Nguyên tắc thi đua, khen thưởng")
    assert texts[second + 1].startswith("1. Thi đua theo nguyên tắc")
    # the attached document starts a section of its own, numbered from page 1
    sections = d.sections
    assert len(sections) == 2
    assert sections[1]._sectPr.xpath("./w:pgNumType/@w:start") == ["1"]
    assert para(d, "QUY CHẾ").runs[0].bold


def test_plan_with_decimal_numbering_and_a_table(built):
    d = _doc(built, "1.4")
    texts = [p.text for p in d.paragraphs]
    assert "2. NỘI DUNG THI ĐUA" in texts and "2.3. Chỉ tiêu phấn đấu của các cấp học:" in texts
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells] == ["STT", "Cấp học", "Số trường", "Trường đạt chuẩn quốc gia"]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeated on each page
    total = table.rows[-1]
    assert total.cells[0].text == "Tổng cộng" and total.cells[0].paragraphs[0].runs[0].bold
    assert total.cells[2].text == "54"
    assert table.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    caption = para_starting(d, "Bảng 1.")
    assert caption.runs[0].italic and caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert len(d.inline_shapes) == 1 and round(d.inline_shapes[0].width.cm) == 12  # the picture
    assert para_starting(d, "Hình 1.").runs[0].italic


def test_telegram_sender_and_receivers(built):
    d = _doc(built, "1.6")
    sender = para(d, "Chủ tịch Ủy ban nhân dân huyện điện:")
    assert sender.alignment == WD_ALIGN_PARAGRAPH.CENTER
    receivers = [p.text for p in all_paragraphs(d) if p.text.startswith("- Chủ tịch Ủy ban nhân dân các xã")]
    assert receivers == ["- Chủ tịch Ủy ban nhân dân các xã, thị trấn;"]
    assert any(p.text == "HỎA TỐC" for p in all_paragraphs(d))


def test_invitation(built):
    d = _doc(built, "1.7")
    texts = [p.text for p in d.paragraphs]
    start = texts.index("Phòng Giáo dục và Đào tạo huyện Yên Lạc trân trọng kính mời: Hiệu trưởng các trường "
                        "mầm non, tiểu học, trung học cơ sở trên địa bàn huyện.")
    assert texts[start + 1].startswith("Tới dự Hội nghị tổng kết")
    assert texts[start + 2].startswith("Chủ trì: ") and texts[start + 3].startswith("Thời gian: 08 giờ 00")
    assert texts[start + 4] == "Địa điểm: Hội trường Ủy ban nhân dân huyện Yên Lạc."
    assert para(d, "GIẤY MỜI").runs[0].bold


def test_introduction_valid_until(built):
    d = _doc(built, "1.8")
    assert para(d, "Giấy này có giá trị đến hết ngày 31 tháng 10 năm 2025./.").alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert para(d, "Phòng Giáo dục và Đào tạo huyện Yên Lạc trân trọng giới thiệu:")
    assert para(d, "Được cử đến: Sở Giáo dục và Đào tạo tỉnh Vĩnh Phúc.")


def test_minutes_meeting_lines_two_signers_no_header_date(built):
    d = _doc(built, "1.9")
    texts = [p.text for p in all_paragraphs(d)]
    assert not any(", ngày " in t and " tháng " in t and t.startswith("Yên Lạc") for t in texts)
    for start in ("Thời gian bắt đầu: 14 giờ 00", "Địa điểm: Phòng họp", "Thành phần tham dự: ",
                  "Chủ trì (chủ tọa): Ông Lê Văn Hải", "Thư ký (người ghi biên bản): Bà Trần Thị Thu"):
        assert para_starting(d, start).alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert para(d, "Cuộc họp kết thúc vào 16 giờ 30 cùng ngày./.")
    signature = next(t for t in d.tables if t.rows[0].cells[0].paragraphs[0].text == "THƯ KÝ")
    assert signature.rows[0].cells[1].paragraphs[0].text == "CHỦ TỌA"
    assert not any(t.startswith(("TM.", "KT.")) for t in texts)
    # Nơi nhận under the signature row (a body paragraph after the table), as the model places it
    assert "Nơi nhận:" in [p.text for p in d.paragraphs]
    assert "Nơi nhận:" not in [p.text for c in signature.rows[0].cells for p in c.paragraphs]


def test_leave(built):
    d = _doc(built, "1.10")
    assert para_starting(d, "Xét Đơn đề nghị nghỉ phép ngày 25 tháng 6 năm 2025 của ông (bà) Nguyễn Văn Tuấn")
    assert para(d, "Được nghỉ phép trong thời gian 10 ngày, kể từ ngày 07 tháng 7 năm 2025 đến hết ngày 16 tháng 7 "
                   "năm 2025 tại xã Đại Tự, huyện Yên Lạc, tỉnh Vĩnh Phúc.")
    assert para(d, "Số ngày nghỉ phép nêu trên được tính vào thời gian nghỉ hằng năm có hưởng lương./.")


def test_contact_line_under_a_full_width_rule(built):
    """Ô 13 (Phụ lục I, III.4): the issuing body's address, telephone and e-mail after the signature
    as Mẫu 1.5 places it, 11 pt upright under a solid rule across the text; absent when not given."""
    d = _doc(built, "1.5")
    body = d.paragraphs
    k = next(i for i, p in enumerate(body) if p.text.startswith("Địa chỉ: đường Nguyễn Tất Thành"))
    contact = body[k]
    assert contact.text.endswith("Email: pgdyenlac@vinhphuc.edu.vn")
    assert contact.runs[0].font.size.pt == 11 and not contact.runs[0].bold and not contact.runs[0].italic
    assert contact.alignment == WD_ALIGN_PARAGRAPH.LEFT and not contact.paragraph_format.first_line_indent
    rule = body[k - 1]
    assert rule.text == "" and rule._p.xpath("./w:pPr/w:pBdr/w:bottom[@w:val='single']")
    assert not rule.paragraph_format.left_indent and not rule.paragraph_format.right_indent  # the text's width
    last_table = d.element.body.xpath("./w:tbl")[-1]
    assert last_table.getnext() is not None and contact._p in list(last_table.itersiblings())  # after the signature
    for model in ("1.4", "1.2", "1.6", "1.10"):
        other = _doc(built, model)
        assert not any(p.text.startswith("Địa chỉ:") for p in all_paragraphs(other))
        after_signature = other.element.body.xpath("./w:tbl")[-1].itersiblings()
        assert not [p for p in after_signature if p.xpath("./w:pPr/w:pBdr/w:bottom")], model


def test_check_holds_the_contact_line_to_the_profile(built, tmp_path):
    """`check` finds ô 13 under its rule after the signature and reads its size from the profile
    (11–12 pt): the example passes; the line at 14 pt is one FMT-001 on element `contact`."""
    report = check_file(built["1.5"])
    assert report.ok and not report.codes("warning")
    document = docx.Document(str(built["1.5"]))
    for r in para_starting(document, "Địa chỉ: đường Nguyễn Tất Thành").runs:
        r.font.size = docx.shared.Pt(14)
    path = tmp_path / "big-contact.docx"
    document.save(str(path))
    findings = [f for f in check_file(path).findings if f.code == "FMT-001"]
    assert [(f.element, f.found) for f in findings] == [("contact", "14 pt")], [f.line() for f in findings]


def test_contact_empty_line_is_a_located_error(tmp_path):
    src = ROOT / "data" / "examples" / "decree30" / "1.5-cong-van.yaml"
    text = src.read_text(encoding="utf-8")
    start = text.index("contact:")
    bad = text[:start] + "contact:\n  - \"Điện thoại: 0211.3856.123\"\n  - \"\"\n"
    path = tmp_path / "cv.yaml"
    path.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"),
                                       "--registry", str(tmp_path / "book.sqlite")])
    line = bad.splitlines().index('  - ""') + 1
    assert result.exit_code == 1
    assert f"{path}:{line}: contact[1]: string should have at least 1 character" in result.output, result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "book.sqlite").exists()


def test_registry_lists_every_kind_with_its_model():
    registry = kinds()
    assert {"nghi-quyet", "quyet-dinh-ca-biet", "van-ban", "cong-dien", "giay-moi", "giay-gioi-thieu",
            "bien-ban", "giay-nghi-phep"} <= set(registry)
    for kind in registry.values():
        if kind.example:
            assert (ROOT / kind.example).is_file(), kind.example


def test_web_edit_form_opens_every_example(tmp_path):
    """The edit form is generated from the model: body entries that hold entries of their own
    (`content`) are shown, below their first level, as a YAML box."""
    import shutil

    pytest.importorskip("flask")
    from dispatch_gen.web import create_app

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "examples" / "decree30", data)
    app = create_app(data, output=tmp_path / "output", registry=str(tmp_path / "registry.sqlite"))
    client = app.test_client()
    for path in sorted(data.glob("*.yaml")):
        response = client.get(f"/doc/{path.name}")
        assert response.status_code == 200, path.name


def test_one_basis_spacing_in_every_kind(built, tmp_path):
    """Căn cứ lines: 6 pt between them in a decision (models 1.1–1.3) and in a plan alike."""
    plan = api.build(ROOT / "data" / "examples" / "ke-hoach-cong-doan.yaml", out_dir=tmp_path / "o",
                     registry=tmp_path / "b.sqlite")
    for document in (_doc(built, "1.2"), _doc(built, "1.1"), docx.Document(str(plan.path))):
        basis = [p for p in document.paragraphs if p.text.startswith("Căn cứ")]
        assert basis and {p.paragraph_format.space_after.pt for p in basis} == {6.0}
