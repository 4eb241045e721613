"""The text of a .docx, paragraph by paragraph in reading order (body and table cells).

Used for revision diffs, for tests and for checks: it reads the XML directly, so it is fast
enough to run on every build.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p) -> str:
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def paragraphs(docx: bytes | str | Path, keep_empty: bool = False) -> list[str]:
    """Paragraph texts of word/document.xml in document order (table cells included)."""
    raw = Path(docx).read_bytes() if isinstance(docx, (str, Path)) else docx
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    texts = [_para_text(p) for p in root.iter(f"{W}p")]
    return texts if keep_empty else [t for t in texts if t.strip()]
