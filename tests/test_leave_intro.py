"""Giấy nghỉ phép's optional Xác nhận block (mẫu 1.10), giấy giới thiệu's centred `… trân trọng giới
thiệu:` line (mẫu 1.8), and the copy forms' marks and codes defined once — read back with python-docx
and compared with the models of Phụ lục III."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dispatch_gen import api
from dispatch_gen.check import check_file
from dispatch_gen.cli import main
from dispatch_gen.errors import DataError
from docx_helpers import all_paragraphs, para, para_starting

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples" / "decree30"
PHULUC3 = ROOT.parent / "shared" / "reference" / "decree30" / "Phuluc3.docx"
LEAVE = EXAMPLES / "1.10-giay-nghi-phep.yaml"


def _load(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _dump(data, path: Path) -> None:
    """The project's own YAML library (PyYAML is not among its dependencies)."""
    with open(path, "w", encoding="utf-8") as fh:
        YAML(typ="safe", pure=True).dump(data, fh)


def _leave_with(tmp_path: Path, confirmation) -> Path:
    data = _load(LEAVE)
    data["leave"]["confirmation"] = confirmation
    path = tmp_path / "gnp.yaml"
    _dump(data, path)
    return path


def _build(path: Path, tmp_path: Path) -> Path:
    return api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite").path


def _model_paragraph(start: str):
    """The paragraph of Phụ lục III (read with python-docx) whose text starts with `start`."""
    if not PHULUC3.is_file():
        pytest.skip(f"{PHULUC3}: the reference models are not here")
    return para_starting(docx.Document(str(PHULUC3)), start)


def _size(p) -> float | None:
    sizes = {r.font.size for r in p.runs if r.text.strip()}
    return sizes.pop().pt if len(sizes) == 1 and None not in sizes else None


def _effective_size(text: str) -> float:
    """The size Word shows for the model's paragraph `text` (run, style chain, defaults resolved)."""
    from dispatch_gen.check.reader import read_docx

    (size,) = {r.size for p in read_docx(PHULUC3).paras if p.text == text for r in p.runs if r.text.strip()}
    return size


def test_leave_confirmation_block_as_the_model_sets_it(tmp_path):
    out = _build(_leave_with(tmp_path, {"by": "Ủy ban nhân dân xã Tề Lỗ", "name": "Trần Văn Bình"}), tmp_path)
    d = docx.Document(str(out))
    title = para(d, "Xác nhận của Ủy ban nhân dân xã Tề Lỗ")
    note = para(d, "(Chữ ký, dấu)")
    name = para(d, "Trần Văn Bình")
    model_title = _model_paragraph("Xác nhận của cơ quan (tổ chức)")
    model_note = para(docx.Document(str(PHULUC3)), "(Chữ ký, dấu)")
    for ours, model in ((title, model_title), (note, model_note)):
        assert ours.alignment == model.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.italic for r in ours.runs) and all(r.italic for r in model.runs if r.text.strip())
        assert not any(r.bold for r in ours.runs)
        assert _size(ours) == 11 == _effective_size(model.text)
    assert name.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in name.runs)
    # below the signature, in the column under the Nơi nhận (the model's own table of its own)
    signature, block = d.tables[-2], d.tables[-1]
    assert "Nơi nhận:" in signature.cell(0, 0).text and "HIỆU TRƯỞNG" in signature.cell(0, 1).text
    assert block.cell(0, 0).paragraphs[0].text == "Xác nhận của Ủy ban nhân dân xã Tề Lỗ"
    assert block.cell(0, 1).text == ""
    report = check_file(out)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


def test_leave_confirmation_true_uses_the_models_words_and_leaves_the_name_blank(tmp_path):
    out = _build(_leave_with(tmp_path, True), tmp_path)
    d = docx.Document(str(out))
    block = d.tables[-1].cell(0, 0)
    assert [p.text for p in block.paragraphs] == [
        "Xác nhận của cơ quan (tổ chức) hoặc chính quyền địa phương nơi nghỉ phép", "(Chữ ký, dấu)", ""]
    report = check_file(out)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


def test_leave_without_confirmation_has_no_block(tmp_path):
    d = docx.Document(str(_build(LEAVE, tmp_path)))
    texts = [p.text for p in all_paragraphs(d)]
    assert not any("Xác nhận" in t or t == "(Chữ ký, dấu)" for t in texts)
    assert len(d.tables) == 2  # the header and the signature only


@pytest.mark.parametrize("value, field", [
    ({"by": ""}, "leave.confirmation.by"),
    ({"who": "UBND xã"}, "leave.confirmation.who"),
    ("yes please", "leave.confirmation"),
])
def test_bad_confirmation_is_a_located_error_and_writes_nothing(tmp_path, value, field):
    path = _leave_with(tmp_path, value)
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "confirmation" in t)
    with pytest.raises(DataError) as exc:
        _build(path, tmp_path)
    assert any(field in text and f":{line}" in text for text in exc.value.lines) or any(
        field in text for text in exc.value.lines), exc.value.lines
    assert all(str(path) in text for text in exc.value.lines)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.docx"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_introduction_line_is_centred_as_the_model(tmp_path):
    d = docx.Document(str(_build(EXAMPLES / "1.8-giay-gioi-thieu.yaml", tmp_path)))
    ours = para(d, "Phòng Giáo dục và Đào tạo huyện Yên Lạc trân trọng giới thiệu:")
    model = _model_paragraph("……………2………… trân trọng giới thiệu:")
    assert ours.alignment == model.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert ours.paragraph_format.first_line_indent in (None, 0)
    assert para_starting(d, "Ông (bà):").alignment == WD_ALIGN_PARAGRAPH.JUSTIFY  # the rest stays justified
    report = check_file(_build(EXAMPLES / "1.8-giay-gioi-thieu.yaml", tmp_path))
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


def test_a_centred_body_line_elsewhere_is_still_flagged(tmp_path):
    """The checker accepts the centred line of a giấy giới thiệu, not any centred body text."""
    from docx_helpers import broken

    built = _build(EXAMPLES / "1.8-giay-gioi-thieu.yaml", tmp_path)
    bad = broken(built, tmp_path, lambda d: setattr(para_starting(d, "Được cử đến:"), "alignment",
                                                     WD_ALIGN_PARAGRAPH.CENTER))
    assert "FMT-005" in check_file(bad).codes("error")


def test_copy_marks_and_codes_are_defined_once():
    import dispatch_gen
    from typing import get_args

    from dispatch_gen.cli.commands import copy_
    from dispatch_gen.model import COPY_MARKS, COPY_TYPE_CODES, CopyKind

    assert tuple(COPY_MARKS) == tuple(COPY_TYPE_CODES) == get_args(CopyKind)
    assert tuple(next(p for p in copy_.params if p.name == "kind").type.choices) == get_args(CopyKind)
    package = Path(dispatch_gen.__file__).parent
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        if source.name != "model.py":
            assert '"SAO LỤC"' not in text and '"trich-sao": "TrS"' not in text, source


def _edited(tmp_path: Path, example: str, change) -> Path:
    data = _load(EXAMPLES / example)
    change(data)
    path = tmp_path / example
    _dump(data, path)
    return path


@pytest.mark.parametrize("person, line", [("Nguyễn Thị Hoa", "Ông (bà): Nguyễn Thị Hoa."),
                                          ("Bà Nguyễn Thị Hoa", "Bà Nguyễn Thị Hoa.")])
def test_a_name_typed_with_its_own_ong_ba_is_not_addressed_twice(tmp_path, person, line):
    """Mẫu 1.8's `Ông (bà) …5…` is where the form of address goes: `Ông (bà): Bà …` was printed."""
    path = _edited(tmp_path, "1.8-giay-gioi-thieu.yaml", lambda d: d["introduction"].update(person=person))
    texts = [p.text for p in docx.Document(str(_build(path, tmp_path))).paragraphs]
    assert line in texts and not any("Ông (bà): Bà" in t for t in texts)


def test_a_leave_for_a_name_typed_with_ong_reads_as_a_sentence(tmp_path):
    path = _edited(tmp_path, "1.10-giay-nghi-phep.yaml", lambda d: d["leave"].update(person="Ông Nguyễn Văn Tuấn"))
    texts = [p.text for p in docx.Document(str(_build(path, tmp_path))).paragraphs]
    assert any(t.startswith("Xét Đơn đề nghị nghỉ phép") and "của ông Nguyễn Văn Tuấn," in t for t in texts)
    assert "Ông Nguyễn Văn Tuấn." in texts


def test_a_joint_invitation_names_every_issuing_body(tmp_path):
    """Two bodies invite together (giấy mời liên tịch): the line names both, as ô 2 of Mẫu 1.7 does."""
    def joint(d):
        d["issuers"].append({"name": "Công đoàn Giáo dục huyện Yên Lạc", "code": "CĐGD"})
        d["signers"] = [{"issuer": "PGD&ĐT", "position": "Trưởng phòng", "name": "Đỗ Văn Minh"},
                        {"issuer": "CĐGD", "authority": "TM.", "for": "BAN THƯỜNG VỤ", "position": "Chủ tịch",
                         "name": "Lê Thị Hạnh"}]
    path = _edited(tmp_path, "1.7-giay-moi.yaml", joint)
    texts = [p.text for p in docx.Document(str(_build(path, tmp_path))).paragraphs]
    assert any(t.startswith("Phòng Giáo dục và Đào tạo huyện Yên Lạc và Công đoàn Giáo dục huyện Yên Lạc "
                            "trân trọng kính mời:") for t in texts), texts


def test_joint_signers_with_unequal_title_lines_sign_on_one_line(tmp_path):
    """`TM. BAN THƯỜNG VỤ` / `KT. BÍ THƯ` / `PHÓ BÍ THƯ` beside `KT. TRƯỞNG PHÒNG` / `PHÓ TRƯỞNG
    PHÒNG`: the shorter block gets a blank line under its position, so the two names line up."""
    def joint(d):
        d["issuers"].append({"name": "Huyện đoàn Yên Lạc", "code": "HĐ"})
        d["signers"] = [{"issuer": "PGD&ĐT", "authority": "KT.", "for": "TRƯỞNG PHÒNG", "position": "Phó Trưởng phòng",
                         "name": "Đỗ Văn Minh"},
                        {"issuer": "HĐ", "authority": "TM.", "for": "BAN THƯỜNG VỤ", "then_authority": "KT.",
                         "then_for": "BÍ THƯ", "position": "Phó Bí thư", "name": "Lê Thị Hạnh"}]
    d = docx.Document(str(_build(_edited(tmp_path, "1.7-giay-moi.yaml", joint), tmp_path)))
    row = next(t for t in d.tables if "Đỗ Văn Minh" in "".join(c.text for c in t.rows[0].cells)).rows[0]
    blocks = [[p.text for p in c.paragraphs] for c in row.cells]
    at = [next(i for i, t in enumerate(b) if t in ("Lê Thị Hạnh", "Đỗ Văn Minh")) for b in blocks]
    assert at[0] == at[1], blocks
    report = check_file(_build(_edited(tmp_path, "1.7-giay-moi.yaml", joint), tmp_path))
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]
