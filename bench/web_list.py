"""Benchmark: the documents list of `dispatch-gen serve` over a data folder of N files (default 500).

Not a test: run it by hand (`python bench/web_list.py --files 500`). It copies the sample and the
examples into N data files (distinct ids and years) in a temporary folder, issues a fifth of them
through a real number book, and times `GET /` through the application as waitress calls it (the
WSGI app, rendering included): the first load (every file read) and the following ones (files
unchanged since, read from the cache). A search and a year filter are timed too.

The goal is a page under 300 ms with 500 files; the last line is `warm/goal: R` (below 1 is met).
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:  # the installed package (`pip install '.[test]'`); a bare checkout only as a fallback
    import dispatch_gen  # noqa: F401
except ModuleNotFoundError:
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from dispatch_gen import api  # noqa: E402
from dispatch_gen.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 300.0


def make_folder(folder: Path, count: int) -> list[Path]:
    sources = [ROOT / "data" / "phat-dong-thi-dua-2024.yaml", *sorted((ROOT / "data" / "examples").glob("*.yaml"))]
    texts = [re.sub(r"^(number|date):.*$", r"\1:", s.read_text(encoding="utf-8"), flags=re.M) for s in sources]
    made = []
    for n in range(count):
        text = texts[n % len(texts)]
        doc_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
        sub = folder / f"nam-{2020 + n % 6}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"van-ban-{n:04d}.yaml"
        path.write_text(text.replace(f"id: {doc_id}", f"id: {doc_id}-{n:04d}", 1), encoding="utf-8")
        made.append(path)
    shutil.copy(ROOT / "data" / "ket-qua-thi-dua-2024.yaml", folder / "ket-qua-thi-dua-2024.yaml")
    return made


def timed(client, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.status_code
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--issued", type=float, default=0.2, help="share of the files issued in the book")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-list-") as tmp:
        root = Path(tmp)
        data = root / "data"
        made = make_folder(data, args.files)
        registry = root / "registry.sqlite"
        step = max(1, round(1 / args.issued)) if args.issued > 0 else 0
        issued = 0
        if step:
            for path in made[::step]:
                try:
                    year = api.load_document(path).campaign_year
                    api.issue(path, out_dir=root / "output", registry=registry, date=dt.date(year, 3, 1))
                    issued += 1
                except Exception as exc:  # a file the sample set cannot issue (gaps) is simply left a draft
                    print(f"not issued: {path.name}: {str(exc).splitlines()[0]}", file=sys.stderr)
        app = create_app(data, output=root / "output", registry=str(registry))
        client = app.test_client()
        cold = timed(client, "/", 1)[0]
        warm = timed(client, "/", args.runs)
        search = timed(client, "/?q=2025", args.runs)
        year = timed(client, "/?year=2024&status=issued", args.runs)
        size = len(client.get("/").data)
        print(f"files: {args.files + 1} ({issued} issued), page {size / 1024:.0f} KiB")
        print(f"first load (every file read): {cold:.0f} ms")
        print(f"list (median of {args.runs}):  {statistics.median(warm):.0f} ms  (max {max(warm):.0f})")
        print(f"search ?q=2025:              {statistics.median(search):.0f} ms")
        print(f"filter year + status:        {statistics.median(year):.0f} ms")
        print(f"cold/goal: {cold / GOAL_MS:.2f}")
        print(f"warm/goal: {statistics.median(warm) / GOAL_MS:.2f}")


if __name__ == "__main__":
    main()
