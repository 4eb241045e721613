"""Every hostile or broken input of issue 11, replayed through the real command line.

Each case: one located `error:` line, exit 1, no traceback, under 5 CPU seconds and 300 MB, and
nothing left behind (no output file, no temp file, no number in the book, the data file as it was).
"""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from hostile import (RESULTS_XLSX, ROOT, SAMPLE, assert_one_located_error, book_entries, files_under, run_cli,
                     sample_regex, sample_with)

TEMPLATE = ROOT / "templates" / "phat-dong.docx"


def _alias_bomb(indent: str) -> str:
    lines = [f"{indent}l0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"{indent}l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def _nothing_left(tmp_path: Path, data: Path | None = None, before: bytes | None = None) -> None:
    out = tmp_path / "out"
    assert files_under(out) == [], files_under(out)
    assert book_entries(tmp_path / "book.sqlite") == []
    if data is not None and before is not None:
        assert data.read_bytes() == before


def _build(tmp_path: Path, data: Path, *extra: str, command: str = "build"):
    before = data.read_bytes()
    run = run_cli(command, data, "-o", tmp_path / "out", "--registry", tmp_path / "book.sqlite", *extra)
    return run, before


# --- YAML: aliases, nesting, size -----------------------------------------------------------------

def test_alias_bomb_under_an_unknown_key(tmp_path):
    data = sample_with(tmp_path, "\nsigners:", "\nlol:\n" + _alias_bomb("  ") + "signers:")
    run, before = _build(tmp_path, data)
    line = assert_one_located_error(run, data, r":\d+:\d+: YAML alias \*a0 refused")
    assert re.match(rf"error: {re.escape(str(data))}:(\d+)", line)
    _nothing_left(tmp_path, data, before)


def test_alias_bomb_under_unsorted(tmp_path):
    bomb = "unsorted:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    data = sample_with(tmp_path, "\nsigners:", "\n" + bomb + "signers:")
    run = run_cli("validate", data)
    assert_one_located_error(run, data, r"YAML alias \*a0 refused")


def test_nesting_5000_deep(tmp_path):
    data = sample_with(tmp_path, "\nsigners:", "\nzz: " + "[" * 5000 + "]" * 5000 + "\nsigners:")
    run = run_cli("validate", data)
    assert_one_located_error(run, data, r":\d+:\d+: nested more than \d+ levels deep")


def test_data_file_of_50_mb(tmp_path):
    data = tmp_path / "big.yaml"
    text = SAMPLE.read_text(encoding="utf-8") + "\nunsorted:\n"
    with open(data, "w", encoding="utf-8") as fh:
        fh.write(text)
        line = "  - " + "Dòng nhập chưa xếp chỗ " * 4 + "\n"
        fh.write(line * (50 * 1024 * 1024 // len(line.encode())))
    run = run_cli("validate", data)
    assert_one_located_error(run, data, r"MB is more than a data file may hold")


def test_a_huge_list_stops_at_its_line(tmp_path):
    data = sample_with(tmp_path, "\nsigners:", "\nunsorted:\n" + "  - x\n" * 30_000 + "signers:")
    run = run_cli("validate", data)
    assert_one_located_error(run, data, r":\d+:\d+: a list of more than 10000 items")


def test_a_huge_value_stops_at_its_line(tmp_path):
    data = sample_with(tmp_path, "\nsigners:", "\nunsorted:\n  - " + "x" * 100_000 + "\nsigners:")
    run = run_cli("validate", data)
    assert_one_located_error(run, data, r":\d+:\d+: a value of 100000 characters")


# --- ids, codes, numbers --------------------------------------------------------------------------

def test_id_of_300_characters(tmp_path):
    data = sample_regex(tmp_path, r"^id: .*$", "id: " + "a" * 300)
    run, before = _build(tmp_path, data)
    assert_one_located_error(run, data, r":11: id: 300 characters is too long \(at most 80\)")
    _nothing_left(tmp_path, data, before)


def test_issuer_code_with_a_slash_is_a_validate_error(tmp_path):
    data = sample_with(tmp_path, "code: CTĐP", "code: CT/ĐP")
    assert_one_located_error(run_cli("validate", data), data, r":18: issuers\[0\]\.code: 'CT/ĐP' is part of the ký hiệu")
    run, before = _build(tmp_path, data)
    assert_one_located_error(run, data, "issuers")
    _nothing_left(tmp_path, data, before)


@pytest.mark.parametrize("value", ["CT ĐP", "CT\\\\ĐP", "CT:ĐP", "C" * 41])
def test_other_codes_a_file_name_cannot_hold(tmp_path, value):
    data = sample_with(tmp_path, "code: CTĐP", f'code: "{value}"')
    assert_one_located_error(run_cli("validate", data), data, r":18: issuers\[0\]\.code: ")


def test_number_true_is_not_number_1(tmp_path):
    data = sample_regex(tmp_path, r"^number: .*$", "number: true")
    run, before = _build(tmp_path, data)
    assert_one_located_error(run, data, r":\d+: number: must be a whole number, not true")
    _nothing_left(tmp_path, data, before)


# --- characters XML 1.0 cannot hold ---------------------------------------------------------------

@pytest.mark.parametrize("escape, name", [("\\0", "U+0000"), ("\\v", "U+000B"), ("\\x1f", "U+001F"),
                                          ("\\ufffe", "U+FFFE"), ("\\ud800", "U+D800")])
def test_illegal_characters_are_located_validate_errors(tmp_path, escape, name):
    data = sample_with(tmp_path, "  - Lãnh đạo Cục\n", f'  - "Lãnh đạo{escape} Cục"\n')
    line = assert_one_located_error(run_cli("validate", data), data, rf":\d+: recipients\[\d\]: character {re.escape(name)}")
    assert "position 9" in line
    run, before = _build(tmp_path, data, command="issue")
    assert_one_located_error(run, data, re.escape(name))
    _nothing_left(tmp_path, data, before)


def test_a_raw_control_character_in_the_file_is_located(tmp_path):
    data = sample_with(tmp_path, "  - Lãnh đạo Cục\n", "  - Lãnh đạo\x0b Cục\n")
    assert_one_located_error(run_cli("validate", data), data, r":\d+:13: character U\+000B")


# --- zip bombs and XML entities -------------------------------------------------------------------

def _rewrite(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return dst


def _zip_bomb(src: Path, dst: Path, member: str, megabytes: int = 1024) -> Path:
    """`member` grown with spaces to `megabytes` uncompressed (about 1 MB on disk)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == member:
                with zout.open(member, "w", force_zip64=True) as fh:
                    fh.write(zin.read(info))
                    block = b" " * (1 << 20)
                    for _ in range(megabytes):
                        fh.write(block)
            else:
                zout.writestr(info.filename, zin.read(info))
    return dst


_LOL = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
        + b"]>")
_EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _with_prolog(prolog: bytes, member: str):
    def change(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        return prolog + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
    return change


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory) -> Path:
    return _zip_bomb(TEMPLATE, tmp_path_factory.mktemp("bomb") / "bomb.docx", "word/document.xml")


@pytest.fixture(scope="module")
def xlsx_bomb(tmp_path_factory) -> Path:
    return _zip_bomb(RESULTS_XLSX, tmp_path_factory.mktemp("bomb") / "bomb.xlsx", "xl/worksheets/sheet1.xml")


def test_docx_zip_bomb_check(docx_bomb):
    assert_one_located_error(run_cli("check", docx_bomb), docx_bomb, r"refused: member word/document.xml inflates to 1024 MB")


def test_docx_zip_bomb_import(tmp_path, docx_bomb):
    out = tmp_path / "out" / "imported.yaml"
    assert_one_located_error(run_cli("import", docx_bomb, "-o", out), docx_bomb, "inflates")
    assert files_under(tmp_path / "out") == []


def test_docx_zip_bomb_as_template(tmp_path, docx_bomb):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    shutil.copy(docx_bomb, templates / "phat-dong.docx")
    data = tmp_path / "data.yaml"
    shutil.copy(SAMPLE, data)
    run, before = _build(tmp_path, data, "--templates", templates, command="issue")
    assert_one_located_error(run, templates / "phat-dong.docx", "inflates")
    _nothing_left(tmp_path, data, before)


def test_xlsx_zip_bomb(xlsx_bomb):
    run = run_cli("results", "check", SAMPLE, "--results", xlsx_bomb)
    assert_one_located_error(run, xlsx_bomb, r"refused: member xl/worksheets/sheet1.xml inflates")


@pytest.mark.parametrize("prolog", [_EXTERNAL, _LOL], ids=["external-entity", "entity-bomb"])
def test_xlsx_with_xml_entities(tmp_path, prolog):
    book = _rewrite(RESULTS_XLSX, tmp_path / "x.xlsx", _with_prolog(prolog, "xl/worksheets/sheet2.xml"))
    run = run_cli("results", "check", SAMPLE, "--results", book)
    assert_one_located_error(run, book, r"declares a DTD or entities")


@pytest.mark.parametrize("member", ["xl/worksheets/sheet2.xml", "xl/workbook.xml", "xl/styles.xml"])
def test_xlsx_sheet_that_is_not_xml(tmp_path, member):
    book = _rewrite(RESULTS_XLSX, tmp_path / "x.xlsx", lambda n, d: b"not XML <<<" if n == member else d)
    run = run_cli("results", "check", SAMPLE, "--results", book)
    assert_one_located_error(run, book)


def test_docx_with_an_entity_bomb(tmp_path):
    doc = _rewrite(TEMPLATE, tmp_path / "lol.docx", _with_prolog(_LOL, "word/document.xml"))
    assert_one_located_error(run_cli("check", doc), doc, r"declares a DTD or entities")
    assert_one_located_error(run_cli("import", doc, "-o", tmp_path / "out" / "x.yaml"), doc, "DTD")


# --- output folders that cannot be written --------------------------------------------------------

@pytest.mark.parametrize("where", ["afile/sub", "/proc/dispatch-gen-test"])
def test_output_into_a_folder_that_cannot_be(tmp_path, where):
    (tmp_path / "afile").write_text("x")
    out = Path(where) if where.startswith("/") else tmp_path / where
    data = tmp_path / "data.yaml"
    shutil.copy(SAMPLE, data)
    before = data.read_bytes()
    for command in ("build", "issue"):
        run = run_cli(command, data, "-o", out, "--registry", tmp_path / "book.sqlite")
        assert_one_located_error(run, out)
        assert book_entries(tmp_path / "book.sqlite") == []
        assert data.read_bytes() == before


# --- templates: bounded rendering -----------------------------------------------------------------

_HOSTILE_TAGS = {
    "range": ("{{ range(10**9)|list|length }}", r"range\(\) of 1,000,000,000 items"),
    "power": ("{{ 10**100000 }}", r"10 \*\* 100000 has about 100,000 digits"),
    "list-repeat": ("{{ ([1] * 10**9)|length }}", r"\* would make 1,000,000,000 items"),
    "text-repeat": ("{{ 'a' * 10**9 }}", r"\* would make 1,000,000,000"),
    "nested-loops": ("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
                     r"loops ran more than 500,000 steps"),
    "recursive-macro": ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(1) }}", r"calls nested more than 64 deep"),
    "center": ("{{ 'x'|center(1000000000) }}", r"filter center"),
    "format-width": ("{{ '{:>1000000000}'.format(1) }}", r"field width"),
    "doubling": ("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
                 "{{ ns.s|length }}", r"joining text with ~"),
}


@pytest.mark.parametrize("name", sorted(_HOSTILE_TAGS))
def test_hostile_template_is_one_line_naming_template_and_tag(tmp_path, name):
    from dispatch_gen.profile import load_profile
    from dispatch_gen.render.template_builder import package

    tag, message = _HOSTILE_TAGS[name]
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    body = f'<w:p><w:r><w:t xml:space="preserve">{tag.replace("<", "&lt;")}</w:t></w:r></w:p>'
    (templates / "phat-dong.docx").write_bytes(package(load_profile("decree30"), body))
    data = tmp_path / "data.yaml"
    shutil.copy(SAMPLE, data)
    run, before = _build(tmp_path, data, "--templates", templates, command="issue")
    line = assert_one_located_error(run, "phat-dong.docx: word/document.xml at ", message)
    assert tag.split("%}")[0].split("}}")[0] in line, line  # the tag as typed
    _nothing_left(tmp_path, data, before)
