"""The number book (sổ đăng ký văn bản đi): numbers, reservations, voids and revisions.

`open_book()` is the one entry point the workflow uses; it returns the `NumberBook` interface
and picks the backend from the book's address: a file path is the embedded
SQLite book, `postgresql://user@host:5432/db` the office's shared book on a PostgreSQL server.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import RegistryError
from .base import Allocation, BookInterrupted, Entry, NumberBook, Revision
from .diff import paragraph_diff
from .sqlite import SQLiteNumberBook

DEFAULT_REGISTRY = Path("data") / "registry.sqlite"
ENV_VAR = "DISPATCH_GEN_REGISTRY"
SERVER_SCHEMES = ("postgresql", "postgres")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class BookAddress:
    """Where the book lives: `kind` is "sqlite" (target: a file path) or "postgresql" (a URL)."""

    kind: str
    target: str

    @property
    def path(self) -> Path:
        if self.kind != "sqlite":
            raise RegistryError(f"{self}: the number book is on a server, not in a file")
        return Path(self.target)

    def __str__(self) -> str:
        return redact(self.target) if self.kind == "postgresql" else self.target


def redact(url: str) -> str:
    """The address without its password, for messages and listings."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))


def book_address(address: str | os.PathLike | None = None) -> BookAddress:
    """The book's address: the given one, else $DISPATCH_GEN_REGISTRY, else data/registry.sqlite."""
    if address is None or str(address) == "":
        address = os.environ.get(ENV_VAR, "").strip() or DEFAULT_REGISTRY
    if isinstance(address, os.PathLike):
        return BookAddress("sqlite", os.fspath(address))
    text = str(address)
    match = _SCHEME.match(text)
    if not match:
        return BookAddress("sqlite", text)
    scheme = match.group(1).lower()
    if scheme in SERVER_SCHEMES:
        return BookAddress("postgresql", text)
    raise RegistryError(
        f"{redact(text)}: unknown number book address (use a .sqlite file path or postgresql://user@host/db)"
    )


def registry_path(path: str | os.PathLike | None = None) -> Path:
    """The book's file (SQLite): the given path, else $DISPATCH_GEN_REGISTRY, else data/registry.sqlite."""
    return book_address(path).path


def book_exists(address: str | os.PathLike | None = None) -> bool:
    """Whether opening the book reads an existing book rather than creating one.

    A SQLite book exists once its file does; a server book is never created by opening it
    (`registry init` does that), so opening it is always a read of what is there.
    """
    where = book_address(address)
    return where.kind == "postgresql" or where.path.exists()


def open_book(address: str | os.PathLike | None = None) -> NumberBook:
    """Open the number book at `address` (a SQLite file is created on first use)."""
    where = book_address(address)
    if where.kind == "postgresql":
        from .postgres import PostgresNumberBook

        return PostgresNumberBook(where.target)
    return SQLiteNumberBook(where.target)


def init_book(address: str | os.PathLike | None = None) -> tuple[str, int, int]:
    """Create the book's schema, or upgrade it to this version: (address, version before, after)."""
    where = book_address(address)
    if where.kind == "postgresql":
        from .postgres import init_schema

        before, after = init_schema(where.target)
        return str(where), before, after
    from . import sqlite as _sqlite

    before = _sqlite.schema_version(where.target)
    SQLiteNumberBook(where.target).close()
    return str(where), before, _sqlite.SCHEMA_VERSION


__all__ = [
    "Allocation",
    "BookAddress",
    "BookInterrupted",
    "DEFAULT_REGISTRY",
    "ENV_VAR",
    "Entry",
    "NumberBook",
    "Revision",
    "SQLiteNumberBook",
    "book_address",
    "book_exists",
    "init_book",
    "open_book",
    "paragraph_diff",
    "redact",
    "registry_path",
]
