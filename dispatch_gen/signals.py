"""Stopping cleanly: SIGTERM and SIGHUP handled like Ctrl-C, and children that die with their parent.

`kill PID`, a closed terminal or a service manager's stop sends SIGTERM or SIGHUP, whose default
is to end the process at once: LibreOffice processes, worker processes and temporary folders would
be left behind. Inside `terminating_like_ctrl_c()` they raise `Terminated`, a KeyboardInterrupt,
so every `finally` and `except KeyboardInterrupt` that cleans up after Ctrl-C runs for them too;
the command then exits with 128 + the signal's number (143, 129), as a shell reports it.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

HANDLED = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: stop as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def exit_status(exc: KeyboardInterrupt) -> int:
    """130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP."""
    return exc.exit_status if isinstance(exc, Terminated) else 130


def _raise(signum: int, frame) -> None:
    raise Terminated(signum)


@contextmanager
def terminating_like_ctrl_c() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for sig in HANDLED:
        current = signal.getsignal(sig)
        if current is signal.SIG_IGN:  # nohup: the user asked for SIGHUP to be ignored
            continue
        previous[sig] = current
        signal.signal(sig, _raise)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def die_with_parent(parent: int | None = None) -> None:
    """Make this (child) process end when its parent dies, even by SIGKILL.

    Linux: `prctl(PR_SET_PDEATHSIG, SIGKILL)`; elsewhere, or if that fails, a thread watching the
    parent's pid. A parent already gone by the time this runs ends the child at once.
    """
    parent = parent or os.getppid()
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        def watch() -> None:
            import time

            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
