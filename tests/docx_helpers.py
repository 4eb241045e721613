"""Reading and breaking .docx files in tests with python-docx."""
from __future__ import annotations

from pathlib import Path

import docx


def all_paragraphs(document):
    """Every paragraph in reading order: body, then table cells (nested tables included)."""
    yield from document.paragraphs
    for table in document.tables:
        yield from _table_paragraphs(table)


def _table_paragraphs(table):
    for row in table.rows:
        for cell in row.cells:
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from _table_paragraphs(inner)


def para(document, text: str):
    """The paragraph whose whole text (stripped) is `text`."""
    for p in all_paragraphs(document):
        if p.text.strip() == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def para_starting(document, start: str):
    for p in all_paragraphs(document):
        if p.text.startswith(start):
            return p
    raise AssertionError(f"no paragraph starts with {start!r}")


def set_text(p, text: str) -> None:
    """Replace a paragraph's text, keeping the first run's formatting."""
    p.runs[0].text = text
    for r in p.runs[1:]:
        r.text = ""


def broken(source: Path, tmp_path: Path, change) -> Path:
    """A copy of `source` with `change(document)` applied, saved beside the test."""
    document = docx.Document(str(source))
    change(document)
    out = tmp_path / f"broken-{source.name}"
    document.save(str(out))
    return out
