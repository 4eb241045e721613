"""Every limit on what we read, in one place (the README's "Limits and safety" lists them).

Data files are text from people and Word/Excel files come from anywhere: each reader checks its
input against these figures *before* the work that would blow up (parsing, inflating, expanding),
so a hostile or broken file costs at most a few seconds and a few tens of MB, and ends in one
located error line.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import IO, Union

from .errors import DataError, DispatchGenError, Problem

# --- data files (YAML, .txt imports) -------------------------------------------------------------
MAX_DATA_BYTES = 4 * 1024 * 1024
"""A data or results file: the sample dispatch is 11 kB, a 300-unit results file about 300 kB."""
MAX_DEPTH = 24
"""Nesting of mappings and lists in a data file (ours need 7)."""
MAX_STRING = 20_000
"""Characters in one value (a long paragraph is 2,000)."""
MAX_ITEMS = 10_000
"""Items of one list or keys of one mapping (units, people, paragraphs …)."""
MAX_NODES = 50_000
"""Values, lists and mappings in one file (a 300-unit results file has about 10,000); the YAML
reader handles some 20,000 a second, so this bounds the time a file can take."""
# YAML aliases (`*name`) are refused outright: our format never needs them, and they are how a
# 1 kB file expands to gigabytes (the "billion laughs").

# --- zip containers (.docx, .xlsx) ---------------------------------------------------------------
MAX_ZIP_MEMBERS = 2_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""Uncompressed size of one member (a 50-page report's document.xml is about 2 MB)."""
MAX_UNZIPPED_BYTES = 160 * 1024 * 1024
"""Uncompressed size of all members together (pictures included)."""
MAX_RATIO = 100
"""Uncompressed/compressed ratio of a member larger than `RATIO_FLOOR` (Word XML is 5–20)."""
RATIO_FLOOR = 1024 * 1024

# --- template rendering ---------------------------------------------------------------------------
MAX_RANGE = 100_000
"""Items of one `range()` in a template."""
MAX_POWER_DIGITS = 1_000
"""Digits of the result of `**` in a template."""
MAX_REPEAT = 4_000_000
"""Length of a text or list a template makes with `*`, `+`, `~`, a filter or a text method."""
MAX_LOOP_STEPS = 500_000
"""Loop iterations of one rendering of one template part (nested loops multiply)."""
MAX_RENDER_DEPTH = 64
"""Nested macro calls (a recursive macro stops here)."""
MAX_OUTPUT_CHARS = 32 * 1024 * 1024
"""Characters one template part may render to."""

# --- text characters ------------------------------------------------------------------------------
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold: C0 controls but tab, LF, CR; U+FFFE/FFFF; lone surrogates."""

# --- identifiers ----------------------------------------------------------------------------------
MAX_ID = 80
"""Characters of a document `id` (it names files: `<id>-du-thao.docx`)."""
MAX_CODE = 40
"""Characters of an issuer `code`, `type_code` or `drafting_unit` (parts of the ký hiệu)."""

Source = Union[str, os.PathLike, bytes, IO[bytes]]


def describe_char(ch: str) -> str:
    """`U+0000 (NUL)` style name of a character that cannot be typed visibly."""
    names = {0: "NUL", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "ESC", 0x7F: "DEL",
             0xFFFE: "non-character", 0xFFFF: "non-character"}
    code = ord(ch)
    name = names.get(code) or ("surrogate" if 0xD800 <= code <= 0xDFFF else
                               "control character" if code < 0x20 or 0x80 <= code < 0xA0 else "special character")
    return f"U+{code:04X} ({name})"


def illegal_char(text: str) -> tuple[int, str] | None:
    """(position, description) of the first character XML 1.0 cannot hold, or None."""
    m = XML_ILLEGAL.search(text)
    return (m.start(), describe_char(m.group(0))) if m else None


def check_file_size(path: str | os.PathLike, limit: int = MAX_DATA_BYTES, what: str = "data file") -> None:
    """Refuse a file larger than `limit` before reading it (missing files are left to the reader)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return
    if size > limit:
        raise DataError(Problem(str(path), f"{size / 1048576:.1f} MB is more than a {what} may hold "
                                           f"({limit // 1048576} MB)"))


def zip_problem(zf: zipfile.ZipFile) -> str | None:
    """What makes a zip unsafe to inflate, read from its central directory only (no inflating)."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        return f"{len(infos)} members in the zip (at most {MAX_ZIP_MEMBERS})"
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES:
            return (f"member {info.filename} inflates to {info.file_size / 1048576:.0f} MB "
                    f"(at most {MAX_MEMBER_BYTES // 1048576} MB)")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return (f"member {info.filename} inflates {info.file_size // max(info.compress_size, 1)} times "
                    f"(a zip bomb? at most {MAX_RATIO} times)")
        total += info.file_size
    if total > MAX_UNZIPPED_BYTES:
        return f"the zip inflates to {total / 1048576:.0f} MB (at most {MAX_UNZIPPED_BYTES // 1048576} MB)"
    return None


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def dtd_problem(zf: zipfile.ZipFile) -> str | None:
    """An XML member declaring a DTD or entities (Word and Excel never write one; entity bombs
    and external entities need one), found by streaming each member once."""
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        tail = b""
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 16):
                if _DTD.search(tail + chunk):
                    return f"member {info.filename} declares a DTD or entities (not allowed)"
                tail = chunk[-16:]
    return None


def check_zip(source: Source, where: str | None = None, what: str = "Word or Excel file",
              error: type[DispatchGenError] = DataError) -> None:
    """Refuse a .docx/.xlsx whose members are too large or compress too well, before inflating,
    or whose XML declares a DTD or entities.

    Python's zipfile stops at the size a member declares (and fails its CRC), so checking the
    declared sizes bounds what any later reader (python-docx, openpyxl, docxtpl) can inflate.
    A file that is not a zip is left to the reader, which says so in its own words.
    """
    name = where or (str(source) if not isinstance(source, (bytes, io.IOBase)) else what)
    try:
        if isinstance(source, bytes):
            zf = zipfile.ZipFile(io.BytesIO(source))
        elif isinstance(source, (str, os.PathLike)):
            zf = zipfile.ZipFile(Path(source))
        else:
            pos = source.tell()
            zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    try:
        problem = zip_problem(zf) or dtd_problem(zf)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        problem = None  # a broken member: the reader reports it
    finally:
        zf.close()
        if not isinstance(source, (bytes, str, os.PathLike)):
            source.seek(pos)
    if problem:
        message = f"refused: {problem}"
        raise error(Problem(name, message) if error is DataError else f"{name}: {message}")


def xml_parser():
    """An lxml parser for XML from outside: no entities resolved, no DTD, no network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
