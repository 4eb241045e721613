"""Replace a data file's text as a person edited it: validated first, never over someone else's save.

An editor (the web page, a script) reads the file with its `text_hash`, lets a person change it,
and hands back the whole new text with the hash it started from. The save is refused when the
file changed in between (two people editing the same document), and nothing invalid is written:
the problems come back located in the new text, by line and field.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem
from .model import Document
from .readers.yaml_data import load_yaml_text, validation_problems
from .writers.atomic import write_bytes_atomic


_SAVING = threading.Lock()
"""One save at a time in a process, so that the stale check and the write are one step."""


class StaleError(DataError):
    """The file changed since the editor read it: the save is refused, nothing is written."""

    def __init__(self, path: Path, current: str):
        super().__init__(Problem(str(path), "changed by someone else since you opened it; nothing was written"))
        self.current = current


@dataclass(frozen=True)
class DataText:
    path: Path
    text: str

    @property
    def hash(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_data_text(path: str | Path) -> DataText:
    """The file's text as typed (line endings as they are), with its hash for a later save."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return DataText(path, fh.read())
    except FileNotFoundError:
        raise DataError(Problem(str(path), "file not found")) from None
    except UnicodeDecodeError as exc:
        raise DataError(Problem(str(path), f"not UTF-8 text (byte {exc.start})")) from None


def data_problems(path: str | Path, text: str) -> tuple[Document | None, list[Problem]]:
    """Validate `text` as the content of the data file `path`: the document, or every problem."""
    try:
        data = load_yaml_text(text, path)
    except DataError as exc:
        return None, list(exc.problems)
    doc, problems = validation_problems(Path(path), data)
    return doc, sorted(problems, key=lambda p: (p.line or 0, p.field or ""))  # type: ignore[return-value]


def save_data_text(path: str | Path, text: str, base_hash: str | None) -> Document:
    """Write `text` to the data file `path` if it validates and the file is still the one read
    (`base_hash`; None for a new file, which must not exist yet). Raise DataError / StaleError."""
    with _SAVING:
        return _save(Path(path), text, base_hash)


def _save(path: Path, text: str, base_hash: str | None) -> Document:
    if base_hash is None:
        if path.exists():
            raise StaleError(path, read_data_text(path).text)
    else:
        current = read_data_text(path)
        if current.hash != base_hash:
            raise StaleError(path, current.text)
    doc, problems = data_problems(path, text)
    if problems:
        raise DataError(problems)
    bom = b""
    if path.exists():
        with open(path, "rb") as fh:
            bom = b"\xef\xbb\xbf" if fh.read(3) == b"\xef\xbb\xbf" else b""
    write_bytes_atomic(path, bom + text.encode("utf-8"))
    return doc  # type: ignore[return-value]
