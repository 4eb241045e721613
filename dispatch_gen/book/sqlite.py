"""The embedded number book: one SQLite file, safe for many processes on one machine.

Every write runs in a `BEGIN IMMEDIATE` transaction, so writers queue on SQLite's write lock
(busy timeout 30 s) and the "max + 1" number is computed and stored while no one else can
write. `issue()` keeps that transaction open while the caller renders its document, and
commits only after `Allocation.record()`: a failed render, an exception or a killed process
leaves the book as it was and the number free.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import RegistryError
from .base import (ENTRY_FIELDS, REVISION_FIELDS, Allocation, Entry, NumberBook, Revision, _check_int, _check_record,
                   _check_text, _claims_reserved, _issue_arguments, _label, _missing_revision, _now, _refuse_reissue,
                   _refuse_renumber, _refuse_void, _register_json, _register_of, _renumber_arguments,
                   _reserve_arguments, _void_arguments)

APPLICATION_ID = 0x44475242  # "DGRB": marks the file as a dispatch-gen number book
SCHEMA_VERSION = 2
BUSY_TIMEOUT = 30.0
RECOVERY = ("see `registry check`; restore the last backup with `registry restore BACKUP.sqlite`"
            " (the damaged file is kept aside)")
_WRITE_FAILURES = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR", "SQLITE_FULL")

_SCHEMA = """
CREATE TABLE entries (
    series     TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    number     INTEGER NOT NULL CHECK (number > 0),
    status     TEXT    NOT NULL CHECK (status IN ('issued', 'reserved', 'void')),
    doc_id     TEXT,
    symbol     TEXT,
    title      TEXT,
    date       TEXT,
    note       TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    register   TEXT,
    PRIMARY KEY (series, year, number)
);
CREATE UNIQUE INDEX entries_issued_doc ON entries (doc_id) WHERE status = 'issued';
CREATE TABLE revisions (
    doc_id       TEXT    NOT NULL,
    rev          INTEGER NOT NULL CHECK (rev > 0),
    created_at   TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    trigger      TEXT    NOT NULL,
    paragraphs   TEXT    NOT NULL,
    docx         BLOB    NOT NULL,
    PRIMARY KEY (doc_id, rev)
);
"""

# MIGRATIONS[v] upgrades a book from schema version v to v + 1 inside one write transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: lambda conn: conn.execute("ALTER TABLE entries ADD COLUMN register TEXT"),  # what the printed register needs
}

_ENTRY_COLUMNS = "series, year, number, status, doc_id, symbol, title, date, note"
_ENTRY_SELECT = f"""
SELECT {_ENTRY_COLUMNS},
       CASE WHEN e.status = 'issued'
            THEN (SELECT COUNT(*) FROM revisions r WHERE r.doc_id = e.doc_id) ELSE 0 END,
       e.register
FROM entries e
"""


def _entry(row: tuple) -> Entry:
    return Entry(*row[:9], revisions=row[9], register=_register_of(row[10]))


def _revision(row: tuple) -> Revision:
    doc_id, rev, created_at, content_hash, trigger, paragraphs, docx = row
    return Revision(doc_id, rev, created_at, content_hash, trigger, json.loads(paragraphs), bytes(docx))


def _refuse_empty(path: Path) -> None:
    """A zero-length file is a book that lost everything (truncated, a failed copy), not a new one:
    a new book is created only where no file exists, so numbering never silently restarts at 01."""
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError:
        return
    if empty:
        raise RegistryError(f"{path}: the number book file is empty (0 bytes), so its numbers are not in it;"
                            f" refusing to start a new book over it; {RECOVERY}")


def schema_version(path: str | Path) -> int:
    """The schema version of an existing book file (0 when there is no book there yet)."""
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


class _SQLiteAllocation(Allocation):
    """The number held by an open `issue()` or `renumber()` block."""

    def record(self, content_hash, paragraphs, docx, trigger="issue"):
        if not self._open:
            raise RegistryError(f"{_label(self.series, self.year, self.number)}: record() after the block ended")
        if self._recorded:
            raise RegistryError(f"{_label(self.series, self.year, self.number)}: record() called twice")
        fields = _check_record(content_hash, paragraphs, docx, trigger)
        book, now = self._book, _now()
        with book._translate("recording the document"):
            if self._moved_from is not None:
                old = self._moved_from
                book._conn.execute(
                    "UPDATE entries SET status = 'void', note = ?, updated_at = ?"
                    " WHERE series = ? AND year = ? AND number = ?",
                    (f"renumbered: {self.doc_id} moved to {self.number:02d}/{self.year} ({self.series})",
                     now, old.series, old.year, old.number),
                )
            if self._claims_reserved:
                book._conn.execute(
                    "UPDATE entries SET status = 'issued', doc_id = ?, symbol = ?, title = ?, date = ?,"
                    " updated_at = ?, register = ? WHERE series = ? AND year = ? AND number = ?",
                    (self.doc_id, self.symbol, self.title, self.date, now, self._register,
                     self.series, self.year, self.number),
                )
            else:
                book._conn.execute(
                    f"INSERT INTO entries ({_ENTRY_COLUMNS}, created_at, updated_at, register)"
                    " VALUES (?, ?, ?, 'issued', ?, ?, ?, ?, NULL, ?, ?, ?)",
                    (self.series, self.year, self.number, self.doc_id, self.symbol, self.title,
                     self.date, now, now, self._register),
                )
            revision = book._insert_revision(self.doc_id, *fields, now=now)
        self._recorded = True
        return revision


class SQLiteNumberBook(NumberBook):
    """A number book in one SQLite file (WAL mode), created with its folder on first use."""

    def __init__(self, path: str | Path):
        self.path = self.address = str(path)
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RegistryError(
                f"{self.path}: cannot create the folder of the number book: {exc.strerror}"
            ) from None
        self._conn: sqlite3.Connection | None = None
        self._checked = False
        if not Path(path).exists():
            self._create(Path(path))
        _refuse_empty(Path(path))
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise RegistryError(f"{self.path}: cannot open the number book: {exc}") from None
        try:
            with self._translate("opening the number book"):
                self._prepare_retrying(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    # -- opening ---------------------------------------------------------------------------

    def _create(self, path: Path) -> None:
        """Create a new book beside its place and link it in only if no file is there yet.

        The book file therefore never exists half-made, so an empty file is always damage
        (refused), and processes creating the same book at once all end up in the one that won.
        """
        part = path.with_name(f".{path.name}.{os.getpid()}-{random.getrandbits(48):012x}.new")
        try:
            conn = sqlite3.connect(part, timeout=BUSY_TIMEOUT, isolation_level=None)
            try:
                with self._translate("creating the number book"):
                    self._prepare(conn)
            finally:
                conn.close()
            try:
                os.link(part, path)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links: no other way to be atomic here
                if not path.exists():
                    os.replace(part, path)
        except OSError as exc:
            raise RegistryError(f"{self.path}: cannot create the number book: {exc.strerror or exc}") from None
        finally:
            for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
                try:
                    leftover.unlink()
                except FileNotFoundError:
                    pass
                except OSError:
                    pass

    def _header(self, conn: sqlite3.Connection) -> tuple[int, int, int]:
        """Application id, schema version and table count, read from one snapshot.

        Separate reads could straddle another process creating the schema and mistake a
        fresh book for a foreign file.
        """
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        finally:
            if own:
                conn.execute("ROLLBACK")
        return app_id, version, tables

    def _refuse_unless_ours(self, app_id: int, version: int, tables: int) -> None:
        if app_id == APPLICATION_ID:
            if version > SCHEMA_VERSION:
                raise RegistryError(
                    f"{self.path}: the number book has schema version {version}, newer than this "
                    f"dispatch-gen understands ({SCHEMA_VERSION}); upgrade dispatch-gen"
                )
        elif app_id != 0 or tables:
            raise RegistryError(f"{self.path}: this SQLite file is not a dispatch-gen number book")

    def _prepare_retrying(self, conn: sqlite3.Connection) -> None:
        """Retry opening while another process is busy with it.

        Switching to WAL does not wait on the busy handler, so processes opening a fresh book
        at the same moment would otherwise fail at once with "database is locked".
        """
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                return self._prepare(conn)
            except sqlite3.OperationalError as exc:
                name = getattr(exc, "sqlite_errorname", "") or ""
                if not name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or time.monotonic() > deadline:
                    raise
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                time.sleep(random.uniform(0.01, 0.05))

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Refuse foreign files before writing anything, then create or migrate the schema."""
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        header = self._header(conn)
        self._refuse_unless_ours(*header)
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        if header[0] == APPLICATION_ID and header[1] == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            app_id, version, tables = self._header(conn)
            self._refuse_unless_ours(app_id, version, tables)
            if app_id == 0:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            else:
                for v in range(version, SCHEMA_VERSION):
                    if v not in MIGRATIONS:
                        raise RegistryError(f"{self.path}: no migration from schema version {v} to {v + 1}")
                    MIGRATIONS[v](conn)
                    conn.execute(f"PRAGMA user_version = {v + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _translate(self, action: str) -> Iterator[None]:
        """Turn SQLite failures into one-line RegistryErrors naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            name = getattr(exc, "sqlite_errorname", "") or ""
            if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
                msg = f"the file is corrupt or not a SQLite database; {RECOVERY}"
            elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                msg = f"the number book stayed locked by another process for {BUSY_TIMEOUT:.0f} s"
            elif name.startswith(_WRITE_FAILURES):
                msg = f"cannot write the number book ({exc})"
            else:
                msg = str(exc)
            raise RegistryError(f"{self.path}: {action} failed: {msg}") from None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RegistryError(f"{self.path}: the number book is closed")
        return self._conn

    def _check_before_writing(self, action: str) -> None:
        """`PRAGMA quick_check` once per opening, before the first write: a damaged book takes no
        new number (it would be committed into pages that already lost some)."""
        if self._checked:
            return
        try:
            rows = self._db.execute("PRAGMA quick_check(1)").fetchall()
        except sqlite3.DatabaseError as exc:
            rows = [(str(exc),)]
        if rows != [("ok",)]:
            first = " ".join(str(rows[0][0]).split()) if rows else "no answer"
            raise RegistryError(f"{self.path}: {action} refused: the number book is damaged "
                                f"(quick_check: {first[:160]}); nothing was written; {RECOVERY}")
        self._checked = True

    @contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested writes are refused rather than silently merged."""
        conn = self._db
        if conn.in_transaction:
            raise RegistryError(f"{self.path}: {action} refused: another book operation is still open")
        self._check_before_writing(action)
        with self._translate(action):
            conn.execute("BEGIN IMMEDIATE")
        try:
            with self._translate(action):
                yield conn
        except BaseException:
            self._rollback()
            raise
        with self._translate(action):
            try:
                conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _next_number(self, conn: sqlite3.Connection, series: str, year: int) -> int:
        row = conn.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM entries WHERE series = ? AND year = ?",
            (series, year),
        ).fetchone()
        return row[0]

    def _get(self, conn: sqlite3.Connection, series: str, year: int, number: int) -> Entry | None:
        row = conn.execute(
            _ENTRY_SELECT + " WHERE series = ? AND year = ? AND number = ?", (series, year, number)
        ).fetchone()
        return _entry(row) if row else None

    def _insert_revision(self, doc_id, content_hash, paragraphs, docx, trigger, *, now) -> Revision:
        conn = self._db
        rev = conn.execute(
            "SELECT COALESCE(MAX(rev), 0) + 1 FROM revisions WHERE doc_id = ?", (doc_id,)
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO revisions (doc_id, rev, created_at, content_hash, trigger, paragraphs, docx)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, rev, now, content_hash, trigger, json.dumps(paragraphs, ensure_ascii=False), docx),
        )
        return Revision(doc_id, rev, now, content_hash, trigger, paragraphs, docx)

    @contextmanager
    def _holding(self, action: str, prepare: Callable[[sqlite3.Connection], _SQLiteAllocation]):
        """Keep a write transaction open around the caller's block; commit only after record()."""
        conn = self._db
        if conn.in_transaction:
            raise RegistryError(f"{self.path}: {action} refused: another book operation is still open")
        self._check_before_writing(action)
        with self._translate(action):
            conn.execute("BEGIN IMMEDIATE")
        allocation = None
        try:
            with self._translate(action):
                allocation = prepare(conn)
            yield allocation
            if allocation.recorded:
                with self._translate(action):
                    conn.execute("COMMIT")
        finally:
            if allocation is not None:
                allocation._open = False
            self._rollback()

    # -- interface -------------------------------------------------------------------------

    def find(self, doc_id: str) -> Entry | None:
        _check_text("document id", doc_id)
        with self._translate("looking up a document"):
            row = self._db.execute(_ENTRY_SELECT + " WHERE status = 'issued' AND doc_id = ?", (doc_id,)).fetchone()
        return _entry(row) if row else None

    def issue(self, *, series, year, doc_id, symbol, title, date, number=None, register=None):
        """Hold a number while the caller renders; see the module docstring for the guarantee."""
        register, date = _issue_arguments(series, year, doc_id, symbol, title, date, number, register)

        def prepare(conn: sqlite3.Connection) -> _SQLiteAllocation:
            _refuse_reissue(doc_id, self.find(doc_id))
            claims_reserved = False
            chosen = number
            if chosen is None:
                chosen = self._next_number(conn, series, year)
            else:
                claims_reserved = _claims_reserved(series, year, chosen, self._get(conn, series, year, chosen))
            return _SQLiteAllocation(self, series=series, year=year, number=chosen, doc_id=doc_id,
                                     symbol=symbol, title=title, date=date, claims_reserved=claims_reserved,
                                     register=register)

        return self._holding("issuing a number", prepare)

    def renumber(self, doc_id, *, series, year, date):
        """Move an issued document to another series/year; commits only after record()."""
        date = _renumber_arguments(doc_id, series, year, date)

        def prepare(conn: sqlite3.Connection) -> _SQLiteAllocation:
            old = _refuse_renumber(doc_id, self.find(doc_id), series, year)
            return _SQLiteAllocation(self, series=series, year=year, number=self._next_number(conn, series, year),
                                     doc_id=doc_id, symbol=old.symbol, title=old.title, date=date, moved_from=old,
                                     register=_register_json(old.register))

        return self._holding("renumbering a document", prepare)

    def add_revision(self, doc_id, *, content_hash, paragraphs, docx, trigger):
        _check_text("document id", doc_id)
        fields = _check_record(content_hash, paragraphs, docx, trigger)
        with self._write("recording a revision") as conn:
            if self.find(doc_id) is None:
                raise RegistryError(f"document {doc_id} is not issued; issue it before recording revisions")
            latest = conn.execute(
                "SELECT content_hash FROM revisions WHERE doc_id = ? ORDER BY rev DESC LIMIT 1", (doc_id,)
            ).fetchone()
            if latest is not None and latest[0] == content_hash:
                return None
            return self._insert_revision(doc_id, *fields, now=_now())

    def revisions(self, doc_id: str) -> list[Revision]:
        with self._translate("reading revisions"):
            rows = self._db.execute(
                "SELECT doc_id, rev, created_at, content_hash, trigger, paragraphs, docx"
                " FROM revisions WHERE doc_id = ? ORDER BY rev",
                (doc_id,),
            ).fetchall()
        return [_revision(r) for r in rows]

    def revision(self, doc_id: str, rev: int) -> Revision:
        _check_int("revision", rev, low=1)
        with self._translate("reading a revision"):
            row = self._db.execute(
                "SELECT doc_id, rev, created_at, content_hash, trigger, paragraphs, docx"
                " FROM revisions WHERE doc_id = ? AND rev = ?",
                (doc_id, rev),
            ).fetchone()
            if row is None:
                count = self._db.execute(
                    "SELECT COUNT(*) FROM revisions WHERE doc_id = ?", (doc_id,)
                ).fetchone()[0]
        if row is None:
            raise _missing_revision(doc_id, rev, count)
        return _revision(row)

    def latest_revision(self, doc_id: str) -> Revision | None:
        with self._translate("reading a revision"):
            row = self._db.execute(
                "SELECT doc_id, rev, created_at, content_hash, trigger, paragraphs, docx"
                " FROM revisions WHERE doc_id = ? ORDER BY rev DESC LIMIT 1",
                (doc_id,),
            ).fetchone()
        return _revision(row) if row else None

    def reserve(self, *, series, year, count=1, note=None, force=False, today=None):
        _reserve_arguments(series, year, count, note, force, today)
        with self._write("reserving numbers") as conn:
            first = self._next_number(conn, series, year)
            numbers = list(range(first, first + count))
            now = _now()
            conn.executemany(
                f"INSERT INTO entries ({_ENTRY_COLUMNS}, created_at, updated_at)"
                " VALUES (?, ?, ?, 'reserved', NULL, NULL, NULL, NULL, ?, ?, ?)",
                [(series, year, n, note, now, now) for n in numbers],
            )
        return numbers

    def void(self, *, series, year, number, reason):
        _void_arguments(series, year, number, reason)
        with self._write("voiding a number") as conn:
            _refuse_void(self._get(conn, series, year, number), series, year, number)
            conn.execute(
                "UPDATE entries SET status = 'void', note = ?, updated_at = ?"
                " WHERE series = ? AND year = ? AND number = ?",
                (reason, _now(), series, year, number),
            )
            return self._get(conn, series, year, number)

    def entries(self, *, year=None, series=None) -> list[Entry]:
        where, args = [], []
        if year is not None:
            where.append("year = ?")
            args.append(year)
        if series is not None:
            where.append("series = ?")
            args.append(series)
        sql = _ENTRY_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY year, series, number"
        with self._translate("listing the book"):
            rows = self._db.execute(sql, args).fetchall()
        return [_entry(r) for r in rows]

    def series_exists(self, series: str) -> bool:
        with self._translate("looking up a series"):
            row = self._db.execute("SELECT 1 FROM entries WHERE series = ? LIMIT 1", (series,)).fetchone()
        return row is not None

    def dump_entries(self) -> list[tuple]:
        with self._translate("reading the book"):
            return [tuple(r) for r in self._db.execute(
                f"SELECT {', '.join(ENTRY_FIELDS)} FROM entries ORDER BY year, series, number").fetchall()]

    def revision_page(self, after=None, limit=50) -> list[tuple]:
        sql = f"SELECT {', '.join(REVISION_FIELDS)} FROM revisions"
        args: tuple = ()
        if after is not None:
            sql += " WHERE doc_id > ? OR (doc_id = ? AND rev > ?)"
            args = (after[0], after[0], after[1])
        with self._translate("reading the book"):
            rows = self._db.execute(sql + " ORDER BY doc_id, rev LIMIT ?", (*args, limit)).fetchall()
        return [(*r[:6], bytes(r[6])) for r in rows]

    def replace_contents(self, entries, revisions) -> None:
        with self._write("replacing the book's contents") as conn:
            conn.execute("DELETE FROM revisions")
            conn.execute("DELETE FROM entries")
            conn.executemany(f"INSERT INTO entries ({', '.join(ENTRY_FIELDS)}) VALUES ({', '.join('?' * len(ENTRY_FIELDS))})",
                             entries)
            conn.executemany(
                f"INSERT INTO revisions ({', '.join(REVISION_FIELDS)}) VALUES ({', '.join('?' * len(REVISION_FIELDS))})",
                revisions() if callable(revisions) else revisions)

    def counts(self) -> tuple[int, int]:
        with self._translate("counting the book"):
            return (self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0],
                    self._db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0])

    def close(self) -> None:
        if self._conn is not None:
            self._rollback()
            self._conn.close()
            self._conn = None

