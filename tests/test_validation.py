"""Bad input: one located line per problem, exit status 1, no traceback, nothing written."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.cli import main

from conftest import SAMPLE


def edited(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in ln)


CASES = {
    "unknown authority": (("    authority: KT.", "    authority: KX."), "    authority: KX.",
                          "signers[1].authority: 'KX.' is not one of TM., KT., Q., TL., TUQ."),
    "impossible date": (("date: 2024-01-12", "date: 2024-02-30"), "date: 2024-02-30",
                        "date: '2024-02-30' is not a valid date"),
    "wrong type": (("number: 31 ", "number: ba-mốt "), "number: ba-mốt", "number: input should be a valid integer"),
    "unknown key": (("\nplace: Hà Nội", "\nplase: Hà Nội"), "plase: Hà Nội", "plase: unknown key (did you mean 'place'?)"),
    # (recipients may be empty since issue 9: a document without Nơi nhận is a validate warning)
    "empty code": (("    code: CTĐP\n", "    code: ''\n"), "    code: ''", "issuers[0].code: string should have at least 1 character"),
    "missing name": (("    name: Đoàn Mạnh Trường\n", ""), "  - issuer: CĐC", "signers[0].name: required field is missing"),
    "nested unknown key": (("    position: Chủ tịch", "    positon: Chủ tịch"), "    positon: Chủ tịch",
                           "signers[0].positon: unknown key (did you mean 'position'?)"),
    "bad placeholder": (("Năm {year} là năm", "Năm {yaer} là năm"), "Năm {yaer} là năm", "opening[0]: unknown placeholder {yaer}"),
    # a placeholder left open would be printed as typed (`{year./.`) in an issued document
    "unclosed placeholder": (("Năm {year} là năm", "Năm {year là năm"), "Năm {year là năm",
                             "opening[0]: a lone `{`: close the placeholder (`{year}` …), or type `{{` to print the brace itself"),
    # the commonest YAML slip: text with `, ` or `: ` read as keys; the message says to quote it
    "comma inside braces": (("{name: Công đoàn Bộ, purpose", "{name: Công đoàn Bộ, Công đoàn Cục, purpose"),
                            "Công đoàn Bộ, Công đoàn Cục", "recipients[1].Công đoàn Cục: “Công đoàn Cục” is not a key: "
                            "a text with `,` or `: ` in it must be in quotes"),
    "colon in a text": (("  - Đảng ủy Cục\n", "  - Đảng ủy Cục: để b/c\n"), "  - Đảng ủy Cục: để b/c",
                        "recipients[2].Đảng ủy Cục: “Đảng ủy Cục” is not a key"),
    "lone closing brace": (("Năm {year} là năm", "Năm year} là năm"), "Năm year} là năm",
                           "opening[0]: a lone `}`: close the placeholder (`{year}` …), or type `}}` to print the brace itself"),
}


def test_escaped_braces_are_printed_and_not_errors(tmp_path):
    path = edited(tmp_path, ("Năm {year} là năm", "Năm {year} ({{dự kiến}}) là năm"))
    out = api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    assert any("Năm 2024 ({dự kiến}) là năm" in p.text for p in docx.Document(str(out.path)).paragraphs)


@pytest.mark.parametrize("case", sorted(CASES))
def test_located_error(tmp_path, case):
    (old, new), located, message = CASES[case]
    path = edited(tmp_path, (old, new))
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"),
                                       "--registry", str(tmp_path / "book.sqlite")])
    assert result.exit_code == 1
    expected_line = line_of(path, located)
    assert f"{path}:{expected_line}: {message}" in result.output, result.output
    assert not (tmp_path / "out").exists(), "no output file for bad data"
    assert not (tmp_path / "book.sqlite").exists(), "no number consumed for bad data"


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nissuers: [\n  - a\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {path}:3:3: YAML syntax error")


def test_every_problem_reported_at_once(tmp_path):
    path = edited(tmp_path, ("    authority: KT.", "    authority: KX."), ("date: 2024-01-12", "date: 2024-02-30"),
                  ("\nplace: Hà Nội", "\nplase: Hà Nội"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert len(lines) == 4, result.output  # the three edits and the now-missing `place`
    assert any("place: required field is missing" in ln for ln in lines)


def test_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "nope.yaml: file not found" in result.output


def test_valid_sample_validates():
    result = CliRunner().invoke(main, ["validate", str(SAMPLE)])
    assert result.exit_code == 0 and result.output.strip().endswith(": ok")


def test_console_script_prints_no_traceback(tmp_path):
    path = edited(tmp_path, ("    authority: KT.", "    authority: KX."))
    proc = subprocess.run([sys.executable, "-m", "dispatch_gen", "build", str(path), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"error: {path}:{line_of(path, 'authority: KX.')}: signers[1].authority: 'KX.' is not one of TM., KT., Q., TL., TUQ."
    ]


def test_failed_build_keeps_the_earlier_output(tmp_path):
    """A good file stays untouched when a later build of the same document fails."""
    from dispatch_gen.errors import TemplateError
    from dispatch_gen import api

    out = tmp_path / "out"
    good = api.build(SAMPLE, out_dir=out, registry=tmp_path / "b.sqlite").path
    before = good.read_bytes()
    broken_templates = tmp_path / "tpl"
    broken_templates.mkdir()
    (broken_templates / "phat-dong.docx").write_bytes(b"not a zip")
    with pytest.raises(TemplateError):
        api.build(SAMPLE, out_dir=out, registry=tmp_path / "b.sqlite", templates_dir=broken_templates)
    assert good.read_bytes() == before
    assert sorted(p.name for p in good.parent.iterdir()) == [good.name], "no temporary file left"


def test_a_text_line_with_a_colon_says_to_quote_it(tmp_path):
    """`- Ủy ban nhân dân xã báo cáo như sau:` in a list of texts is read by YAML as a key: the
    message says what happened and what to type, on the line."""
    text = SAMPLE.read_text(encoding="utf-8").replace("closing:\n", "closing:\n  - Thời gian: 8 giờ\n", 1)
    assert "  - Thời gian: 8 giờ" in text
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert (f"{path}:{line_of(path, 'Thời gian: 8 giờ')}: closing[0]: text with `: ` in it (or ending with `:`) "
            "must be in quotes") in result.output, result.output
    assert "YAML read “Thời gian: 8 giờ” as a key and its value" in result.output
