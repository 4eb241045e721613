"""The people allowed to sign in when the server is reachable beyond this computer.

A users file holds one `name:argon2-hash` a line (made with `dispatch-gen users add NAME`);
passwords are never stored, only their Argon2id hashes.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError, Problem
from ..writers.atomic import write_bytes_atomic

NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_PASSWORD = 8


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def read_users(path: str | Path) -> dict[str, str]:
    """name → hash; every malformed line is a located error."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(Problem(str(path), "users file not found (make it with `dispatch-gen users add NAME`)")) from None
    users: dict[str, str] = {}
    problems = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, digest = line.strip().partition(":")
        if not sep or not NAME.match(name) or not digest.startswith("$argon2"):
            problems.append(Problem(str(path), "expected `name:$argon2id$…`", line=number))
            continue
        users[name] = digest
    if problems:
        raise DataError(problems)
    return users


def add_user(path: str | Path, name: str, password: str) -> None:
    """Add `name` (or change their password), written atomically."""
    if not NAME.match(name):
        raise DataError(f"{name!r}: a user name is 1–64 ASCII letters, digits, '.', '_', '@' or '-'")
    if len(password) < MIN_PASSWORD:
        raise DataError(f"the password must have at least {MIN_PASSWORD} characters")
    path = Path(path)
    users = read_users(path) if path.exists() else {}
    users[name] = _hasher().hash(password)
    text = "".join(f"{n}:{h}\n" for n, h in users.items())
    write_bytes_atomic(path, text.encode("utf-8"))


def remove_user(path: str | Path, name: str) -> None:
    users = read_users(path)
    if name not in users:
        raise DataError(Problem(str(path), f"no user {name!r}"))
    del users[name]
    write_bytes_atomic(Path(path), "".join(f"{n}:{h}\n" for n, h in users.items()).encode("utf-8"))


def verify(users: dict[str, str], name: str, password: str) -> bool:
    """Whether the password is right; an unknown name costs the same time as a wrong password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    digest = users.get(name)
    try:
        if digest is None:
            hasher.verify(_DUMMY[0] or _dummy(hasher), password)
            return False
        return hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str | None] = [None]


def _dummy(hasher) -> str:
    _DUMMY[0] = hasher.hash("not a real password")
    return _DUMMY[0]
