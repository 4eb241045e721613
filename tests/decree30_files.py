"""Decree 30's own files (`../shared/reference/decree30/` beside the repository) and the models of
Phụ lục III cut out into documents of their own."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parent.parent
DECREE30 = ROOT.parent / "shared" / "reference" / "decree30"
CAPTION = re.compile(r"^\s*Mẫu\s+(\d+\.\d+)\b")


def reference(name: str) -> Path:
    """A file of the decree, or a skip saying where it was looked for."""
    path = DECREE30 / name
    if not path.is_file():
        pytest.skip(f"Decree 30 reference file not found: {path} (CI puts shared/ beside the clone)")
    return path


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def model_names(src: Path) -> list[str]:
    body = docx.Document(str(src)).element.body
    return [m.group(1) for el in body if el.tag == qn("w:p") and (m := CAPTION.match(_text(el)))]


def cut_model(src: Path, name: str, out: Path) -> Path:
    """Model `name` (`1.1` …) of Phụ lục III as a .docx of its own: from its caption `Mẫu 1.1 - …`
    to the next model's caption, with the file's page setup."""
    document = docx.Document(str(src))
    body = document.element.body
    kids = list(body)
    starts = [(i, m.group(1)) for i, el in enumerate(kids)
              if el.tag == qn("w:p") and (m := CAPTION.match(_text(el)))]
    at = [k for k, (_, n) in enumerate(starts) if n == name][0]
    first = starts[at][0]
    end = starts[at + 1][0] if at + 1 < len(starts) else len(kids)
    for i, el in enumerate(kids):
        if el.tag != qn("w:sectPr") and not first <= i < end:
            body.remove(el)
    path = out / f"mau-{name}.docx"
    document.save(str(path))
    return path
