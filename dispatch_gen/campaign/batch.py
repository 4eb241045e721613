"""Render many documents from one template: compile once, stream each file to disk, use every core.

docxtpl re-reads, re-preprocesses and re-compresses the whole template for every document; here the
template is compiled once per process (`CompiledTemplate`: docxtpl's own preprocessing, then a
sandboxed Jinja template), so a document costs its Jinja render and the deflate of its changed
parts. Each document is written as soon as it is rendered and nothing is kept, so memory stays
flat however large the batch. A large batch is split over worker processes, each compiling the
template once; chunks are submitted a few at a time, so the input is consumed lazily too.

Each file is written in place (a partial file is removed if rendering fails); a caller that needs
the batch to appear whole renders into a staging folder and swaps it in (see `swap_folder`), which
costs one rename per batch instead of one per file.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..render.engine import CompiledTemplate
from ..writers.leftovers import aside_name

PARALLEL_FROM = 200
"""Batches at least this large use several processes (below, starting them costs more than it saves)."""
CHUNK = 32
IN_FLIGHT_PER_WORKER = 3

Item = tuple[Path, dict[str, Any]]


def default_workers(count: int | None) -> int:
    """Both cores (all, up to two) for a large batch; one process otherwise."""
    if count is not None and count < PARALLEL_FROM:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def write_one(template: CompiledTemplate, path: Path, context: dict[str, Any]) -> None:
    """Render straight into `path`; nothing is left behind if rendering fails."""
    try:
        with open(path, "wb") as fh:
            template.render_to(fh, context)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def swap_folder(staging: Path, target: Path) -> Path:
    """Put a fully written `staging` folder in place of `target` (whose old content is removed)."""
    staging.chmod(0o755)
    old = None
    if target.exists():
        old = aside_name(target)
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old)
    return target


_WORKER_TEMPLATE: CompiledTemplate | None = None


def _init_worker(source: bytes, name: str, parent: int) -> None:
    global _WORKER_TEMPLATE
    from ..signals import die_with_parent

    die_with_parent(parent)  # a killed parent (even SIGKILL) leaves no worker running
    _WORKER_TEMPLATE = CompiledTemplate(source, name=name)


def _render_chunk(chunk: list[Item]) -> int:
    assert _WORKER_TEMPLATE is not None
    for path, context in chunk:
        write_one(_WORKER_TEMPLATE, path, context)
    return len(chunk)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def render_batch(template: str | Path | bytes, items: Iterable[Item], *, count: int | None = None,
                 workers: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Write every (path, context) of `items`; return how many were written.

    `count` (the number of items, when known) decides whether to go parallel; `workers` forces
    a number of processes. `progress(n)` is called in this process after each n documents.
    """
    source = template if isinstance(template, bytes) else Path(template).read_bytes()
    name = "template" if isinstance(template, bytes) else Path(template).name
    workers = workers or default_workers(count)
    report = progress or (lambda n: None)
    if workers == 1:
        compiled = CompiledTemplate(source, name=name)
        done = 0
        for path, context in items:
            write_one(compiled, path, context)
            done += 1
            report(1)
        return done
    CompiledTemplate(source, name=name)  # a broken template fails here, once, not in every worker
    done = 0
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                             initargs=(source, name, os.getpid())) as pool:
        pending: set[Future] = set()
        try:
            for chunk in _chunks(items, CHUNK):
                if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in finished:
                        done += f.result()
                        report(f.result())
                pending.add(pool.submit(_render_chunk, chunk))
            for f in pending:
                n = f.result()
                done += n
                report(n)
        except BaseException:
            for f in pending:
                f.cancel()
            raise
    return done
