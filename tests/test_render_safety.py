"""People's text renders safely: escaped, NFC, sandboxed, and strict about missing values."""
from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from docx import Document as Docx

from dispatch_gen import api
from dispatch_gen.errors import TemplateError
from dispatch_gen.readers.docx_text import paragraphs
from dispatch_gen.render.engine import CompiledTemplate
from dispatch_gen.render.template_builder import package
from dispatch_gen.profile import load_profile

from conftest import SAMPLE

NASTY = 'Chi phí 5 < 7 & 9 > 3, "trích dẫn" \'đơn\' </w:t><w:t>x</w:t> {{ 7*7 }} {% if %} 🎉✅'


def nasty_document(tmp_path):
    nfd = unicodedata.normalize("NFD", "Thực hành tiết kiệm, chống lãng phí ở Hà Nội")
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("  - name: Cục Công Thương địa phương", "  - name: 'Cục A & B <Test>'", 1)
    text = text.replace("  - Lãnh đạo Cục\n", f"  - '{NASTY.replace(chr(39), chr(39) * 2)}'\n  - {nfd}\n", 1)
    text = text.replace("    name: Đương Quốc Trịnh", f"    name: {nfd[:9]}", 1)
    path = tmp_path / "nasty.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_special_characters_and_nfd_render_intact(tmp_path):
    doc = api.load_document(nasty_document(tmp_path))
    data = api.render(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
    paras = paragraphs(data)
    assert f"- {NASTY};" in paras, "special characters survive as text, not markup"
    assert "CỤC A & B <TEST>" in paras
    nfc = unicodedata.normalize("NFC", "Thực hành tiết kiệm, chống lãng phí ở Hà Nội")
    assert f"- {nfc};" in paras
    assert all(unicodedata.is_normalized("NFC", p) for p in paras)
    Docx(io.BytesIO(data))  # python-docx opens it
    # every other paragraph of the dispatch is still there (nothing swallowed by the markup)
    assert len(paras) == len(paragraphs(api.render(api.load_document(SAMPLE)))) + 1


def _template_with(tmp_path, body_xml: str):
    data = package(load_profile("decree30"), body_xml)
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    return CompiledTemplate(path)


def _p(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_missing_value_is_an_error_not_an_empty_string(tmp_path):
    tpl = _template_with(tmp_path, _p("{{ nothing_here }}"))
    with pytest.raises(TemplateError, match="nothing_here"):
        tpl.render({"core": {"title": "", "subject": "", "author": "", "keywords": "", "created": "", "modified": ""}})


def test_sandbox_blocks_python_internals(tmp_path):
    tpl = _template_with(tmp_path, _p("{{ x.__class__.__mro__[1].__subclasses__() }}"))
    core = {"title": "", "subject": "", "author": "", "keywords": "", "created": "", "modified": ""}
    with pytest.raises(TemplateError):
        tpl.render({"x": "a", "core": core})


def test_broken_template_is_a_clear_error(tmp_path):
    tpl_path = tmp_path / "phat-dong.docx"
    tpl_path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(TemplateError, match="not a .docx"):
        CompiledTemplate(tpl_path)
    bad = package(load_profile("decree30"), _p("{% for x in %}"))
    (tmp_path / "bad.docx").write_bytes(bad)
    with pytest.raises(TemplateError, match="Jinja syntax error"):
        CompiledTemplate(tmp_path / "bad.docx")


def test_a_line_break_typed_in_a_value_is_a_line_break(tmp_path):
    """A clerk's `|` block in YAML keeps its lines: each is a line of the same paragraph."""
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "closing:\n  - >-\n", "closing:\n  - |-\n    Dòng thứ nhất\n    Dòng thứ hai./.\n  - >-\n", 1)
    path = tmp_path / "lines.yaml"
    path.write_text(text, encoding="utf-8")
    data = api.render(api.load_document(path))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "Dòng thứ nhất</w:t><w:br/>" in xml
    assert "Dòng thứ nhất\nDòng thứ hai./." in paragraphs(data)
