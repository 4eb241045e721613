"""The data files of a folder at a glance: kind, title, year and where each stands in the number book.

A folder may hold hundreds of files, so the list does not validate them: it reads the few
top-level keys it shows straight from each file's lines (cached by size and modification time)
and takes the status from one query of the book. A file is validated when it is opened.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from .book.base import Entry

_KEYS = ("id", "kind", "type_code", "template", "title", "subtitle", "subject", "year", "date", "number", "campaign")
_LINE = re.compile(r"^(%s):[ \t]*([^\r\n]*)" % "|".join(_KEYS), re.M)
_PLACEHOLDER = re.compile(r"\{(year|previous_year|next_year)\}")


@dataclass(frozen=True)
class DataFile:
    """One data file as the list shows it; `rel` is its path inside the folder, with `/`."""

    rel: str
    doc_id: str
    kind: str
    title: str
    year: int | None
    date: str | None
    number: int | None
    status: str  # draft | issued | results
    entry: Entry | None = None
    mtime: float = 0.0

    @property
    def number_text(self) -> str:
        if self.entry is not None:
            return f"{self.entry.number:02d}/{self.entry.symbol}" if self.entry.symbol else f"{self.entry.number:02d}"
        return ""


def _value(raw: str) -> str:
    """A one-line YAML scalar as typed: quotes taken off, a trailing `# comment` dropped."""
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        end = raw.find(raw[0], 1)
        return raw[1:end] if end > 0 else raw[1:]
    if raw.startswith("#"):
        return ""
    return re.split(r"[ \t]#", raw, maxsplit=1)[0].strip()


def _year(value: str | None) -> int | None:
    m = re.match(r"(\d{4})", value or "")
    return int(m.group(1)) if m else None


_CACHE: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}
_LOCK = threading.Lock()


def _head(path: Path, stat: os.stat_result) -> dict[str, str]:
    key = str(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        hit = _CACHE.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        text = ""
    values: dict[str, str] = {}
    for m in _LINE.finditer(text):
        values.setdefault(m.group(1), _value(m.group(2)))
    with _LOCK:
        _CACHE[key] = (stamp, values)
    return values


def data_files(folder: str | Path) -> list[tuple[str, Path, os.stat_result]]:
    """(relative path, path, stat) of every *.yaml/*.yml under `folder`; hidden folders and
    symbolic links are skipped, so nothing outside the folder is listed."""
    root = Path(folder)
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith((".yaml", ".yml")):
                continue
            path = Path(dirpath) / name
            st = path.lstat()
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            out.append((path.relative_to(root).as_posix(), path, st))
    return out


def catalog(folder: str | Path, entries: list[Entry]) -> list[DataFile]:
    """Every data file of `folder`, its status taken from the number book's `entries`."""
    issued = {e.doc_id: e for e in entries if e.doc_id and e.status == "issued"}
    out = []
    for rel, path, st in data_files(folder):
        head = _head(path, st)
        doc_id = head.get("id") or head.get("campaign") or Path(rel).stem
        year = _year(head.get("year")) or _year(head.get("date"))
        title = " ".join(v for v in (head.get("title", "").upper() if head.get("title") else "",
                                     head.get("subtitle", ""),
                                     f"V/v {head['subject']}" if head.get("subject") else "") if v)
        if year:
            title = _PLACEHOLDER.sub(lambda m: str(year + {"year": 0, "previous_year": -1, "next_year": 1}[m.group(1)]),
                                     title)
        if "campaign" in head and "id" not in head:
            kind, status, entry = "results", "results", None
            title = title or f"Kết quả thi đua năm {year or ''}".strip()
        else:
            kind = head.get("kind") or head.get("type_code") or ("CV" if head.get("subject") else "") \
                or head.get("template") or "phat-dong"
            entry = issued.get(doc_id)
            status = "issued" if entry else "draft"
        number = int(head["number"]) if head.get("number", "").isdigit() else None
        out.append(DataFile(rel, doc_id, kind, title, year, head.get("date") or (entry.date if entry else None),
                            number, status, entry, st.st_mtime))
    return out
