"""Helpers for hostile-input tests: run the real command line in a child process and measure it.

Each run is a `python -m dispatch_gen …` subprocess, so that a hang, a memory blow-up or a
traceback is seen as a user would see it. The child's peak memory (RSS) and CPU time come from
`wait4()`; an address-space cap and a wall-clock kill keep a regression from taking the machine
down with it.
"""
from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
RESULTS_XLSX = ROOT / "data" / "ket-qua-thi-dua-2024.xlsx"

TIME_LIMIT = 5.0
"""CPU seconds (user + system) a hostile input may cost."""
MEMORY_LIMIT_MB = 300
"""Peak resident memory a hostile input may cost."""
HANG_KILL = 60.0
"""Wall-clock seconds after which a run is killed (a hang; CPU time is what is asserted, since the
machine is shared by other test runs)."""
ADDRESS_SPACE_CAP = 3 * 1024 ** 3


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float
    wall_seconds: float
    peak_mb: float
    killed: bool

    @property
    def error_lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.startswith("error: ")]

    def describe(self) -> str:
        return (f"dispatch-gen {' '.join(self.args)}\n exit {self.returncode}, {self.cpu_seconds:.1f} s CPU, "
                f"{self.wall_seconds:.1f} s wall, {self.peak_mb:.0f} MB\n stdout: {self.stdout[-2000:]}\n"
                f" stderr: {self.stderr[-4000:]}")


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))
    os.setsid()


def run_cli(*args: str | os.PathLike, cwd: Path | None = None, env: dict | None = None,
                 fsize: int | None = None, kill_after: float = HANG_KILL) -> Run:
    """Run `dispatch-gen ARGS` in a child process, reaped with wait4() so that its peak memory and
    CPU time are its own; return its output, exit status and costs."""
    argv = [str(a) for a in args]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        def preexec() -> None:
            _limits()
            if fsize is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                preexec()
                if cwd is not None:
                    os.chdir(cwd)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                os.execve(sys.executable, [sys.executable, "-m", "dispatch_gen", *argv], full_env)
            finally:
                os._exit(127)
        killed = False
        deadline = start + kill_after
        while True:
            wpid, status, ru = os.wait4(pid, os.WNOHANG)
            if wpid:
                break
            if time.monotonic() > deadline:
                killed = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                wpid, status, ru = os.wait4(pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        return Run(argv, code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss / 1024, killed)


def assert_one_located_error(run: Run, where: str | os.PathLike, pattern: str = "") -> str:
    """Exit 1, no traceback, exactly one `error:` line naming `where` (and matching `pattern`),
    within the time and memory limits. Returns the line."""
    info = run.describe()
    assert not run.killed, "killed after hanging\n" + info
    assert "Traceback" not in run.stderr, info
    assert run.returncode == 1, info
    lines = run.error_lines
    assert len(lines) == 1, info
    line = lines[0]
    assert line.startswith(f"error: {where}"), info
    if pattern:
        assert re.search(pattern, line), info
    assert run.cpu_seconds < TIME_LIMIT, info
    assert run.peak_mb < MEMORY_LIMIT_MB, info
    return line


def files_under(folder: Path) -> list[Path]:
    """Every file and folder left under `folder` (hidden ones included)."""
    if not folder.exists():
        return []
    return sorted(folder.rglob("*"))


def book_entries(registry: Path) -> list[tuple]:
    """Every row of the number book (none when it was never created)."""
    if not registry.exists():
        return []
    with contextlib.closing(sqlite3.connect(registry)) as conn:
        return conn.execute("SELECT series, year, number, status, doc_id FROM entries").fetchall()


def sample_with(tmp_path: Path, old: str, new: str, name: str = "data.yaml", count: int = 1) -> Path:
    """A copy of the sample data with `old` replaced by `new` (which must be there)."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def sample_regex(tmp_path: Path, pattern: str, new: str, name: str = "data.yaml") -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    changed, n = re.subn(pattern, lambda m: new, text, count=1, flags=re.M)
    assert n == 1, pattern
    path = tmp_path / name
    path.write_text(changed, encoding="utf-8")
    return path


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "1m", read_only: bool = False):
    """A small tmpfs mounted at `folder` (root only); skips the test where mounting is not allowed."""
    import pytest

    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    opts = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> None:
    """Fill the file system of `folder` to the last byte."""
    with contextlib.suppress(OSError):
        with open(folder / "filler", "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
