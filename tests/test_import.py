"""`import` on real files: the seed .txt and our own .docx come back as data that builds the same text."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Pt

from dispatch_gen import api
from dispatch_gen.cli import main
from dispatch_gen.errors import DataError
from dispatch_gen.readers.dispatch_text import parse_target, split_symbol
from dispatch_gen.readers.docx_import import import_document
from dispatch_gen.readers.docx_text import paragraphs

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
SEED = ROOT / "tests" / "fixtures" / "seed-2024-31-PDTD-CTDP-CDC.txt"  # a copy of shared/reference/000_1c9ce88841a79e5d.txt


def words(lines) -> list[str]:
    return " ".join(lines).split()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    return api.build(SAMPLE, out, registry=out / "book.sqlite").path


def test_own_docx_round_trip(built, tmp_path):
    result = import_document(built, tmp_path / "data.yaml")
    assert result.problems == [] and result.unsorted == [] and result.review == []
    document = api.load_document(tmp_path / "data.yaml")
    assert paragraphs(api.render(document)) == paragraphs(built)
    # what was recognised, as data
    assert [i.code for i in document.issuers] == ["CTĐP", "CĐC"]
    assert document.issuers[0].name == "Cục Công Thương địa phương"  # case taken from the running text
    assert document.issuers[0].parent == "Bộ Công Thương"
    assert (document.type_code, document.number, str(document.date)) == ("PĐTĐ", 31, "2024-01-12")
    assert [s.issuer for s in document.signers] == ["CĐC", "CTĐP"]
    assert document.signers[1].authority == "KT." and document.signers[1].name == "Đương Quốc Trịnh"
    assert document.archive == ["VT", "VP", "CĐC"]
    assert "**Kỷ cương trách nhiệm" in document.sections[0].items[0].text


def test_seed_txt_round_trip(tmp_path):
    result = import_document(SEED, tmp_path / "seed.yaml")
    assert result.problems == [] and result.unsorted == []
    document = api.load_document(tmp_path / "seed.yaml")
    rebuilt = paragraphs(api.render(document))
    # the seed has no header bodies, Quốc hiệu or Tiêu ngữ: compare from the Số line on
    start = next(i for i, t in enumerate(rebuilt) if t.startswith("Số:"))
    rebuilt = [t for t in rebuilt[start:]]
    seed = [line.replace("**", "") for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed[0] = re.sub(r"\s*/\s*", "/", re.sub(r"-\s+", "-", seed[0]))  # the seed's `31 /PĐTĐ- CTĐP` quirk
    assert words(rebuilt) == words(seed)


def test_seed_targets_and_signers(tmp_path):
    import_document(SEED, tmp_path / "seed.yaml")
    document = api.load_document(tmp_path / "seed.yaml")
    shares = [(str(t.share) if t.share is not None else None, t.base) for t in document.targets]
    assert shares == [("0.9", "tập thể"), ("1", "cán bộ công chức"), ("1", "cán bộ công chức, đoàn viên công đoàn"),
                      (None, None), (None, None)]
    assert str(document.targets[1].of_which[0].share) == "0.2"
    assert document.targets[1].of_which[0].text.startswith("đạt danh hiệu Chiến sỹ")
    left, right = document.signers
    assert (left.authority, left.for_, left.position, left.name) == ("TM.", "BCH CÔNG ĐOÀN CỤC", "CHỦ TỊCH", "Đoàn Mạnh Trường")
    assert (right.issuer, right.authority, right.for_) == ("CTĐP", "KT.", "CỤC TRƯỞNG")
    assert document.issuers[0].name == "Cục Công Thương địa phương"  # from "(Cục CTĐP)" in the text


def test_unplaceable_text_is_kept(built, tmp_path):
    d = docx.Document(str(built))
    p = d.add_paragraph("PL.(300)")
    p.runs[0].font.size = Pt(11)
    p = d.add_paragraph("Ghi chú viết tay cuối trang")
    p.runs[0].font.size = Pt(11)
    target_line = next(p for p in d.paragraphs if p.text.startswith("- 100% cán bộ công chức đạt"))
    target_line.insert_paragraph_before("Một đoạn lạc giữa các chỉ tiêu.")
    path = tmp_path / "odd.docx"
    d.save(str(path))
    result = import_document(path, tmp_path / "odd.yaml")
    assert result.data["drafter_mark"] == "PL.(300)", "ô 12 under Nơi nhận is recognised"
    assert any("Ghi chú viết tay" in line for line in result.unsorted)
    text = (tmp_path / "odd.yaml").read_text(encoding="utf-8")
    assert "CHƯA XẾP ĐƯỢC (unsorted)" in text
    document = api.load_document(tmp_path / "odd.yaml")  # still valid data
    assert any("Ghi chú viết tay" in line for line in document.unsorted), "kept in a field, not dropped"
    rebuilt = paragraphs(api.render(document))
    assert not any("Ghi chú viết tay" in p for p in rebuilt), "unsorted is never printed"
    # a paragraph typed among the target lines is printed where it stood; the lines stay as typed
    # (not a target list), which the review says
    body = paragraphs(path)
    assert rebuilt[rebuilt.index("Một đoạn lạc giữa các chỉ tiêu.") - 1] == body[body.index("Một đoạn lạc giữa các chỉ tiêu.") - 1]
    assert any("kept as typed lines, not as `targets`" in r for r in result.review)


def test_paragraphs_under_an_item_and_basis_lines_are_placed(built, tmp_path):
    """A paragraph under a khoản stays with it; leading `Căn cứ` lines become `legal_basis`."""
    d = docx.Document(str(built))
    item = next(p for p in d.paragraphs if p.text.startswith("2. Nâng cao chất lượng"))
    item.insert_paragraph_before("Một đoạn giải thích của khoản 1.")
    opening = next(p for p in d.paragraphs if p.text.startswith("Năm 2024 là năm bản lề"))
    opening.insert_paragraph_before("Căn cứ Luật Thi đua, khen thưởng năm 2022;")
    path = tmp_path / "more.docx"
    d.save(str(path))
    result = import_document(path, tmp_path / "more.yaml")
    assert result.unsorted == []
    document = api.load_document(tmp_path / "more.yaml")
    assert document.legal_basis == ["Căn cứ Luật Thi đua, khen thưởng năm 2022;"]
    assert document.sections[0].items[0].paragraphs == ["Một đoạn giải thích của khoản 1."]
    assert paragraphs(api.render(document)) == paragraphs(path)


@pytest.mark.parametrize("line, share, base, text", [
    ("90% tập thể đạt Lao động xuất sắc", "0.9", "tập thể", "đạt Lao động xuất sắc"),
    ("92,5% đoàn viên tham gia hiến máu", "0.925", "đoàn viên", "tham gia hiến máu"),
    ("Tham gia đầy đủ các hoạt động", None, None, "Tham gia đầy đủ các hoạt động"),
])
def test_parse_target(line, share, base, text):
    t = parse_target(line)
    assert (str(t.share) if t.share is not None else None, t.base, t.text) == (share, base, text)


def test_parse_target_of_which():
    t = parse_target("100% cán bộ đạt Lao động tiên tiến, trong đó 20% đạt Chiến sĩ thi đua cơ sở")
    assert [str(s.share) for s in t.of_which] == ["0.2"] and t.of_which[0].text == "đạt Chiến sĩ thi đua cơ sở"


@pytest.mark.parametrize("sym, bodies, title, expected", [
    ("PĐTĐ-CTĐP-CĐC", 0, "PHÁT ĐỘNG PHONG TRÀO THI ĐUA", ("PĐTĐ", ["CTĐP", "CĐC"])),
    ("KH-UBND", 0, "KẾ HOẠCH", ("KH", ["UBND"])),
    ("UBND-VX", 1, "", (None, ["UBND", "VX"])),    # a công văn: no type code
    ("KH-UBND-VX", 2, "KẾ HOẠCH", ("KH", ["UBND", "VX"])),
    ("BC-CĐC", 1, "", ("BC", ["CĐC"])),
])
def test_split_symbol(sym, bodies, title, expected):
    assert split_symbol(sym, bodies, title) == expected


def test_refuses_to_overwrite(tmp_path):
    out = tmp_path / "seed.yaml"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(DataError, match="already exists"):
        import_document(SEED, out)
    assert out.read_text(encoding="utf-8") == "keep me"
    import_document(SEED, out, force=True)
    assert out.read_text(encoding="utf-8").startswith("# Nhập từ")


def test_cli_prints_summary(tmp_path):
    result = CliRunner().invoke(main, ["import", str(SEED), "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code == 0, result.output
    assert "targets: 5 (3 with a share)" in result.output
    assert "number line normalised" in result.output
    assert "review: issuer CĐC" in result.output


def test_cli_rejects_other_files(tmp_path):
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    result = CliRunner().invoke(main, ["import", str(other), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "import reads .docx or .txt" in result.output


CONG_VAN = """\
id: cong-van-test
issuers:
  - {name: Ủy ban nhân dân quận Ba Đình, code: UBND}
number: 5
place: Hà Nội
date: 2024-03-05
subject: Triển khai phong trào thi đua năm 2024
addressees: [Phòng Nội vụ, Phòng Giáo dục và Đào tạo]
opening: ["Thực hiện kế hoạch của Thành phố, đề nghị các đơn vị triển khai./."]
signers:
  - {authority: TM., for: Ủy ban nhân dân, then_authority: KT., then_for: Chủ tịch, position: Phó Chủ tịch, name: Nguyễn Văn A}
recipients: [Như trên]
archive: [VT]
"""


def test_cong_van_round_trip_and_check(tmp_path):
    from dispatch_gen.check import check_file

    data = tmp_path / "cv.yaml"
    data.write_text(CONG_VAN, encoding="utf-8")
    built = api.build(data, tmp_path, registry=tmp_path / "book.sqlite").path
    report = check_file(built)
    assert report.ok and not report.findings, [f.line() for f in report.findings]
    result = import_document(built, tmp_path / "back.yaml")
    assert result.problems == [] and result.unsorted == []
    document = api.load_document(tmp_path / "back.yaml")
    assert document.subject == "Triển khai phong trào thi đua năm 2024"
    assert document.addressees == ["Phòng Nội vụ", "Phòng Giáo dục và Đào tạo"]
    assert document.signers[0].then_authority == "KT."
    assert paragraphs(api.render(document)) == paragraphs(built)


def test_drafting_unit_of_a_cong_van_is_recognised(tmp_path):
    example = ROOT / "data" / "examples" / "cong-van-ubnd.yaml"
    built = api.build(example, tmp_path / "o", registry=tmp_path / "book.sqlite").path
    import_document(built, tmp_path / "back.yaml")
    document = api.load_document(tmp_path / "back.yaml")
    assert document.drafting_unit == "VX" and [i.code for i in document.issuers] == ["UBND"]
    assert paragraphs(api.render(document)) == paragraphs(built)


@pytest.mark.parametrize("example, profile, number", [
    ("ke-hoach-dang-uy.yaml", "party", "Số 05-KH/ĐU"),
    ("ke-hoach-doan-thanh-nien.yaml", "youth-union", "Số: 12-KH/ĐTN-VP"),
])
def test_party_and_doan_documents_import_with_their_family(tmp_path, example, profile, number):
    built = api.build(ROOT / "data" / "examples" / example, tmp_path / "o", registry=tmp_path / "book.sqlite").path
    result = import_document(built, tmp_path / "back.yaml")
    assert result.problems == [] and result.unsorted == []
    document = api.load_document(tmp_path / "back.yaml")
    assert document.profile == profile
    rebuilt = paragraphs(api.render(document))
    assert number in rebuilt
    assert rebuilt == paragraphs(built)


TTG = """\
id: cong-dien-ttg
issuers:
  - {name: Thủ tướng Chính phủ, code: TTg}
number: 5
place: Hà Nội
date: 2024-03-05
subject: Triển khai phong trào thi đua năm 2024
addressees: [Các Bộ, cơ quan ngang Bộ]
opening: ["Đề nghị các cơ quan triển khai./."]
signers:
  - {position: THỦ TƯỚNG, name: Nguyễn Văn A}
recipients: [Như trên]
archive: [VT]
"""


def test_a_body_name_over_two_header_lines_is_one_body(tmp_path):
    """`THỦ TƯỚNG` / `CHÍNH PHỦ` typed on two lines of the header cell is one issuing body, not a
    managing body and its unit (nor two issuers)."""
    import copy

    from docx.text.paragraph import Paragraph

    data = tmp_path / "ttg.yaml"
    data.write_text(TTG, encoding="utf-8")
    built = api.build(data, tmp_path / "o", registry=tmp_path / "book.sqlite").path
    d = docx.Document(str(built))
    first = next(p for p in d.tables[0].rows[0].cells[0].paragraphs if p.text.strip())
    assert first.text == "THỦ TƯỚNG CHÍNH PHỦ"
    for run in first.runs[1:]:
        run.text = ""
    first.runs[0].text = "THỦ TƯỚNG"
    second = copy.deepcopy(first._p)
    first._p.addnext(second)
    Paragraph(second, first._parent).runs[0].text = "CHÍNH PHỦ"
    split = tmp_path / "split.docx"
    d.save(str(split))
    result = import_document(split, tmp_path / "back.yaml")
    assert [(i["name"], i.get("parent")) for i in result.data["issuers"]] == [("THỦ TƯỚNG CHÍNH PHỦ", None)]
    assert result.problems == [] and not any("code` guessed" in r for r in result.review)
