"""The number book (sổ đăng ký văn bản đi): numbers, reservations, voids and revisions.

`open_book()` is the one entry point the workflow uses; it returns the `NumberBook` interface
so that a shared server database can replace the embedded SQLite file later.
"""
from __future__ import annotations

import os
from pathlib import Path

from .base import Allocation, Entry, NumberBook, Revision
from .diff import paragraph_diff
from .sqlite import SQLiteNumberBook

DEFAULT_REGISTRY = Path("data") / "registry.sqlite"
ENV_VAR = "DISPATCH_GEN_REGISTRY"


def registry_path(path: str | os.PathLike | None = None) -> Path:
    """The book's file: the given path, else $DISPATCH_GEN_REGISTRY, else data/registry.sqlite in the cwd."""
    if path is not None and str(path) != "":
        return Path(path)
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_REGISTRY


def open_book(path: str | os.PathLike | None = None) -> NumberBook:
    """Open (and create on first use) the number book."""
    return SQLiteNumberBook(registry_path(path))


__all__ = [
    "Allocation",
    "DEFAULT_REGISTRY",
    "ENV_VAR",
    "Entry",
    "NumberBook",
    "Revision",
    "SQLiteNumberBook",
    "open_book",
    "paragraph_diff",
    "registry_path",
]
