"""Numbering chosen in data per level, restart rules, ordered content, signers, optional elements,
header breaks and code case — each built for real and read back with python-docx."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dispatch_gen import api, vn
from dispatch_gen.errors import DataError
from docx_helpers import all_paragraphs, para

BASE = {
    "id": "thu-nghiem",
    "template": "phat-dong",
    "issuers": [{"name": "Phòng Giáo dục và Đào tạo huyện Yên Lạc", "code": "PGD&ĐT",
                 "parent": "Ủy ban nhân dân huyện Yên Lạc"}],
    "type_code": "KH",
    "number": 12,
    "place": "Yên Lạc",
    "date": "2025-03-05",
    "title": "Kế hoạch",
    "subtitle": "Phát động phong trào thi đua năm học 2024-2025",
    "closing": ["Đề nghị các trường thực hiện./."],
    "signers": [{"position": "Trưởng phòng", "name": "Nguyễn Văn An"}],
    "recipients": ["Các trường học"],
    "archive": ["VT"],
}


def write_yaml(path: Path, data: dict) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        YAML(typ="safe", pure=True).dump(data, fh)
    return path


def build(tmp_path: Path, **changes) -> docx.Document:
    path = write_yaml(tmp_path / "data.yaml", {**BASE, **changes})
    out = api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    return docx.Document(str(out.path))


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_label_styles():
    assert [vn.label(s, 5, (4,)) for s in vn.NUMBER_STYLES] == ["V.", "5.", "4.5.", "đ)", "-", "+", "*", ""]
    assert vn.label("decimal", 2, (5, 1)) == "5.1.2."
    assert [vn.label("letters", n) for n in range(5, 9)] == ["đ)", "e)", "g)", "h)"]  # no f


def test_arabic_sections_with_decimal_items(tmp_path):
    """A kế hoạch whose parts are `1.`–`2.` with `2.1.`, `2.2.` under them."""
    document = build(tmp_path, numbering={"sections": "arabic", "items": "decimal"}, sections=[
        {"heading": "MỤC ĐÍCH", "paragraphs": ["Nâng cao chất lượng dạy và học."]},
        {"heading": "NỘI DUNG", "items": ["Thi đua dạy tốt.", "Thi đua học tốt."]},
    ])
    texts = body_texts(document)
    assert "1. MỤC ĐÍCH" in texts and "2. NỘI DUNG" in texts
    assert "2.1. Thi đua dạy tốt." in texts and "2.2. Thi đua học tốt." in texts
    heading = para(document, "2. NỘI DUNG")
    assert heading.runs[0].bold and heading.runs[0].font.size.pt == 14


def test_subheads_restart_items_per_group_and_interleave(tmp_path):
    """Mục IV with `* Đối với học sinh:` groups, each with its own 1., 2. (restarting)."""
    document = build(tmp_path, sections=[{
        "heading": "NHIỆM VỤ TRỌNG TÂM", "restart": "group", "content": [
            "Các nhiệm vụ cụ thể như sau:",
            {"subhead": "* Đối với học sinh:"},
            {"item": "Chăm ngoan, học giỏi."},
            {"item": "Rèn luyện thân thể.", "content": [{"item": "Tập thể dục."}, {"bullet": "mỗi sáng"}]},
            {"subhead": "* Đối với giáo viên:"},
            {"item": "Dạy tốt."},
            {"plus": "tham gia thao giảng"},
        ]}])
    texts = body_texts(document)
    start = texts.index("I. NHIỆM VỤ TRỌNG TÂM")
    assert texts[start + 1:start + 10] == [
        "Các nhiệm vụ cụ thể như sau:", "* Đối với học sinh:", "1. Chăm ngoan, học giỏi.",
        "2. Rèn luyện thân thể.", "a) Tập thể dục.", "- mỗi sáng", "* Đối với giáo viên:", "1. Dạy tốt.",
        "+ tham gia thao giảng"]
    item = para(document, "1. Dạy tốt.")
    assert item.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(item.paragraph_format.first_line_indent.cm, 2) == 1.27


def test_items_continue_across_sections(tmp_path):
    document = build(tmp_path, numbering={"restart": "continue", "sections": "none", "points": "dash"}, sections=[
        {"heading": "Mục đích:", "items": ["Một.", {"text": "Hai.", "points": ["chi tiết"]}]},
        {"heading": "Yêu cầu:", "content": [{"item": "Ba."}]},
    ])
    texts = body_texts(document)
    assert ["Mục đích:", "1. Một.", "2. Hai.", "- chi tiết", "Yêu cầu:", "3. Ba."] == \
        [t for t in texts if t in {"Mục đích:", "1. Một.", "2. Hai.", "- chi tiết", "Yêu cầu:", "3. Ba."}]


@pytest.mark.parametrize("style, first", [("roman", "I. Một."), ("letters", "a) Một."), ("star", "* Một."),
                                          ("none", "Một."), ("plus", "+ Một.")])
def test_section_item_style(tmp_path, style, first):
    document = build(tmp_path, sections=[{"heading": "Nội dung", "numbering": style, "items": ["Một.", "Hai."]}])
    assert first in body_texts(document)


def test_signer_signs_directly_with_a_note(tmp_path):
    document = build(tmp_path, signers=[{"position": "Trưởng phòng", "name": "Nguyễn Văn An", "note": "(Đã ký)"}])
    position = para(document, "TRƯỞNG PHÒNG")
    assert position.runs[0].bold
    texts = [p.text for p in all_paragraphs(document)]
    assert not any(t.startswith(("TM.", "KT.")) for t in texts)
    note = para(document, "(Đã ký)")
    assert note.runs[0].italic and note.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert texts.index("(Đã ký)") == texts.index("TRƯỞNG PHÒNG") + 1 == texts.index("Nguyễn Văn An") - 1


def test_optional_elements_stay_out(tmp_path):
    """No signer, no Nơi nhận: nothing invented in their place; validate warns."""
    document = build(tmp_path, signers=[], recipients=[], archive=[])
    texts = [p.text for p in all_paragraphs(document)]
    assert "Nơi nhận:" not in texts and not any(t.startswith("- Lưu") for t in texts)
    assert len(document.tables) == 1  # the header only: no signature table
    warnings = api.warnings(tmp_path / "data.yaml")
    assert any("signers: no signer" in w for w in warnings)
    assert any("recipients: no Nơi nhận" in w for w in warnings)
    out = next((tmp_path / "out").rglob("*.docx"))
    report = api.check_file(out)
    missing = {f.code: f.severity for f in report.findings if f.code in ("SIG-001", "RCP-001")}
    assert missing == {"SIG-001": "warning", "RCP-001": "warning"}, [f.line() for f in report.findings]
    assert report.errors == 0, [f.line() for f in report.findings]


def test_recipients_without_archive_have_no_luu_line(tmp_path):
    document = build(tmp_path, archive=[])
    texts = [p.text for p in all_paragraphs(document)]
    assert "- Các trường học." in texts and not any(t.startswith("- Lưu") for t in texts)


def test_code_keeps_its_case_and_validate_warns(tmp_path):
    document = build(tmp_path, type_code="QĐ", issuers=[{"name": "Thủ tướng Chính phủ", "code": "TTg"}],
                     drafting_unit="vx")
    assert any(p.text == "Số: 12/QĐ-TTg-vx" for p in all_paragraphs(document))
    warnings = api.warnings(tmp_path / "data.yaml")
    assert len(warnings) == 1 and "drafting_unit: 'vx' has lower-case letters" in warnings[0]
    assert warnings[0].startswith(f"{tmp_path / 'data.yaml'}:")


def test_header_line_break_typed_is_kept(tmp_path):
    document = build(tmp_path, issuers=[{"name": "Thủ tướng\nChính phủ", "code": "TTg"}], type_code="QĐ")
    assert any(p.text == "THỦ TƯỚNG\nCHÍNH PHỦ" for p in all_paragraphs(document))


def test_long_header_name_leaves_no_word_alone(tmp_path):
    document = build(tmp_path, issuers=[{"name": "Công đoàn cơ sở Trường Tiểu học Kim Đồng", "code": "CĐCS",
                                         "parent": "Công đoàn Giáo dục huyện Yên Lạc"}])
    texts = [p.text for p in all_paragraphs(document)]
    assert "CÔNG ĐOÀN GIÁO DỤC\nHUYỆN YÊN LẠC" in texts


@pytest.mark.parametrize("name, printed", [
    ("Ủy ban nhân dân tỉnh Tuyên Quang", "ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG"),
    ("Hội đồng nhân dân huyện Yên Lạc", "HỘI ĐỒNG NHÂN DÂN\nHUYỆN YÊN LẠC"),
    # no two-line break keeps both places whole: one line more
    ("Ủy ban nhân dân phường Long Biên, thành phố Hà Nội", "ỦY BAN NHÂN DÂN\nPHƯỜNG LONG BIÊN,\nTHÀNH PHỐ HÀ NỘI"),
    # the column's own wrap already falls before the unit: nothing forced
    ("Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH TỈNH QUẢNG NGÃI"),
    ("Ủy ban nhân dân thị xã Phú Thọ", "ỦY BAN NHÂN DÂN THỊ XÃ PHÚ THỌ"),
])
def test_a_long_header_name_keeps_the_place_with_its_unit(tmp_path, name, printed):
    """A clerk breaks `ỦY BAN NHÂN DÂN` / `TỈNH TUYÊN QUANG`, never `… TỈNH` / `TUYÊN QUANG`."""
    document = build(tmp_path, issuers=[{"name": name, "code": "UBND"}], signers=[
        {"position": "Chủ tịch", "name": "Nguyễn Văn An"}])
    assert printed in [p.text for p in all_paragraphs(document)]


def test_short_header_name_is_not_broken(tmp_path):
    document = build(tmp_path)
    assert "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN YÊN LẠC" in [p.text.replace("\n", " ") for p in all_paragraphs(document)]


@pytest.mark.parametrize("change, message", [
    ({"numbering": {"items": "hex"}}, "numbering.items: 'hex' is not one of roman"),
    ({"sections": [{"heading": "A", "content": [{"item": "x", "bullet": "y"}]}]},
     "sections[0].content[0]: an entry holds exactly one of"),
    ({"sections": [{"heading": "A", "content": [{"bullet": "y", "content": ["z"]}]}]},
     "sections[0].content[0]: `content` and `numbering` belong to an `item`"),
    ({"signers": [{"position": "Trưởng phòng", "name": "An", "note": 5}]}, "signers[0].note"),
])
def test_bad_values_are_located(tmp_path, change, message):
    data = {**BASE, **change}
    path = write_yaml(tmp_path / "bad.yaml", data)
    with pytest.raises(DataError) as exc:
        api.validate(path)
    assert any(message in line and line.startswith(f"{path}:") for line in exc.value.lines), exc.value.lines


def test_roman_numbered_items_are_headings(tmp_path):
    """Items numbered I., II. (a phụ lục's `I. TẬP THỂ`) print bold as Mục headings do, so the
    document passes `check` (a Roman numeral reads as a Mục)."""
    from dispatch_gen.check import check_file

    path = write_yaml(tmp_path / "data.yaml", {**BASE, "numbering": {"sections": "none"}, "sections": [
        {"heading": "Danh sách được khen thưởng:", "numbering": "roman", "content": [
            {"item": "TẬP THỂ", "numbering": "arabic", "content": [{"item": "Trường Tiểu học Yên Lạc;"}]},
            {"item": "CÁ NHÂN", "numbering": "arabic", "content": [{"item": "Bà Trần Thị Bình."}]}]}]})
    out = api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    document = docx.Document(str(out.path))
    for text in ("I. TẬP THỂ", "II. CÁ NHÂN"):
        assert all(r.bold for r in para(document, text).runs if r.text.strip()), text
    assert not para(document, "1. Trường Tiểu học Yên Lạc;").runs[0].bold
    report = check_file(out.path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


def test_items_restarting_after_subheads_pass_check(tmp_path):
    """`restart: group`: 1., 2. after each `* Đối với …:` sub-head is no BODY-003 warning."""
    from dispatch_gen.check import check_file

    path = write_yaml(tmp_path / "data.yaml", {**BASE, "sections": [{
        "heading": "NHIỆM VỤ", "restart": "group", "content": [
            {"subhead": "* Đối với học sinh:"}, {"item": "Chăm ngoan."}, {"item": "Học giỏi."},
            {"subhead": "* Đối với giáo viên:"}, {"item": "Dạy tốt."}, {"item": "Dạy giỏi."}]}]})
    out = api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    report = check_file(out.path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


@pytest.mark.parametrize("closing", [["Đề nghị các trường thực hiện./."], []])
def test_the_last_line_of_text_keeps_with_the_signature(tmp_path, closing):
    """The text's last line and the spacer under it keep with the signature table, so a signature
    never stands alone on a page (with a closing paragraph, or ending on a section's line)."""
    from docx.oxml.ns import qn

    document = build(tmp_path, closing=closing, sections=[{"heading": "NỘI DUNG", "items": ["Một.", "Hai."]}])
    body = list(document.element.body)
    signature = next(i for i, el in enumerate(body) if el.tag == qn("w:tbl") and "Nơi nhận" in "".join(
        t.text or "" for t in el.iter(qn("w:t"))))
    texts = [el for el in body[:signature] if el.tag == qn("w:p")]
    last_text = next(el for el in reversed(texts) if "".join(t.text or "" for t in el.iter(qn("w:t"))).strip())
    assert "".join(t.text for t in last_text.iter(qn("w:t"))) == (closing[0] if closing else "2. Hai.")
    for el in texts[texts.index(last_text):]:
        assert el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    earlier = [el for el in texts[:texts.index(last_text)] if "Một." in "".join(t.text or "" for t in el.iter(qn("w:t")))]
    assert earlier and earlier[0].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is None
