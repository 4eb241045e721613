"""`validate` knows placeholders: `?`, dotted blanks, TODO, an empty signer name and unsorted lines
are warnings, errors with `--strict`, and `issue` refuses them (nothing numbered, nothing written)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.cli import main
from dispatch_gen.errors import DataError
from dispatch_gen.readers.gaps import gaps

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed-2024-31-PDTD-CTDP-CDC.txt"

CLEAN = """\
id: cong-van-gaps
issuers:
  - {name: Ủy ban nhân dân quận Ba Đình, code: UBND}
place: Hà Nội
year: 2024
subject: Triển khai phong trào thi đua năm 2024
addressees: [Phòng Nội vụ]
opening: ["Đề nghị các đơn vị triển khai các hoạt động… theo kế hoạch./."]
signers:
  - {authority: KT., for: CHỦ TỊCH, position: PHÓ CHỦ TỊCH, name: Nguyễn Văn A}
recipients: [Như trên]
archive: [VT]
"""


def write(tmp_path: Path, text: str, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("value, mark", [
    ("?", "`?`"),
    ("Số: ?", "`?`"),
    ("TODO", "TODO"),
    ("Hội nghị ngày …… tháng …… năm 2024", "blank `……`"),
    ("……", "blank `……`"),
    ("Giao phòng ... chủ trì", "blank `...`"),
    ("Chủ trì: ...........", "blank `...........`"),
])
def test_placeholder_marks_are_gaps(value, mark):
    found = gaps({"opening": [value]})
    assert found and found[0][0] == ("opening", 0) and found[0][1].startswith(mark)


@pytest.mark.parametrize("value", [
    "Các hoạt động văn hóa, thể thao…",            # an ellipsis ending a list is text
    "Vì sao phải thi đua?",                          # a question is text
    "Tỷ lệ đạt 92,5% (năm 2023: 90%).",
    "Mã số: TODOLIST-1",                             # not the word TODO
])
def test_ordinary_text_is_not_a_gap(value):
    assert gaps({"opening": [value]}) == []


def test_clean_file_is_ok(tmp_path):
    path = write(tmp_path, CLEAN)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and result.output.strip() == f"{path}: ok"
    assert api.validate_data(path)[1] == []


def test_gaps_are_warnings_then_errors_with_strict(tmp_path):
    text = CLEAN.replace("name: Nguyễn Văn A", "name: ''").replace("Phòng Nội vụ", "'?'") \
        + "unsorted: ['header: một dòng lạ']\n"
    path = write(tmp_path, text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "ok" not in result.output.replace("valid", "")
    assert f"{path}: valid, 3 gap(s) to fill before issuing" in result.output
    assert f"warning: {path}:7: addressees[0]: `?` is a placeholder" in result.output
    assert f"warning: {path}:10: signers[0].name: signer's name is empty" in result.output
    assert f"warning: {path}:13: unsorted: 1 imported line(s) not yet placed" in result.output
    strict = CliRunner().invoke(main, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.output.count("error: ") == 3 and "Traceback" not in strict.output
    with pytest.raises(DataError):
        api.validate(path, strict=True)
    assert api.validate(path).signers[0].name == ""  # valid for a draft


def test_issue_refuses_gaps_and_consumes_nothing(tmp_path):
    path = write(tmp_path, CLEAN.replace("Phòng Nội vụ", "……"))
    book = tmp_path / "book.sqlite"
    result = CliRunner().invoke(main, ["issue", str(path), "-o", str(tmp_path / "out"), "--registry", str(book)])
    assert result.exit_code == 1
    assert "a document with gaps cannot be issued" in result.output and "addressees[0]" in result.output
    assert not (tmp_path / "out").exists() and not book.exists()
    assert "number:" not in path.read_text(encoding="utf-8")
    # a draft may still be built with its gaps
    assert api.build(path, tmp_path / "draft", registry=book).status == "draft"


def test_imported_file_with_gaps_is_not_ok(tmp_path):
    """The seed without its signers' names: the import leaves the names empty, and `validate` says so."""
    text = SEED.read_text(encoding="utf-8").replace("Đoàn Mạnh Trường\n", "").replace("Đương Quốc Trịnh\n", "")
    source = write(tmp_path, text, "no-names.txt")
    out = tmp_path / "seed.yaml"
    result = api.import_document(source, out)
    assert [s["name"] for s in result.data["signers"]] == ["", ""]
    checked = CliRunner().invoke(main, ["validate", str(out)])
    assert checked.exit_code == 0 and f"{out}: ok" not in checked.output
    assert "valid, 2 gap(s) to fill" in checked.output and "signers[1].name: signer's name is empty" in checked.output
    assert CliRunner().invoke(main, ["validate", "--strict", str(out)]).exit_code == 1


def test_unexpected_import_failure_is_one_line_naming_the_file(tmp_path, monkeypatch):
    """Any exception inside import is a bug; the CLI still prints one line, never a traceback."""
    import dispatch_gen.readers.docx_import as docx_import

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(docx_import, "parse", broken)
    result = CliRunner().invoke(main, ["import", str(SEED), "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {SEED}: import failed (KeyError")
    assert not (tmp_path / "s.yaml").exists()
