"""A small on-disk cache of work that depends only on file contents (compiled templates, parsed
profiles), so that a command does not redo it at every start.

Entries are keyed by a digest of everything that shaped them (the input bytes, our code, the
library versions): a changed template or an upgraded Jinja simply misses. The cache lives in
`$DISPATCH_GEN_CACHE`, else `$XDG_CACHE_HOME/dispatch-gen`, else `~/.cache/dispatch-gen`;
`DISPATCH_GEN_CACHE=off` turns it off. It is only ever an accelerator: an unreadable, damaged or
unwritable cache is ignored and the work done afresh.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_OFF = {"0", "off", "no", "false"}


def folder() -> Path | None:
    """The cache folder, or None when caching is off."""
    setting = os.environ.get("DISPATCH_GEN_CACHE", "")
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dispatch-gen"


def key(*parts: bytes | str) -> str:
    """A digest of every input that shaped an entry."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def get(kind: str, digest: str) -> bytes | None:
    where = folder()
    if where is None:
        return None
    try:
        return (where / kind / digest).read_bytes()
    except OSError:
        return None


def put(kind: str, digest: str, data: bytes) -> None:
    """Store an entry atomically (a concurrent reader sees the whole entry or none)."""
    where = folder()
    if where is None:
        return
    target = where / kind / digest
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{digest[:16]}.", suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def source_digest(*modules: object) -> str:
    """A digest of our own modules' source files: a code change invalidates what they cached."""
    return key(*(Path(getattr(m, "__file__")).read_bytes() for m in modules))
