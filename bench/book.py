"""Benchmark: reservations per second on the number book, SQLite and PostgreSQL, 1/4/16 clients.

Not a test: run it by hand (`python bench/book.py [--seconds 3] [--url postgresql://…]`).

Each client is its own process with its own connection, reserving one number at a time in the
same series (the worst case: every reservation waits for the series lock), until the time is
up. Without --url a throw-away PostgreSQL cluster is started the way the tests start it (initdb
and pg_ctl as the `postgres` user in a temp folder; needs /usr/lib/postgresql/15/bin). After each
run the book is checked: the numbers must be 1..N with no gap and no duplicate. The throw-away
cluster runs with fsync off (as in the tests) while the SQLite book syncs every commit: give
--url of a real server for figures an office would see.
The last line is `postgresql/sqlite at 16 clients: R`.
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

try:  # the installed package (`pip install '.[test]'`); a bare checkout only as a fallback
    import dispatch_gen  # noqa: F401
except ModuleNotFoundError:
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from dispatch_gen.book import open_book  # noqa: E402

CLIENTS = (1, 4, 16)


def _client(address: str, seconds: float, start, counts) -> None:
    book = open_book(address)
    start.wait()
    stop = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop:
        book.reserve(series="BENCH", year=2099, force=True)
        n += 1
    book.close()
    counts.put(n)


def run(address: str, clients: int, seconds: float) -> float:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(clients + 1)
    counts = ctx.Queue()
    procs = [ctx.Process(target=_client, args=(address, seconds, start, counts)) for _ in range(clients)]
    for p in procs:
        p.start()
    start.wait()
    began = time.monotonic()
    total = sum(counts.get(timeout=seconds + 120) for _ in procs)
    elapsed = time.monotonic() - began
    for p in procs:
        p.join()
    with open_book(address) as book:
        numbers = [e.number for e in book.entries(series="BENCH")]
    if numbers != list(range(1, total + 1)):
        raise SystemExit(f"{address}: numbers are not 1..{total} without gaps or duplicates")
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--url", help="an existing empty PostgreSQL database (else a throw-away cluster)")
    args = parser.parse_args()
    from dispatch_gen.book import init_book

    cluster = None
    if args.url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        import pg_cluster

        reason = pg_cluster.missing()
        if reason:
            raise SystemExit(reason)
        cluster = pg_cluster.Cluster()
        cluster.start()
    rates: dict[tuple[str, int], float] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for clients in CLIENTS:
                sqlite = str(Path(tmp) / f"book-{clients}.sqlite")
                if cluster is not None:
                    url = cluster.create_database(f"bench_{clients}")
                else:
                    url = args.url
                init_book(url)
                if args.url:
                    with open_book(url) as book:
                        book.replace_contents([], [])
                for kind, address in (("sqlite", sqlite), ("postgresql", url)):
                    rate = run(address, clients, args.seconds)
                    rates[(kind, clients)] = rate
                    print(f"{kind:<10} {clients:>2} client(s): {rate:8.0f} reservations/s", flush=True)
    finally:
        if cluster is not None:
            cluster.destroy()
    print(f"postgresql/sqlite at 16 clients: {rates[('postgresql', 16)] / rates[('sqlite', 16)]:.2f}")


if __name__ == "__main__":
    main()
