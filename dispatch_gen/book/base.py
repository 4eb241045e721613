"""The number book (sổ đăng ký văn bản đi) as a small interface.

SQLite is the embedded default; a shared server database for an office with several
workstations only has to implement `NumberBook` with the same guarantees:

* a number is consumed only when `Allocation.record()` was called and the `issue()` block
  exited without an exception;
* two writers never get the same number of a series and year;
* void numbers are never reused.
"""
from __future__ import annotations

import abc
import datetime as _dt
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Sequence

from ..errors import RegistryError

STATUSES = ("issued", "reserved", "void")

# The stored form of a book, the same on every backend (what `registry copy` moves and verifies).
ENTRY_FIELDS = ("series", "year", "number", "status", "doc_id", "symbol", "title", "date", "note",
                "created_at", "updated_at", "register")
REVISION_FIELDS = ("doc_id", "rev", "created_at", "content_hash", "trigger", "paragraphs", "docx")


class BookInterrupted(RegistryError):
    """The connection to the book was lost before the change was known to be stored.

    Nothing was consumed (the book verified it, or the transaction never committed), so the
    whole operation, rendering included, may safely run again.
    """

    retryable = True


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _label(series: str, year: int, number: int) -> str:
    return f"number {number:02d}/{year} of series {series}"


def _check_text(name: str, value, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{name} must be a non-empty text, got {value!r}")
    return value


def _check_int(name: str, value, *, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
        bound = f"between {low} and {high}" if high else f"at least {low}"
        raise RegistryError(f"{name} must be a whole number {bound}, got {value!r}")
    return value


def _check_date(value, year: int, *, optional: bool) -> str | None:
    """Numbers belong to a year (Decree 30, Art. 15), so a date must fall in it."""
    if value is None and optional:
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        day = value
    else:
        try:
            day = _dt.date.fromisoformat(str(value))
        except ValueError:
            raise RegistryError(f"date must be YYYY-MM-DD, got {value!r}") from None
    if day.year != year:
        raise RegistryError(f"date {day.isoformat()} is not in year {year}: a number belongs to its year")
    return day.isoformat()


def _register_json(register) -> str | None:
    import json

    if register is None:
        return None
    if not isinstance(register, dict):
        raise RegistryError(f"register must be a mapping, got {type(register).__name__}")
    return json.dumps(register, ensure_ascii=False, sort_keys=True)


def _register_of(text) -> dict | None:
    import json

    return json.loads(text) if text else None


def _check_record(content_hash, paragraphs, docx, trigger) -> tuple[str, list[str], bytes, str]:
    _check_text("content_hash", content_hash)
    if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
        raise RegistryError("paragraphs must be a list of texts")
    if not isinstance(docx, (bytes, bytearray, memoryview)):
        raise RegistryError(f"docx must be bytes, got {type(docx).__name__}")
    _check_text("trigger", trigger)
    return content_hash, list(paragraphs), bytes(docx), trigger


# -- the book's rules, the same whatever stores it (SQLite file or PostgreSQL server) ----------

def _issue_arguments(series, year, doc_id, symbol, title, date, number, register) -> tuple[str | None, str | None]:
    """Check `issue`'s arguments; return the register details as stored (JSON) and the date."""
    register = _register_json(register)
    _check_text("series", series)
    _check_int("year", year, low=1, high=9999)
    _check_text("document id", doc_id)
    _check_text("symbol", symbol, optional=True)
    _check_text("title", title, optional=True)
    date = _check_date(date, year, optional=True)
    if number is not None:
        _check_int("number", number, low=1)
    return register, date


def _refuse_reissue(doc_id: str, issued: "Entry | None") -> None:
    if issued is not None:
        raise RegistryError(
            f"document {doc_id} is already issued as {_label(issued.series, issued.year, issued.number)};"
            " rebuild it to keep its number")


def _claims_reserved(series: str, year: int, number: int, taken: "Entry | None") -> bool:
    """A number asked for by hand: free, or reserved (then claimed); a void or issued one is refused."""
    if taken is not None and taken.status == "void":
        raise RegistryError(f"{_label(series, year, number)} is void and is never reused")
    if taken is not None and taken.status == "issued":
        raise RegistryError(f"{_label(series, year, number)} is already used by document {taken.doc_id}")
    return taken is not None


def _renumber_arguments(doc_id, series, year, date) -> str | None:
    _check_text("document id", doc_id)
    _check_text("series", series)
    _check_int("year", year, low=1, high=9999)
    return _check_date(date, year, optional=False)


def _refuse_renumber(doc_id: str, old: "Entry | None", series: str, year: int) -> "Entry":
    if old is None:
        raise RegistryError(f"document {doc_id} is not issued, so it cannot be renumbered")
    if (old.series, old.year) == (series, year):
        raise RegistryError(
            f"document {doc_id} already has {_label(series, year, old.number)}; renumbering is for another year")
    return old


def _missing_revision(doc_id: str, rev: int, count: int) -> RegistryError:
    if not count:
        return RegistryError(f"document {doc_id} has no revisions in the book")
    return RegistryError(f"document {doc_id} has no revision {rev} (it has 1 to {count})")


def _reserve_arguments(series, year, count, note, force, today) -> None:
    _check_text("series", series)
    _check_int("year", year, low=1, high=9999)
    _check_int("count", count, low=1, high=1000)
    _check_text("note", note, optional=True)
    today = today or _dt.date.today()
    if year < today.year and not force:
        raise RegistryError(
            f"year {year} is closed (numbers run 1 January to 31 December); use --force to reserve in it")


def _void_arguments(series, year, number, reason) -> None:
    _check_text("series", series)
    _check_int("year", year, low=1, high=9999)
    _check_int("number", number, low=1)
    _check_text("reason", reason)


def _refuse_void(entry: "Entry | None", series: str, year: int, number: int) -> None:
    """Only a reserved number can be voided."""
    if entry is None:
        raise RegistryError(f"{_label(series, year, number)} is not in the book; only reserved numbers can be voided")
    if entry.status == "issued":
        raise RegistryError(
            f"{_label(series, year, number)} is issued to document {entry.doc_id}; only reserved numbers can be voided")
    if entry.status == "void":
        raise RegistryError(f"{_label(series, year, number)} is already void")


@dataclass(frozen=True)
class Entry:
    """One line of the book: a number of a series and year and what it is used for."""

    series: str
    year: int
    number: int
    status: str
    doc_id: str | None = None
    symbol: str | None = None
    title: str | None = None
    date: str | None = None
    note: str | None = None
    revisions: int = 0
    register: dict | None = None  # what Phụ lục IV's register needs: issuer, signers, recipients, archive, copies

    def as_dict(self) -> dict:
        """JSON-ready form (`registry list --json`); `doc_id` is exposed as `id` like in the data."""
        return {
            "number": self.number,
            "series": self.series,
            "year": self.year,
            "id": self.doc_id,
            "symbol": self.symbol,
            "title": self.title,
            "date": self.date,
            "status": self.status,
            "revisions": self.revisions,
            "note": self.note,
        }


@dataclass(frozen=True)
class Revision:
    """One rendered version of an issued document, kept so that earlier files stay retrievable."""

    doc_id: str
    rev: int
    created_at: str
    content_hash: str
    trigger: str
    paragraphs: list[str] = field(default_factory=list)
    docx: bytes = b""


class Allocation(abc.ABC):
    """A number held inside an open write transaction until the document has been written."""

    series: str
    year: int
    number: int
    doc_id: str

    def __init__(self, book: "NumberBook", *, series, year, number, doc_id, symbol, title, date,
                 moved_from: "Entry | None" = None, claims_reserved: bool = False, register: str | None = None):
        self._book = book
        self._register = register
        self.series, self.year, self.number, self.doc_id = series, year, number, doc_id
        self.symbol, self.title, self.date = symbol, title, date
        self._moved_from = moved_from
        self._claims_reserved = claims_reserved
        self._recorded = False
        self._open = True

    @property
    def recorded(self) -> bool:
        """Whether `record()` was called; only then does leaving the block commit."""
        return self._recorded

    @abc.abstractmethod
    def record(
        self,
        content_hash: str,
        paragraphs: Sequence[str],
        docx: bytes,
        trigger: str = "issue",
    ) -> Revision | None:
        """Store the entry (or move) and its revision; they commit when the block exits cleanly."""


class NumberBook(abc.ABC):
    """Storage of numbers and revisions; every refusal raises `RegistryError` with one line.

    `path` names the book in messages (a server address without its password); `address`
    opens it again (`open_book(book.address)`).
    """

    path: str
    address: str

    @abc.abstractmethod
    def find(self, doc_id: str) -> Entry | None:
        """The issued entry of a document id, or None when the id was never issued."""

    @abc.abstractmethod
    def issue(
        self,
        *,
        series: str,
        year: int,
        doc_id: str,
        symbol: str | None,
        title: str | None,
        date: str | _dt.date | None,
        number: int | None = None,
        register: dict | None = None,
    ) -> AbstractContextManager[Allocation]:
        """Hold the next free (or the stated) number while the caller renders and writes;
        `register` (JSON-ready) is kept for the printed Sổ đăng ký văn bản đi."""

    @abc.abstractmethod
    def renumber(
        self, doc_id: str, *, series: str, year: int, date: str | _dt.date
    ) -> AbstractContextManager[Allocation]:
        """Move an issued document to the next free number of another year; the old one turns void."""

    @abc.abstractmethod
    def add_revision(
        self,
        doc_id: str,
        *,
        content_hash: str,
        paragraphs: Sequence[str],
        docx: bytes,
        trigger: str,
    ) -> Revision | None:
        """Record a changed rendering; None (nothing written) when the content hash is unchanged."""

    @abc.abstractmethod
    def revisions(self, doc_id: str) -> list[Revision]:
        """All revisions of a document, oldest first (empty when the id is unknown)."""

    @abc.abstractmethod
    def revision(self, doc_id: str, rev: int) -> Revision:
        """One revision; refused when it does not exist."""

    def latest_revision(self, doc_id: str) -> Revision | None:
        """The newest revision, to compare a rebuild with (None when there is none)."""
        revs = self.revisions(doc_id)
        return revs[-1] if revs else None

    @abc.abstractmethod
    def reserve(
        self,
        *,
        series: str,
        year: int,
        count: int = 1,
        note: str | None = None,
        force: bool = False,
        today: _dt.date | None = None,
    ) -> list[int]:
        """Set numbers aside for documents typed outside the tool."""

    @abc.abstractmethod
    def void(self, *, series: str, year: int, number: int, reason: str) -> Entry:
        """Void a reserved number for good."""

    @abc.abstractmethod
    def entries(self, *, year: int | None = None, series: str | None = None) -> list[Entry]:
        """Entries ordered by year, series, number."""

    @abc.abstractmethod
    def series_exists(self, series: str) -> bool:
        """Whether the book has any entry in that series."""

    # -- moving and checking the whole book (registry copy / backup / check) ---------------------

    @abc.abstractmethod
    def dump_entries(self) -> list[tuple]:
        """Every entry as stored, `ENTRY_FIELDS` in order, ordered by year, series, number."""

    @abc.abstractmethod
    def revision_page(self, after: tuple[str, int] | None, limit: int = 50) -> list[tuple]:
        """Up to `limit` stored revisions (`REVISION_FIELDS`, paragraphs as JSON text) after the
        (doc_id, rev) key `after`, in key order: the book is read a page at a time."""

    def iter_revisions(self, limit: int = 50):
        after = None
        while True:
            page = self.revision_page(after, limit)
            yield from page
            if len(page) < limit:
                return
            after = (page[-1][0], page[-1][1])

    @abc.abstractmethod
    def replace_contents(self, entries: Sequence[tuple], revisions) -> None:
        """Replace everything in the book by these rows, in one transaction (all or nothing);
        `revisions` may be a callable giving a fresh iterator (a retried transaction reads again)."""

    @abc.abstractmethod
    def counts(self) -> tuple[int, int]:
        """(entries, revisions) stored."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; the book must not be used afterwards."""

    def __enter__(self) -> "NumberBook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
