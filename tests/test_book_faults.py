"""Faults on the server book, on a real server: a restart under four `issue` loops, a connection cut
just before or just after COMMIT. Never a lost or duplicated number; files and book agree."""
from __future__ import annotations

import hashlib
import json
import os
import re
import select
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from dispatch_gen import api
from dispatch_gen.book import open_book
from dispatch_gen.publish import output_path

from conftest import SAMPLE

ROOT = Path(__file__).resolve().parents[1]
LOOPS = 4
PER_LOOP = 8


def make_data(folder: Path, doc_id: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace("id: phat-dong-thi-dua-2024", f"id: {doc_id}")
    text = re.sub(r"^number: 31 ", "number: ", text, flags=re.M)
    path = folder / f"{doc_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


_LOOP = """
import json, sys
from pathlib import Path
from dispatch_gen import api
from dispatch_gen.errors import DispatchGenError
url, out, *files = sys.argv[1:]
for f in files:
    try:
        o = api.issue(f, out_dir=out, registry=url)
        print(json.dumps({"file": f, "number": o.document.number, "path": str(o.path)}), flush=True)
    except DispatchGenError as exc:
        print(json.dumps({"file": f, "error": exc.lines}), flush=True)
"""


def test_server_restart_during_four_issue_loops(tmp_path, pg_cluster, pg_book_url):
    out = tmp_path / "output"
    files = [[make_data(tmp_path, f"cv-{w}-{i}") for i in range(PER_LOOP)] for w in range(LOOPS)]
    env = dict(os.environ, DISPATCH_GEN_REGISTRY_RETRY="60",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(_LOOP), pg_book_url, str(out), *map(str, fs)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for fs in files]
    try:
        deadline = time.monotonic() + 120
        with open_book(pg_book_url) as book:
            while len(book.entries()) < LOOPS and time.monotonic() < deadline:
                time.sleep(0.05)
            issued_before = len(book.entries())
        pg_cluster.restart(mode="fast", pause=1.5)  # every session is cut, mid-issue for some
        results = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=240)
            assert p.returncode == 0, stderr
            assert "Traceback" not in stderr, stderr
            results += [json.loads(line) for line in stdout.splitlines()]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert issued_before < LOOPS * PER_LOOP, "the restart came after the loops were done"
    failures = [r for r in results if "error" in r]
    assert not failures, failures
    numbers = sorted(r["number"] for r in results)
    assert numbers == list(range(1, LOOPS * PER_LOOP + 1)), "no number lost or given twice"
    with open_book(pg_book_url) as book:
        entries = book.entries()
        assert [e.number for e in entries] == numbers
        for r in results:
            path = Path(r["path"])
            assert path.is_file(), f"issued document missing: {path}"
            doc_id = Path(r["file"]).stem
            entry = book.find(doc_id)
            assert entry.number == r["number"]
            latest = book.latest_revision(doc_id)
            assert latest.rev == 1 and hashlib.sha256(path.read_bytes()).hexdigest() == latest.content_hash
            assert api.load_document(r["file"]).number == r["number"], "number written back to the data"


class CuttingProxy:
    """A TCP relay to the server that cuts both sides when the client sends COMMIT.

    `mode`: "after" forwards the COMMIT and cuts once the server had time to commit (the reply is
    lost: the client cannot know), "before" cuts without forwarding it (nothing committed).
    """

    def __init__(self, port: int):
        self.target = ("127.0.0.1", port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.mode: str | None = None
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        return re.sub(r"@127\.0\.0\.1:\d+/", f"@127.0.0.1:{self.port}/", url)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._relay, args=(client, upstream), daemon=True).start()

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([client, upstream], [], [], 30)
                if not ready:
                    break
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    if s is client and self.mode and b"COMMIT" in data:
                        mode, self.mode = self.mode, None
                        self.cuts += 1
                        if mode == "after":
                            upstream.sendall(data)
                            time.sleep(0.5)
                        return
                    (upstream if s is client else client).sendall(data)
        except OSError:
            pass
        finally:
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def proxy(pg_cluster):
    p = CuttingProxy(pg_cluster.port)
    yield p
    p.close()


@pytest.mark.parametrize("mode", ["after", "before"])
def test_connection_cut_at_commit_neither_loses_nor_duplicates(tmp_path, pg_book_url, proxy, mode):
    url = proxy.url(pg_book_url)
    out = tmp_path / "output"
    first = api.issue(make_data(tmp_path, "truoc"), out_dir=out, registry=url)
    assert first.document.number == 1
    proxy.mode = mode
    data = make_data(tmp_path, "giua")
    outcome = api.issue(data, out_dir=out, registry=url)
    assert proxy.cuts == 1
    assert outcome.document.number == 2 and outcome.path.is_file()
    with open_book(pg_book_url) as book:
        assert [(e.number, e.doc_id) for e in book.entries()] == [(1, "truoc"), (2, "giua")]
        assert [r.rev for r in book.revisions("giua")] == [1]
        assert hashlib.sha256(outcome.path.read_bytes()).hexdigest() == book.latest_revision("giua").content_hash
    assert api.load_document(data).number == 2
    assert api.issue(make_data(tmp_path, "sau"), out_dir=out, registry=url).document.number == 3
    assert sorted(p.name for p in (out / "2024").iterdir()) == [
        output_path(api.load_document(tmp_path / f"{d}.yaml"), out).name for d in ("truoc", "giua", "sau")]


@pytest.mark.parametrize("mode", ["after", "before"])
def test_reserve_cut_at_commit_is_resolved_by_its_token(pg_book_url, proxy, mode):
    url = proxy.url(pg_book_url)
    with open_book(url) as book:
        assert book.reserve(series="CĐC", year=2099, count=2) == [1, 2]
        proxy.mode = mode
        assert book.reserve(series="CĐC", year=2099, count=2) == [3, 4]
        assert proxy.cuts == 1
        assert book.reserve(series="CĐC", year=2099) == [5]
    with open_book(pg_book_url) as book:
        assert [e.number for e in book.entries()] == [1, 2, 3, 4, 5]
