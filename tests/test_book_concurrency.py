"""Many processes and a killed process against one number book, on each backend."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dispatch_gen.book import open_book

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 8
PER_WORKER = 50


def _allocate(path: str, worker: int, start, results) -> None:
    """Open the book (first use races too), wait for the others, then issue 50 documents."""
    start.wait()
    try:
        book = open_book(path)
        numbers = []
        for i in range(PER_WORKER):
            doc_id = f"w{worker}-{i}"
            with book.issue(series="CĐC", year=2025, doc_id=doc_id, symbol=None, title=None, date=None) as alloc:
                alloc.record(f"hash-{doc_id}", [doc_id], doc_id.encode(), "issue")
            numbers.append(alloc.number)
        book.close()
    except Exception as exc:
        results.put((worker, repr(exc)))
    else:
        results.put((worker, numbers))


def test_parallel_processes_get_distinct_numbers_without_gaps(tmp_path, book_address):
    path = str(tmp_path / "shared" / "registry.sqlite") if "://" not in book_address else book_address
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_allocate, args=(path, w, start, results)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    collected = dict(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    failures = {w: r for w, r in collected.items() if isinstance(r, str)}
    assert not failures
    numbers = [n for ns in collected.values() for n in ns]
    assert sorted(numbers) == list(range(1, WORKERS * PER_WORKER + 1))
    for ns in collected.values():
        assert ns == sorted(ns)
    with open_book(path) as book:
        entries = book.entries(year=2025, series="CĐC")
        assert [e.number for e in entries] == list(range(1, 401))
        assert all(e.status == "issued" and e.revisions == 1 for e in entries)


_KILLED = """
import sys, time
from dispatch_gen.book import open_book
book = open_book(sys.argv[1])
with book.issue(series="CĐC", year=2025, doc_id="killed", symbol="S", title="T", date="2025-04-01") as alloc:
    alloc.record("h", ["p"], b"docx", "issue")
    print("ready", alloc.number, flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_issue_leaves_no_entry_and_frees_the_number(book_address):
    path = book_address
    with open_book(path) as book:
        for doc_id in ("a", "b"):
            with book.issue(series="CĐC", year=2025, doc_id=doc_id, symbol=None, title=None, date=None) as alloc:
                alloc.record(doc_id, [doc_id], b"x", "issue")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(_KILLED), str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.split() == ["ready", "3"], proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with open_book(path) as book:
        assert book.find("killed") is None
        assert book.revisions("killed") == []
        assert [e.number for e in book.entries()] == [1, 2]
        with book.issue(series="CĐC", year=2025, doc_id="next", symbol=None, title=None, date=None) as alloc:
            assert alloc.number == 3
            alloc.record("n", ["n"], b"n", "issue")
        assert book.find("next").number == 3
