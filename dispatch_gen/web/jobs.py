"""Long work (certificates, PDF batches) in a background thread, its progress read by the page.

A job is started by a POST, runs on its own thread and records how far it got; the page polls
`/jobs/<id>.json` for a progress bar, and a person may leave and come back: the job list stays
in memory as long as the server runs.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import DispatchGenError

log = logging.getLogger("dispatch_gen.web")


@dataclass
class Job:
    id: str
    title: str
    owner: str | None = None
    total: int = 0
    done: int = 0
    state: str = "running"  # running | done | failed
    message: str = ""
    problems: list[str] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, n: int = 1) -> None:
        self.done += n

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "state": self.state, "done": self.done, "total": self.total,
                "percent": self.percent, "message": self.message, "problems": self.problems}


class Jobs:
    def __init__(self, keep: int = 50):
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def start(self, title: str, work: Callable[[Job], dict], owner: str | None = None) -> Job:
        job = Job(secrets.token_hex(8), title, owner)
        with self._lock:
            self._jobs[job.id] = job
            for old in sorted(self._jobs.values(), key=lambda j: j.started)[:-self._keep]:
                self._jobs.pop(old.id, None)

        def run() -> None:
            try:
                job.result = work(job) or {}
                job.state = "done"
            except DispatchGenError as exc:
                job.problems = exc.lines
                job.state = "failed"
            except Exception:  # the page shows one message; the log has the detail
                log.exception("job %s (%s) failed", job.id, title)
                job.message = "Lỗi trong máy chủ; chi tiết đã ghi vào nhật ký máy chủ."
                job.state = "failed"
            finally:
                job.finished = time.time()

        threading.Thread(target=run, name=f"job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.started, reverse=True)
