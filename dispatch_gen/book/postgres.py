"""The office's shared number book on a PostgreSQL server (psycopg 3), for several workstations.

Same guarantees as the SQLite book, with a server in between:

* a number is allocated inside one transaction holding a row lock (`SELECT … FOR UPDATE`) on
  the series counter of that year, so two workstations never get the same number and a
  rolled-back issue leaves no gap; writers of other series do not wait;
* `issue()` keeps that transaction open while the caller renders, and commits only after
  `Allocation.record()`;
* every transaction carries a token: when the connection drops while COMMIT is on its way, the
  book reconnects, ends the old server session, and looks the token up, so it knows whether
  the change is stored. Stored: the call succeeds. Not stored: `BookInterrupted`, and the whole
  operation may run again (no number is lost or given twice). Reads and transactions that never
  reached COMMIT are retried on a new connection while the server restarts.

The tables live in their own schema (`dispatch_gen`) of the database named in the address;
`registry init` creates it and applies versioned migrations.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator

import psycopg
from psycopg import errors as pg_errors

from ..errors import RegistryError
from .base import (ENTRY_FIELDS, REVISION_FIELDS, Allocation, BookInterrupted, Entry, NumberBook, Revision, _check_int,
                   _check_record, _check_text, _claims_reserved, _issue_arguments, _label, _missing_revision, _now,
                   _refuse_reissue, _refuse_renumber, _refuse_void, _register_json, _register_of, _renumber_arguments,
                   _reserve_arguments, _void_arguments)

SCHEMA = "dispatch_gen"
SCHEMA_VERSION = 2
APPLICATION = "dispatch-gen number book"
LOCK_TIMEOUT = 30.0
IDLE_TIMEOUT = 120.0
RETRY_ENV = "DISPATCH_GEN_REGISTRY_RETRY"
DEFAULT_RETRY = 30.0
_MIGRATION_LOCK = 0x44475242  # advisory lock key: one migrating workstation at a time

S = SCHEMA + "."

_SCHEMA_V1 = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE {S}meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE {S}counters (
    series      TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (series, year)
);
CREATE TABLE {S}entries (
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
    tx_token   TEXT,
    PRIMARY KEY (series, year, number)
);
CREATE UNIQUE INDEX entries_issued_doc ON {S}entries (doc_id) WHERE status = 'issued';
CREATE INDEX entries_tx_token ON {S}entries (tx_token);
CREATE TABLE {S}revisions (
    doc_id       TEXT    NOT NULL,
    rev          INTEGER NOT NULL CHECK (rev > 0),
    created_at   TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    trigger      TEXT    NOT NULL,
    paragraphs   TEXT    NOT NULL,
    docx         BYTEA   NOT NULL,
    tx_token     TEXT,
    PRIMARY KEY (doc_id, rev)
);
"""

# MIGRATIONS[v] upgrades the schema from version v to v + 1 inside the init transaction.
MIGRATIONS: dict[int, Callable[[psycopg.Connection], None]] = {
    1: lambda conn: conn.execute(f"ALTER TABLE {S}entries ADD COLUMN register TEXT"),  # for the printed register
}

_ENTRY_COLUMNS = "series, year, number, status, doc_id, symbol, title, date, note"
_ENTRY_SELECT = f"""
SELECT {_ENTRY_COLUMNS},
       CASE WHEN e.status = 'issued'
            THEN (SELECT COUNT(*) FROM {S}revisions r WHERE r.doc_id = e.doc_id) ELSE 0 END,
       e.register
FROM {S}entries e
"""
_REVISION_COLUMNS = "doc_id, rev, created_at, content_hash, trigger, paragraphs, docx"


def _entry(row: tuple) -> Entry:
    return Entry(*row[:9], revisions=int(row[9]), register=_register_of(row[10]))


def _revision(row: tuple) -> Revision:
    doc_id, rev, created_at, content_hash, trigger, paragraphs, docx = row
    return Revision(doc_id, rev, created_at, content_hash, trigger, json.loads(paragraphs), bytes(docx))


def retry_window() -> float:
    """Seconds to keep reconnecting to a server that is down or restarting."""
    raw = os.environ.get(RETRY_ENV, "").strip()
    if not raw:
        return DEFAULT_RETRY
    try:
        value = float(raw)
    except ValueError:
        raise RegistryError(f"{RETRY_ENV}={raw!r}: must be a number of seconds") from None
    if value < 0:
        raise RegistryError(f"{RETRY_ENV}={raw!r}: must not be negative")
    return value


def _redact(url: str) -> str:
    from . import redact

    return redact(url)


def _one_line(exc: BaseException) -> str:
    """libpq's message on one line, without its multi-line hints and `connection failed:` prefix."""
    text = " ".join(str(exc).split())
    for prefix in ("connection failed: ",):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if "failed: " in text and text.startswith("connection to server"):
        text = text.split("failed: ", 1)[1]
    text = text.replace("FATAL: ", "").replace(" Is the server running on that host and accepting TCP/IP connections?", "")
    return text.strip()


_PERMANENT_CONNECT = ("password authentication failed", "does not exist", "no password supplied",
                      "role ", "permission denied", "invalid", "SSL", "pg_hba.conf", "missing \"=\"",
                      "invalid URI", "authentication")


def _connect_failure_is_permanent(exc: psycopg.Error) -> bool:
    if isinstance(exc, (psycopg.ProgrammingError, psycopg.InterfaceError)) and not isinstance(exc, psycopg.OperationalError):
        return True
    text = str(exc)
    if "starting up" in text or "shutting down" in text or "recovery mode" in text:
        return False
    return any(p in text for p in _PERMANENT_CONNECT)


def _connection_lost(exc: BaseException, conn: psycopg.Connection | None) -> bool:
    """The session is gone (server stopped or restarted, network cut) rather than a refused statement."""
    if isinstance(exc, (pg_errors.AdminShutdown, pg_errors.CrashShutdown, pg_errors.CannotConnectNow,
                        pg_errors.IdleInTransactionSessionTimeout)):
        return True
    if conn is not None and (conn.closed or conn.broken):
        return True
    return isinstance(exc, psycopg.OperationalError) and getattr(exc, "sqlstate", None) is None


def connect(url: str, *, deadline: float | None = None) -> psycopg.Connection:
    """A session with the book's settings; keeps trying while the server is down or starting."""
    shown = _redact(url)
    if deadline is None:
        deadline = time.monotonic() + retry_window()
    delay = 0.1
    while True:
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=10, keepalives=1,
                                   keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
                                   application_name="dispatch-gen")
        except psycopg.Error as exc:
            if _connect_failure_is_permanent(exc) or time.monotonic() + delay > deadline:
                raise RegistryError(f"{shown}: cannot connect to the number book server: {_one_line(exc)}") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
            continue
        try:
            conn.execute(f"SET lock_timeout = '{int(LOCK_TIMEOUT * 1000)}ms'")
            conn.execute(f"SET idle_in_transaction_session_timeout = '{int(IDLE_TIMEOUT * 1000)}ms'")
        except psycopg.Error as exc:
            conn.close()
            if time.monotonic() + delay > deadline:
                raise RegistryError(f"{shown}: cannot use the number book server: {_one_line(exc)}") from None
            time.sleep(delay)
            continue
        return conn


def _installed_version(conn: psycopg.Connection) -> int | None:
    if conn.execute("SELECT to_regclass(%s)", (f"{S}meta",)).fetchone()[0] is None:
        return None
    row = conn.execute(f"SELECT value FROM {S}meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def init_schema(url: str) -> tuple[int, int]:
    """Create the book in the database, or migrate it to this version: (version before, after)."""
    shown = _redact(url)
    conn = connect(url)
    try:
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            before = _installed_version(conn)
            if before is None:
                if conn.execute("SELECT to_regnamespace(%s)", (SCHEMA,)).fetchone()[0] is not None and \
                        conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = %s", (SCHEMA,)).fetchone()[0]:
                    raise RegistryError(f"{shown}: schema {SCHEMA} exists but is not a dispatch-gen number book")
                conn.execute(_SCHEMA_V1)
                conn.execute(f"INSERT INTO {S}meta VALUES ('application', %s), ('schema_version', '1')",
                             (APPLICATION,))
                version = 1
            else:
                version = before
            if version > SCHEMA_VERSION:
                raise RegistryError(
                    f"{shown}: the number book has schema version {version}, newer than this dispatch-gen "
                    f"understands ({SCHEMA_VERSION}); upgrade dispatch-gen")
            for v in range(version, SCHEMA_VERSION):
                if v not in MIGRATIONS:
                    raise RegistryError(f"{shown}: no migration from schema version {v} to {v + 1}")
                MIGRATIONS[v](conn)
                conn.execute(f"UPDATE {S}meta SET value = %s WHERE key = 'schema_version'", (str(v + 1),))
            conn.execute("COMMIT")
        except psycopg.errors.InsufficientPrivilege as exc:
            raise RegistryError(f"{shown}: cannot create the number book: {_one_line(exc)}") from None
        except psycopg.Error as exc:
            raise RegistryError(f"{shown}: creating the number book failed: {_one_line(exc)}") from None
        return (before or 0), SCHEMA_VERSION
    finally:
        conn.close()


class _PgAllocation(Allocation):
    """The number held by an open `issue()` or `renumber()` block (counter row locked)."""

    def __init__(self, book: "PostgresNumberBook", **held):
        super().__init__(book, **held)
        self.token = uuid.uuid4().hex
        self.revision: Revision | None = None

    def record(self, content_hash, paragraphs, docx, trigger="issue"):
        label = _label(self.series, self.year, self.number)
        if not self._open:
            raise RegistryError(f"{label}: record() after the block ended")
        if self._recorded:
            raise RegistryError(f"{label}: record() called twice")
        fields = _check_record(content_hash, paragraphs, docx, trigger)
        book, now, conn = self._book, _now(), self._book._db
        with book._translate("recording the document"):
            if self._moved_from is not None:
                old = self._moved_from
                conn.execute(
                    f"UPDATE {S}entries SET status = 'void', note = %s, updated_at = %s, tx_token = %s"
                    " WHERE series = %s AND year = %s AND number = %s",
                    (f"renumbered: {self.doc_id} moved to {self.number:02d}/{self.year} ({self.series})",
                     now, self.token, old.series, old.year, old.number),
                )
            if self._claims_reserved:
                conn.execute(
                    f"UPDATE {S}entries SET status = 'issued', doc_id = %s, symbol = %s, title = %s, date = %s,"
                    " updated_at = %s, tx_token = %s, register = %s WHERE series = %s AND year = %s AND number = %s",
                    (self.doc_id, self.symbol, self.title, self.date, now, self.token, self._register,
                     self.series, self.year, self.number),
                )
            else:
                conn.execute(
                    f"INSERT INTO {S}entries ({_ENTRY_COLUMNS}, created_at, updated_at, tx_token, register)"
                    " VALUES (%s, %s, %s, 'issued', %s, %s, %s, %s, NULL, %s, %s, %s, %s)",
                    (self.series, self.year, self.number, self.doc_id, self.symbol, self.title,
                     self.date, now, now, self.token, self._register),
                )
            book._raise_counter(conn, self.series, self.year, self.number)
            self.revision = book._insert_revision(conn, self.doc_id, *fields, now=now, token=self.token)
        self._recorded = True
        return self.revision


class PostgresNumberBook(NumberBook):
    """A number book in a PostgreSQL database, shared by the office's workstations."""

    def __init__(self, url: str):
        self.address = url
        self.path = _redact(url)
        self._conn: psycopg.Connection | None = None
        self._session: tuple[int, object] | None = None
        self._in_tx = False
        self._conn = self._open_session()

    # -- sessions --------------------------------------------------------------------------

    def _open_session(self, deadline: float | None = None) -> psycopg.Connection:
        """A checked session; a server that restarts between connecting and the first query is tried again."""
        if deadline is None:
            deadline = time.monotonic() + retry_window()
        while True:
            conn = connect(self.address, deadline=deadline)
            try:
                version = _installed_version(conn)
                if version is None:
                    raise RegistryError(
                        f"{self.path}: this database holds no dispatch-gen number book yet;"
                        " create it with `registry init` (once, for the whole office)")
                if version > SCHEMA_VERSION:
                    raise RegistryError(
                        f"{self.path}: the number book has schema version {version}, newer than this "
                        f"dispatch-gen understands ({SCHEMA_VERSION}); upgrade dispatch-gen")
                if version < SCHEMA_VERSION:
                    raise RegistryError(
                        f"{self.path}: the number book has schema version {version}; upgrade it to "
                        f"{SCHEMA_VERSION} with `registry init` (after updating every workstation)")
                session = conn.execute(
                    "SELECT pg_backend_pid(), backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
                ).fetchone()
            except psycopg.Error as exc:
                lost = _connection_lost(exc, conn)
                conn.close()
                if lost and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise RegistryError(f"{self.path}: opening the number book failed: {_one_line(exc)}") from None
            except BaseException:
                conn.close()
                raise
            self._session = session
            return conn

    def _reconnect(self, deadline: float) -> psycopg.Connection:
        """A new session, after making sure the old one is gone (its transaction ended)."""
        old = self._session
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None
        self._in_tx = False
        while True:
            conn = self._open_session(deadline)
            if old is None:
                break
            try:
                self._end_session(conn, old)
                break
            except psycopg.Error as exc:
                lost = _connection_lost(exc, conn)
                conn.close()
                if not (lost and time.monotonic() < deadline):
                    raise RegistryError(f"{self.path}: reconnecting to the number book failed: {_one_line(exc)}") from None
                time.sleep(0.2)
        self._conn = conn
        return conn

    @staticmethod
    def _end_session(conn: psycopg.Connection, old: tuple[int, object]) -> None:
        pid, started = old
        end = time.monotonic() + 10
        while time.monotonic() < end:
            row = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = %s AND backend_start = %s",
                (pid, started)).fetchone()
            if row is None:
                break
            time.sleep(0.05)

    @property
    def _db(self) -> psycopg.Connection:
        if self._conn is None:
            raise RegistryError(f"{self.path}: the number book is closed")
        return self._conn

    def _message(self, exc: psycopg.Error) -> str:
        if isinstance(exc, pg_errors.LockNotAvailable):
            return f"the series stayed locked by another workstation for {LOCK_TIMEOUT:.0f} s"
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            return "the server is read-only (a standby?)"
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            return f"permission denied ({_one_line(exc)})"
        return _one_line(exc)

    @contextmanager
    def _translate(self, action: str) -> Iterator[None]:
        """Turn server failures into one-line RegistryErrors (BookInterrupted when the session died)."""
        try:
            yield
        except RegistryError:
            raise
        except psycopg.Error as exc:
            if _connection_lost(exc, self._conn):
                raise BookInterrupted(
                    f"{self.path}: {action} failed: the connection to the server was lost"
                    f" ({self._message(exc)}); nothing was recorded") from None
            if isinstance(exc, pg_errors.UniqueViolation) and "entries_issued_doc" in str(exc):
                raise RegistryError(f"{self.path}: {action} failed: the document was issued meanwhile"
                                    " by another workstation") from None
            raise RegistryError(f"{self.path}: {action} failed: {self._message(exc)}") from None

    def _rollback(self) -> None:
        if self._conn is not None and self._in_tx:
            try:
                if not self._conn.broken:
                    self._conn.execute("ROLLBACK")
            except psycopg.Error:
                pass
        self._in_tx = False

    def _read(self, action: str, fn: Callable[[psycopg.Connection], object]):
        """A read, retried on a new session when the server restarted under it."""
        if self._in_tx:
            with self._translate(action):
                return fn(self._db)
        deadline = time.monotonic() + retry_window()
        while True:
            try:
                with self._translate(action):
                    return fn(self._db)
            except BookInterrupted:
                if time.monotonic() > deadline:
                    raise
                self._reconnect(deadline)

    def _transaction(self, action: str, body: Callable[[psycopg.Connection, str], object],
                     stored: Callable[[psycopg.Connection, str], object]):
        """Run `body` in one transaction; retried while the session dies before COMMIT.

        When the session dies during COMMIT, `stored(conn, token)` on a new session tells
        whether the change is in the book (its result is returned) or not (None: run again).
        """
        if self._in_tx:
            raise RegistryError(f"{self.path}: {action} refused: another book operation is still open")
        deadline = time.monotonic() + retry_window()
        while True:
            token = uuid.uuid4().hex
            committing = False
            try:
                with self._translate(action):
                    conn = self._db
                    conn.execute("BEGIN")
                    self._in_tx = True
                    result = body(conn, token)
                    committing = True
                    conn.execute("COMMIT")
                    self._in_tx = False
                    return result
            except BookInterrupted:
                self._in_tx = False
                if time.monotonic() > deadline:
                    raise
                conn = self._reconnect(deadline)
                if committing:
                    with self._translate(action):
                        found = stored(conn, token)
                    if found is not None:
                        return found
            except BaseException:
                self._rollback()
                raise

    def _lock_counter(self, conn: psycopg.Connection, series: str, year: int) -> int:
        """Lock the series counter of the year; the next free number under that lock."""
        conn.execute(f"INSERT INTO {S}counters (series, year) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                     (series, year))
        last = conn.execute(f"SELECT last_number FROM {S}counters WHERE series = %s AND year = %s FOR UPDATE",
                            (series, year)).fetchone()[0]
        top = conn.execute(f"SELECT COALESCE(MAX(number), 0) FROM {S}entries WHERE series = %s AND year = %s",
                           (series, year)).fetchone()[0]
        return max(last, top) + 1

    def _raise_counter(self, conn: psycopg.Connection, series: str, year: int, number: int) -> None:
        conn.execute(f"UPDATE {S}counters SET last_number = GREATEST(last_number, %s) WHERE series = %s AND year = %s",
                     (number, series, year))

    def _get(self, conn: psycopg.Connection, series: str, year: int, number: int) -> Entry | None:
        row = conn.execute(_ENTRY_SELECT + " WHERE series = %s AND year = %s AND number = %s",
                           (series, year, number)).fetchone()
        return _entry(row) if row else None

    def _find(self, conn: psycopg.Connection, doc_id: str) -> Entry | None:
        row = conn.execute(_ENTRY_SELECT + " WHERE status = 'issued' AND doc_id = %s", (doc_id,)).fetchone()
        return _entry(row) if row else None

    def _insert_revision(self, conn, doc_id, content_hash, paragraphs, docx, trigger, *, now, token) -> Revision:
        rev = conn.execute(f"SELECT COALESCE(MAX(rev), 0) + 1 FROM {S}revisions WHERE doc_id = %s",
                           (doc_id,)).fetchone()[0]
        conn.execute(
            f"INSERT INTO {S}revisions ({_REVISION_COLUMNS}, tx_token) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (doc_id, rev, now, content_hash, trigger, json.dumps(paragraphs, ensure_ascii=False), docx, token),
        )
        return Revision(doc_id, rev, now, content_hash, trigger, paragraphs, docx)

    @contextmanager
    def _holding(self, action: str, prepare: Callable[[psycopg.Connection], _PgAllocation]):
        """Keep a transaction (and the counter lock) open around the caller's block."""
        if self._in_tx:
            raise RegistryError(f"{self.path}: {action} refused: another book operation is still open")
        deadline = time.monotonic() + retry_window()
        while True:
            try:
                with self._translate(action):
                    conn = self._db
                    conn.execute("BEGIN")
                    self._in_tx = True
                    allocation = prepare(conn)
                break
            except BookInterrupted:
                self._in_tx = False
                if time.monotonic() > deadline:
                    raise
                self._reconnect(deadline)
            except BaseException:
                self._rollback()
                raise
        try:
            yield allocation
            if allocation.recorded:
                try:
                    with self._translate(action):
                        conn.execute("COMMIT")
                    self._in_tx = False
                except BookInterrupted:
                    self._in_tx = False
                    conn = self._reconnect(time.monotonic() + retry_window())
                    with self._translate(action):
                        stored = conn.execute(f"SELECT 1 FROM {S}entries WHERE tx_token = %s LIMIT 1",
                                              (allocation.token,)).fetchone()
                    if stored is None:
                        raise BookInterrupted(
                            f"{self.path}: {action} failed: the connection to the server was lost while"
                            f" committing {_label(allocation.series, allocation.year, allocation.number)};"
                            " the server did not store it, so nothing was consumed") from None
        except BookInterrupted:
            raise
        finally:
            allocation._open = False
            self._rollback()

    # -- interface -------------------------------------------------------------------------

    def find(self, doc_id: str) -> Entry | None:
        _check_text("document id", doc_id)
        return self._read("looking up a document", lambda conn: self._find(conn, doc_id))

    def issue(self, *, series, year, doc_id, symbol, title, date, number=None, register=None):
        register, date = _issue_arguments(series, year, doc_id, symbol, title, date, number, register)

        def prepare(conn: psycopg.Connection) -> _PgAllocation:
            _refuse_reissue(doc_id, self._find(conn, doc_id))
            following = self._lock_counter(conn, series, year)
            claims_reserved = False
            chosen = number
            if chosen is None:
                chosen = following
            else:
                claims_reserved = _claims_reserved(series, year, chosen, self._get(conn, series, year, chosen))
            return _PgAllocation(self, series=series, year=year, number=chosen, doc_id=doc_id, symbol=symbol,
                                 title=title, date=date, claims_reserved=claims_reserved, register=register)

        return self._holding("issuing a number", prepare)

    def renumber(self, doc_id, *, series, year, date):
        date = _renumber_arguments(doc_id, series, year, date)

        def prepare(conn: psycopg.Connection) -> _PgAllocation:
            old = _refuse_renumber(doc_id, self._find(conn, doc_id), series, year)
            conn.execute(f"SELECT 1 FROM {S}entries WHERE series = %s AND year = %s AND number = %s FOR UPDATE",
                         (old.series, old.year, old.number))
            return _PgAllocation(self, series=series, year=year, number=self._lock_counter(conn, series, year),
                                 doc_id=doc_id, symbol=old.symbol, title=old.title, date=date, moved_from=old,
                                 register=_register_json(old.register))

        return self._holding("renumbering a document", prepare)

    def add_revision(self, doc_id, *, content_hash, paragraphs, docx, trigger):
        _check_text("document id", doc_id)
        fields = _check_record(content_hash, paragraphs, docx, trigger)

        def body(conn, token):
            locked = conn.execute(f"SELECT 1 FROM {S}entries WHERE status = 'issued' AND doc_id = %s FOR UPDATE",
                                  (doc_id,)).fetchone()
            if locked is None:
                raise RegistryError(f"document {doc_id} is not issued; issue it before recording revisions")
            latest = conn.execute(
                f"SELECT content_hash FROM {S}revisions WHERE doc_id = %s ORDER BY rev DESC LIMIT 1", (doc_id,)
            ).fetchone()
            if latest is not None and latest[0] == content_hash:
                return _UNCHANGED
            return self._insert_revision(conn, doc_id, *fields, now=_now(), token=token)

        def stored(conn, token):
            row = conn.execute(f"SELECT {_REVISION_COLUMNS} FROM {S}revisions WHERE tx_token = %s", (token,)).fetchone()
            return _revision(row) if row else None

        result = self._transaction("recording a revision", body, stored)
        return None if result is _UNCHANGED else result

    def _revisions(self, conn, doc_id: str) -> list[Revision]:
        rows = conn.execute(f"SELECT {_REVISION_COLUMNS} FROM {S}revisions WHERE doc_id = %s ORDER BY rev",
                            (doc_id,)).fetchall()
        return [_revision(r) for r in rows]

    def revisions(self, doc_id: str) -> list[Revision]:
        return self._read("reading revisions", lambda conn: self._revisions(conn, doc_id))

    def revision(self, doc_id: str, rev: int) -> Revision:
        _check_int("revision", rev, low=1)

        def read(conn):
            row = conn.execute(f"SELECT {_REVISION_COLUMNS} FROM {S}revisions WHERE doc_id = %s AND rev = %s",
                               (doc_id, rev)).fetchone()
            count = None if row else conn.execute(f"SELECT COUNT(*) FROM {S}revisions WHERE doc_id = %s",
                                                  (doc_id,)).fetchone()[0]
            return row, count

        row, count = self._read("reading a revision", read)
        if row is None:
            raise _missing_revision(doc_id, rev, count)
        return _revision(row)

    def latest_revision(self, doc_id: str) -> Revision | None:
        row = self._read("reading a revision", lambda conn: conn.execute(
            f"SELECT {_REVISION_COLUMNS} FROM {S}revisions WHERE doc_id = %s ORDER BY rev DESC LIMIT 1",
            (doc_id,)).fetchone())
        return _revision(row) if row else None

    def reserve(self, *, series, year, count=1, note=None, force=False, today=None):
        _reserve_arguments(series, year, count, note, force, today)

        def body(conn, token):
            first = self._lock_counter(conn, series, year)
            numbers = list(range(first, first + count))
            now = _now()
            with conn.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO {S}entries ({_ENTRY_COLUMNS}, created_at, updated_at, tx_token)"
                    " VALUES (%s, %s, %s, 'reserved', NULL, NULL, NULL, NULL, %s, %s, %s, %s)",
                    [(series, year, n, note, now, now, token) for n in numbers])
            self._raise_counter(conn, series, year, numbers[-1])
            return numbers

        def stored(conn, token):
            rows = conn.execute(f"SELECT number FROM {S}entries WHERE tx_token = %s ORDER BY number",
                                (token,)).fetchall()
            return [r[0] for r in rows] or None

        return self._transaction("reserving numbers", body, stored)

    def void(self, *, series, year, number, reason):
        _void_arguments(series, year, number, reason)

        def body(conn, token):
            conn.execute(f"SELECT 1 FROM {S}entries WHERE series = %s AND year = %s AND number = %s FOR UPDATE",
                         (series, year, number))
            _refuse_void(self._get(conn, series, year, number), series, year, number)
            conn.execute(
                f"UPDATE {S}entries SET status = 'void', note = %s, updated_at = %s, tx_token = %s"
                " WHERE series = %s AND year = %s AND number = %s",
                (reason, _now(), token, series, year, number))
            return self._get(conn, series, year, number)

        def stored(conn, token):
            row = conn.execute(_ENTRY_SELECT + " WHERE tx_token = %s", (token,)).fetchone()
            return _entry(row) if row else None

        return self._transaction("voiding a number", body, stored)

    def entries(self, *, year=None, series=None) -> list[Entry]:
        where, args = [], []
        if year is not None:
            where.append("year = %s")
            args.append(year)
        if series is not None:
            where.append("series = %s")
            args.append(series)
        sql = _ENTRY_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY year, series, number"
        return [_entry(r) for r in self._read("listing the book", lambda conn: conn.execute(sql, args).fetchall())]

    def series_exists(self, series: str) -> bool:
        return self._read("looking up a series", lambda conn: conn.execute(
            f"SELECT 1 FROM {S}entries WHERE series = %s LIMIT 1", (series,)).fetchone()) is not None

    def dump_entries(self) -> list[tuple]:
        return [tuple(r) for r in self._read("reading the book", lambda conn: conn.execute(
            f"SELECT {', '.join(ENTRY_FIELDS)} FROM {S}entries ORDER BY year, series, number").fetchall())]

    def revision_page(self, after=None, limit=50) -> list[tuple]:
        sql = f"SELECT {', '.join(REVISION_FIELDS)} FROM {S}revisions"
        args: tuple = ()
        if after is not None:
            sql += ' WHERE doc_id COLLATE "C" > %s OR (doc_id = %s AND rev > %s)'
            args = (after[0], after[0], after[1])
        sql += ' ORDER BY doc_id COLLATE "C", rev LIMIT %s'
        rows = self._read("reading the book", lambda conn: conn.execute(sql, (*args, limit)).fetchall())
        return [(*r[:6], bytes(r[6])) for r in rows]

    def replace_contents(self, entries, revisions) -> None:
        cols_e, cols_r = ", ".join(ENTRY_FIELDS), ", ".join(REVISION_FIELDS)

        def body(conn, token):
            conn.execute(f"LOCK TABLE {S}counters, {S}entries, {S}revisions IN EXCLUSIVE MODE")
            conn.execute(f"DELETE FROM {S}revisions")
            conn.execute(f"DELETE FROM {S}entries")
            conn.execute(f"DELETE FROM {S}counters")
            with conn.cursor() as cur:
                cur.executemany(f"INSERT INTO {S}entries ({cols_e}, tx_token) VALUES "
                                f"({', '.join(['%s'] * (len(ENTRY_FIELDS) + 1))})",
                                [(*e, token) for e in entries])
                cur.executemany(f"INSERT INTO {S}revisions ({cols_r}, tx_token) VALUES "
                                f"({', '.join(['%s'] * (len(REVISION_FIELDS) + 1))})",
                                ((*r, token) for r in (revisions() if callable(revisions) else revisions)))
            conn.execute(f"INSERT INTO {S}counters (series, year, last_number) "
                         f"SELECT series, year, MAX(number) FROM {S}entries GROUP BY series, year")
            conn.execute(f"INSERT INTO {S}meta VALUES ('replaced_by', %s)"
                         " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (token,))
            return True

        def stored(conn, token):
            return conn.execute(f"SELECT 1 FROM {S}meta WHERE key = 'replaced_by' AND value = %s", (token,)).fetchone()

        self._transaction("replacing the book's contents", body, stored)

    def counts(self) -> tuple[int, int]:
        return self._read("counting the book", lambda conn: (
            conn.execute(f"SELECT COUNT(*) FROM {S}entries").fetchone()[0],
            conn.execute(f"SELECT COUNT(*) FROM {S}revisions").fetchone()[0]))

    def close(self) -> None:
        if self._conn is not None:
            self._rollback()
            try:
                self._conn.close()
            finally:
                self._conn = None


_UNCHANGED = object()
