"""Atomic file writes: a failed or killed write never leaves a half-written or clobbered file."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .leftovers import about, temp_file


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one rename.

    The temporary file sits in the same folder so that the rename is atomic on POSIX; on any
    exception it is removed and `target` keeps its earlier content.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_path = temp_file(target)
    os.close(fd)
    try:
        with about(target):
            yield tmp_path
            with open(tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp_path, 0o644)
            os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `target` atomically and return the target path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


class Staged:
    """Bytes written and synced beside their target, put in place later by one rename.

    Lets a caller commit another record (the number book) between writing and renaming: if the
    record fails, `discard()` leaves the target as it was.
    """

    def __init__(self, target: str | os.PathLike, data: bytes, mode: int = 0o644):
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = temp_file(self.target)
        try:
            with about(self.target), os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(self.tmp, mode)
        except BaseException:
            self.discard()
            raise

    def commit(self) -> Path:
        os.replace(self.tmp, self.target)
        return self.target

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)
