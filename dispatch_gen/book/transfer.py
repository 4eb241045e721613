"""Moving a whole book: `registry copy` (SQLite ⇄ PostgreSQL), `registry backup` and `restore`.

A copy is verified, not trusted: both books are summarised by their counts and a content hash
(every entry as stored, every revision with the SHA-256 of its .docx), and the copy stands only
when the two summaries are equal. SQLite files are copied page by page with SQLite's online
backup API, which is safe while other processes use the book.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import RegistryError
from . import book_address, book_exists, init_book, open_book
from .base import ENTRY_FIELDS, REVISION_FIELDS, NumberBook
from .sqlite import APPLICATION_ID, RECOVERY


@dataclass(frozen=True)
class Summary:
    """What a book holds: counts and one hash over its stored contents (order-independent)."""

    entries: int
    revisions: int
    digest: str

    def __str__(self) -> str:
        return f"{self.entries} numbers, {self.revisions} revisions, content hash {self.digest[:16]}"


def _row_hash(row: tuple) -> bytes:
    h = hashlib.sha256()
    for value in row:
        if isinstance(value, (bytes, bytearray, memoryview)):
            value = "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
        h.update(repr(value).encode("utf-8"))
        h.update(b"\x1f")
    return h.digest()


def summarise(book: NumberBook) -> Summary:
    """Counts and content hash of a book, reading its revisions a page at a time."""
    return _summary(book.dump_entries(), book.iter_revisions())


def _file_summary(conn: sqlite3.Connection) -> Summary:
    """The same summary straight from a SQLite connection (read-only: a backup is never touched)."""
    entries = conn.execute(f"SELECT {', '.join(ENTRY_FIELDS)} FROM entries")
    revisions = ((*r[:6], bytes(r[6])) for r in conn.execute(f"SELECT {', '.join(REVISION_FIELDS)} FROM revisions"))
    return _summary(entries, revisions)


def _summary(entry_rows, revision_rows) -> Summary:
    entries = sorted(_row_hash(tuple(e)) for e in entry_rows)
    revisions = sorted(_row_hash(tuple(r)) for r in revision_rows)
    total = hashlib.sha256()
    for part in (entries, [b"--"], revisions):
        for h in part:
            total.update(h)
    return Summary(len(entries), len(revisions), total.hexdigest())


def _same_place(a: str, b: str) -> bool:
    wa, wb = book_address(a), book_address(b)
    if wa.kind != wb.kind:
        return False
    if wa.kind == "sqlite":
        return Path(wa.target).resolve() == Path(wb.target).resolve()
    return str(wa) == str(wb)


def copy_book(source: str | os.PathLike, target: str | os.PathLike, *, force: bool = False) -> tuple[str, str, Summary]:
    """Copy every number and revision from one book to another (either backend), then verify.

    A target that already holds numbers is refused unless `force`; a server target gets its
    schema first (`registry init`), a SQLite target file is created.
    """
    source, target = str(source), str(target)
    if _same_place(source, target):
        raise RegistryError(f"{book_address(source)}: the source and the target are the same book")
    if not book_exists(source):
        raise RegistryError(f"{book_address(source)}: no number book here to copy")
    if book_address(target).kind == "postgresql":
        init_book(target)
    with open_book(source) as src:
        before = summarise(src)
        with open_book(target) as dst:
            held = dst.counts()
            if held != (0, 0) and not force:
                raise RegistryError(
                    f"{dst.path}: the target book is not empty ({held[0]} numbers, {held[1]} revisions);"
                    " use --force to replace its contents")
            dst.replace_contents(src.dump_entries(), src.iter_revisions)
            after = summarise(dst)
            where = dst.path
        if after != before:
            raise RegistryError(f"{where}: the copy does not match its source ({after} against {before})")
        return src.path, where, after


# -- SQLite files ----------------------------------------------------------------------------

def _open_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)


def file_problems(path: str | os.PathLike) -> list[str]:
    """What is wrong with a SQLite book file as a file (empty, foreign, damaged pages); [] if sound."""
    path = Path(path)
    if not path.exists():
        return ["no number book file here"]
    if path.stat().st_size == 0:
        return ["the file is empty (0 bytes)"]
    try:
        conn = _open_ro(path)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return ["not a dispatch-gen number book"]
            rows = [" ".join(str(r[0]).split()) for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [f"the file is corrupt or not a SQLite database ({exc})"]
    return [] if rows == ["ok"] else [f"integrity_check: {r[:200]}" for r in rows]


def _sqlite_copy(source: Path, target: Path) -> Summary:
    """Page-by-page copy with the online backup API into `target` (a new file), synced to disk and
    verified: the copy's summary must equal the source's, read in the same snapshot as the copy."""
    src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True, isolation_level=None)
    dst = sqlite3.connect(target, isolation_level=None)
    try:
        src.execute("BEGIN")
        expected = _file_summary(src)
        src.backup(dst)
        src.execute("COMMIT")
        dst.execute("PRAGMA journal_mode = DELETE")
        got = _file_summary(dst)
    finally:
        dst.close()
        src.close()
    with open(target, "rb+") as f:
        os.fsync(f.fileno())
    if got != expected:
        raise RegistryError(f"{target}: the copy does not match {source} ({got} against {expected})")
    return got


def _temp_beside(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    os.unlink(name)
    return Path(name)


def backup_book(address: str | os.PathLike | None, target: str | os.PathLike, *, force: bool = False) -> tuple[str, Summary]:
    """A consistent SQLite copy of the book (from either backend) in `target`, verified."""
    where = book_address(address)
    target = Path(target)
    if target.exists() and not force:
        raise RegistryError(f"{target}: the file exists; choose another name or use --force to replace it")
    if not book_exists(address):
        raise RegistryError(f"{where}: no number book here to back up")
    if where.kind == "sqlite" and Path(where.target).resolve() == target.resolve():
        raise RegistryError(f"{target}: the backup cannot replace the book itself")
    if where.kind == "sqlite":
        problems = file_problems(where.target)
        if problems:
            raise RegistryError(f"{where}: the book is damaged ({problems[0]}), so a backup of it would be too;"
                                f" {RECOVERY}")
    part = _temp_beside(target)
    try:
        if where.kind == "sqlite":
            got = _sqlite_copy(Path(where.target), part)
        else:
            _, _, got = copy_book(where.target, part)
            conn = sqlite3.connect(part)
            try:
                conn.execute("PRAGMA journal_mode = DELETE")
            finally:
                conn.close()
        for extra in ("-wal", "-shm"):
            Path(str(part) + extra).unlink(missing_ok=True)
        os.replace(part, target)
    except OSError as exc:
        raise RegistryError(f"{target}: cannot write the backup: {exc.strerror or exc}") from None
    finally:
        for leftover in (part, Path(str(part) + "-wal"), Path(str(part) + "-shm")):
            leftover.unlink(missing_ok=True)
    return str(where), got


def restore_book(backup: str | os.PathLike, address: str | os.PathLike | None = None, *,
                 force: bool = False) -> tuple[str, Summary, str | None]:
    """Put a backup back as the book: (the book, what it holds now, where the old file was kept).

    A damaged, empty or foreign book file is moved aside (never deleted) with its -wal/-shm; a
    sound book is replaced only with `force`, as it may hold numbers issued after the backup.
    """
    backup = Path(backup)
    problems = file_problems(backup)
    if problems:
        raise RegistryError(f"{backup}: not a usable backup: {problems[0]}")
    where = book_address(address)
    if where.kind == "postgresql":
        _, shown, summary = copy_book(backup, where.target, force=force)
        return shown, summary, None
    book = Path(where.target)
    if book.resolve() == backup.resolve():
        raise RegistryError(f"{backup}: the backup is the book itself")
    kept = None
    if book.exists():
        if not file_problems(book) and not force:
            raise RegistryError(f"{book}: the book is sound; restoring would drop every number recorded since the"
                                " backup; use --force to replace it anyway")
        stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        kept = book.with_name(f"{book.name}.replaced-{stamp}")
    part = _temp_beside(book)
    try:
        summary = _sqlite_copy(backup, part)
        if kept is not None:
            os.replace(book, kept)
            for extra in ("-wal", "-shm"):
                side = Path(str(book) + extra)
                if side.exists():
                    os.replace(side, Path(str(kept) + extra))
        os.replace(part, book)
    except OSError as exc:
        raise RegistryError(f"{book}: cannot restore the book: {exc.strerror or exc}") from None
    finally:
        part.unlink(missing_ok=True)
    return str(book), summary, str(kept) if kept else None
