"""Property-based fuzzing of the data files (hypothesis).

Each generated data file gives either a document whose text, read back with python-docx, is the
text typed (NFC), or located error lines, exit 1, no file and no number used — never a traceback.

Profiles: `ci` (the default, a few hundred examples in all) and `long` for a manual run:
    HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from hostile import SAMPLE, book_entries, files_under  # noqa: E402

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_VN = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
       "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ")
_PUNCT = " ,.;:()-/%<>&\"'!?–…0123456789"
_COMBINING = "\u0300\u0301\u0303\u0309\u0323"  # typed NFD: must come out NFC
_HOSTILE = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\uffff", "\ud800", "\udfff"]
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

texts = st.lists(
    st.one_of(st.sampled_from(_VN), st.sampled_from(_VN), st.sampled_from(_PUNCT), st.sampled_from(_COMBINING),
              st.sampled_from(_HOSTILE), st.characters(codec="utf-8", exclude_characters="*{}\\\n\r\t\x85\u2028\u2029")),
    min_size=0, max_size=60,
).map("".join)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: controls, non-characters and surrogates as escapes."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _cli(*args):
    from click.testing import CliRunner

    from dispatch_gen.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def _docx_text(path: Path) -> list[str]:
    from docx import Document as Docx

    return [p.text for p in Docx(str(path)).paragraphs]


def _expect_errors(result, data: Path, tmp: Path) -> list[str]:
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, BaseException) or isinstance(result.exception, SystemExit), result.exception
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error: ")]
    assert lines, result.output
    for line in lines:
        assert re.match(rf"error: {re.escape(str(data))}:\d+", line), line
    assert [p for p in files_under(tmp / "out") if p.is_file()] == []
    assert book_entries(tmp / "book.sqlite") == []
    return lines


@given(text=texts)
def test_any_text_in_a_value_renders_as_typed_or_is_a_located_error(tmp_path_factory, text):
    tmp = tmp_path_factory.mktemp("fuzz")
    source = SAMPLE.read_text(encoding="utf-8")
    marker = "  - Lãnh đạo Cục\n"
    line_no = source[:source.index(marker)].count("\n") + 1
    data = tmp / "data.yaml"
    data.write_text(source.replace(marker, f"  - {_quoted(text)}\n", 1), encoding="utf-8", errors="surrogatepass")
    result = _cli("issue", data, "-o", tmp / "out", "--registry", tmp / "book.sqlite")
    expected = unicodedata.normalize("NFC", text).strip()
    if _ILLEGAL.search(text) or not expected:
        lines = _expect_errors(result, data, tmp)
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"error: {data}:{line_no}: recipients[3]"), lines
        assert data.read_text(encoding="utf-8", errors="surrogatepass").count("\nnumber: 31") == 1
        return
    assert result.exit_code == 0, result.output
    out = Path(result.stdout.strip().splitlines()[0])
    assert f"- {expected};" in _docx_text(out)
    assert [row[2] for row in book_entries(tmp / "book.sqlite")] == [31]


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), texts.filter(lambda t: not _ILLEGAL.search(t)),
                     st.dates().map(lambda d: d.isoformat()))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.sampled_from(["name", "text", "code", "x", "items", "targets"]), inner, max_size=4)),
                       max_leaves=12)
_KEYS = ["id", "number", "date", "issuers", "signers", "recipients", "sections", "targets", "opening", "archive",
         "title", "year", "unsorted", "type_code", "place", "anniversaries", "urgency", "zz_unknown"]


@given(key=st.sampled_from(_KEYS), value=_values)
def test_any_structure_under_any_key_is_a_document_or_located_errors(tmp_path_factory, key, value):
    from ruamel.yaml import YAML

    tmp = tmp_path_factory.mktemp("fuzz")
    yaml = YAML(typ="rt")
    doc = yaml.load(SAMPLE.read_text(encoding="utf-8"))
    doc[key] = value
    data = tmp / "data.yaml"
    buf = io.StringIO()
    yaml.dump(doc, buf)
    data.write_text(buf.getvalue(), encoding="utf-8")
    result = _cli("build", data, "-o", tmp / "out", "--registry", tmp / "book.sqlite")
    if result.exit_code == 0:
        out = Path(result.stdout.strip().splitlines()[0])
        assert out.is_file() and _docx_text(out)
        return
    _expect_errors(result, data, tmp)
