"""Temporary files and staging folders named after their process, so that a later run can tell
which ones a killed process left behind and remove them.

A name carries the pid and the start time of the process that made it
(`.31-PDTD-CTDP-CDC.docx.dg4242-918273.k2j4h1.part`): the pair is unique for the machine's
uptime, so a leftover is removed only when that very process is gone (a reused pid has another
start time). Nothing ever reads these files: a document becomes visible only by the rename of a
complete, synced file, so a truncated one is never picked up — it is only swept away.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.dg(?P<pid>\d+)-(?P<start>\d+)\.(?:[A-Za-z0-9_]+\.)?(?P<kind>part|new|old)$")


def _start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux /proc), or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    try:
        return int(stat[stat.rindex(b")") + 2:].split()[19])
    except (ValueError, IndexError):
        return None


@lru_cache(maxsize=1)
def _own_tag(pid: int) -> str:
    return f"dg{pid}-{_start_time(pid) or 0}"


def owner_tag() -> str:
    """`dg<pid>-<start time>` of this process (computed again after a fork)."""
    return _own_tag(os.getpid())


def _alive(pid: int, start: int) -> bool:
    if os.path.isdir("/proc/self"):
        now = _start_time(pid)
        return now is not None and (start == 0 or now == start)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(folder: str | os.PathLike) -> list[Path]:
    """Remove the temporary files and staging folders in `folder` whose process is gone."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _LEFTOVER.match(entry.name)
        if m is None or _alive(int(m["pid"]), int(m["start"])):
            continue
        path = Path(entry.path)
        try:
            if m["kind"] == "old" and not (path.parent / m["name"]).exists():
                path.rename(path.parent / m["name"])  # killed in the middle of a swap: put it back
            elif entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            continue
        removed.append(path)
    return removed


def temp_file(target: Path) -> tuple[int, Path]:
    """A new temporary file beside `target` (open descriptor and path), after sweeping the folder."""
    sweep(target.parent)
    with about(target):
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{owner_tag()}.", suffix=".part", dir=target.parent)
    return fd, Path(name)


@contextmanager
def about(target: Path):
    """An OSError raised while writing a temporary file is reported against `target`, the file
    the user asked for (not `.x.docx.dg42-7.k2j4.part`)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None or (str(exc.filename) != str(target) and str(exc.filename).endswith(".part")):
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise


def aside_name(target: Path) -> Path:
    """Where `target` is moved while a new version takes its place (`.<name>.dg<pid>-<start>.old`)."""
    return target.with_name(f".{target.name}.{owner_tag()}.old")


def staging_folder(target: Path) -> Path:
    """A new staging folder beside the folder `target`, after sweeping their parent."""
    sweep(target.parent)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{owner_tag()}.", suffix=".new", dir=target.parent))
