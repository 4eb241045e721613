"""Gaps in data: the places a person still has to fill before a document can be issued.

An imported file (or a copied form) carries marks where something was not known: `?`, dotted
blanks (`……`, `...`), `TODO`, an empty signer name, lines left under `unsorted`. They are valid
data (a draft can be built with them), so `validate` reports them as warnings, `validate
--strict` as errors, and `issue` refuses a document that still has one.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from ..errors import DataError, Problem
from ..model import Document
from .yaml_data import field_path, line_of, load_yaml, validation_problems

# A mark standing alone, as a whole value or a word of its own (`Số: ?`, `ngày … tháng`): an
# ellipsis inside a sentence (`các hoạt động…`) is text, a run of them (`……`) is a form's blank.
_QUESTION = re.compile(r"(?:^|(?<=[\s:(]))\?+(?=$|[\s;,.)])")
_DOTS = re.compile(r"(?:^|(?<=[\s:(/]))(?:…|\.{3,})+(?=$|[\s;,)/])|…{2,}|\.{4,}")
_TODO = re.compile(r"\b(?:TODO|FIXME)\b")
# Keys whose values are not document text.
_SKIP = {"id", "template", "profile", "unsorted"}


def _strings(node: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, str):
        yield loc, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if not loc and key in _SKIP:
                continue
            yield from _strings(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*loc, i))


def _mark(text: str) -> str | None:
    if _TODO.search(text):
        return "TODO"
    if _QUESTION.search(text):
        return "`?`"
    m = _DOTS.search(text)
    if m:
        return f"blank `{m.group(0)}`"
    return None


def gaps(data: Any) -> list[tuple[tuple, str]]:
    """Each gap in loaded data with its location: placeholder marks, empty signer names, unsorted lines."""
    found: list[tuple[tuple, str]] = []
    if not isinstance(data, dict):
        return found
    for loc, text in _strings(data):
        mark = _mark(text)
        if mark:
            found.append((loc, f"{mark} is a placeholder: fill it in ({text.strip()[:60]!r})"))
    signers = data.get("signers")
    for i, signer in enumerate(signers if isinstance(signers, list) else []):
        if isinstance(signer, dict) and not str(signer.get("name") or "").strip():
            found.append((("signers", i, "name"), "signer's name is empty: fill it in before issuing"))
    unsorted = data.get("unsorted")
    if isinstance(unsorted, list) and unsorted:
        found.append((("unsorted",), f"{len(unsorted)} imported line(s) not yet placed: move them into the "
                                     "document or delete them"))
    return found


def gap_problems(path: str | Path, data: Any) -> list[Problem]:
    return [Problem(str(path), msg, line=line_of(data, loc), field=field_path(loc))
            for loc, msg in gaps(data)]


def load_checked(path: str | Path, strict: bool = False) -> tuple[Document, list[Problem]]:
    """Load and validate a data file; return the document and its gaps as warnings.

    Errors raise DataError; with `strict`, gaps are errors too (reported with them).
    """
    path = Path(path)
    data = load_yaml(path)
    doc, problems = validation_problems(path, data)
    found = gap_problems(path, data)
    if strict:
        problems = problems + found
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.line or 0, p.field or "")))
    return doc, ([] if strict else found)  # type: ignore[return-value]


def refuse_gaps(path: str | Path) -> None:
    """`issue` takes a number for good: a document with a gap is refused, every gap named."""
    path = Path(path)
    data = load_yaml(path)
    found = gap_problems(path, data)
    if found:
        raise DataError([Problem(p.file, f"{p.message} (a document with gaps cannot be issued)", p.line, p.field)
                         for p in found])
