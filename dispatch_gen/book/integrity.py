"""`registry check`: is the book sound, and does it hold what it claims?

Two layers: the storage (for a SQLite file, `PRAGMA integrity_check`: every page readable and
every index matching its table), then the book's own rules on either backend (every issued
number has its document, every stored .docx matches its content hash, no revisions without an
issued number).
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

from ..errors import RegistryError
from . import book_address, open_book
from .base import NumberBook

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class CheckReport:
    address: str
    problems: list[str] = field(default_factory=list)
    entries: int = 0
    revisions: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def book_problems(book: NumberBook) -> tuple[list[str], int, int]:
    """The book's own rules, read through the interface: (problems, entries, revisions)."""
    problems: list[str] = []
    entries = book.dump_entries()
    issued = {e[4]: e for e in entries if e[3] == "issued"}
    with_revisions: set[str] = set()
    count = 0
    for doc_id, rev, _created, content_hash, _trigger, _paragraphs, docx in book.iter_revisions():
        count += 1
        with_revisions.add(doc_id)
        if _SHA256.match(content_hash) and hashlib.sha256(docx).hexdigest() != content_hash:
            problems.append(f"document {doc_id} revision {rev}: the stored .docx does not match its content hash")
        if doc_id not in issued:
            problems.append(f"document {doc_id} revision {rev}: no issued number holds this document")
    for doc_id, e in sorted(issued.items()):
        if doc_id not in with_revisions:
            problems.append(f"number {e[2]:02d}/{e[1]} of series {e[0]} (document {doc_id}): no revision stored")
    return problems, len(entries), count


def check_book(address: str | os.PathLike | None = None) -> CheckReport:
    """Every problem found in the book (a damaged SQLite file is reported, not raised)."""
    where = book_address(address)
    report = CheckReport(str(where))
    if where.kind == "sqlite":
        from .transfer import file_problems

        report.problems = file_problems(where.target)
        if report.problems:
            return report
    try:
        with open_book(where.target) as book:
            report.problems, report.entries, report.revisions = book_problems(book)
    except RegistryError as exc:
        report.problems.append(exc.lines[0])
    return report
