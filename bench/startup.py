"""Benchmark: how long a command takes to start, beside the bare interpreter.

Not a test: run it by hand after `pip install '.[test]'` (`python bench/startup.py`). Each
command runs `--runs` times in a fresh process and the fastest wall time is kept (the others
measure the machine's other work). Measured:

- `python -c pass`: the floor any Python command pays;
- `import dispatch_gen.cli`: what every `dispatch-gen` command pays before it does anything,
  also as `python -X importtime` reports it (cumulative, the figure the issue's target is about);
- `dispatch-gen validate` of the sample, and `dispatch-gen build` of the sample already issued
  and unchanged (the everyday "did anything change?" run).

The sample is copied into a temporary folder with its own number book and cache, so the run
changes nothing in the checkout. The last line gives the figures in ms and as ratios to
`python -c pass`.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"


def command() -> list[str]:
    """The installed `dispatch-gen` script beside this interpreter, else `python -m dispatch_gen`."""
    script = Path(sys.executable).with_name("dispatch-gen")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dispatch_gen"]


def best(argv: list[str], runs: int, env: dict[str, str], cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def import_time_us(env: dict[str, str], cwd: Path, runs: int) -> int:
    """`python -X importtime -c "import dispatch_gen.cli"`: the cumulative figure of its top line."""
    figures = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import dispatch_gen.cli"], env=env,
                             cwd=cwd, capture_output=True, text=True, check=True).stderr
        m = re.search(r"import time:\s+\d+ \|\s+(\d+) \| dispatch_gen\.cli\s*$", out, re.M)
        figures.append(int(m.group(1)))
    return min(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command; the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / SAMPLE.name
        shutil.copy(SAMPLE, data)
        env = dict(os.environ, DISPATCH_GEN_REGISTRY=str(folder / "registry.sqlite"),
                   DISPATCH_GEN_CACHE=str(folder / "cache"))
        dg = command()
        build = dg + ["build", str(data), "-o", str(folder / "output")]
        subprocess.run(build, env=env, cwd=folder, check=True, capture_output=True)  # registers number 31
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("import dispatch_gen.cli", [sys.executable, "-c", "import dispatch_gen.cli"]),
            ("dispatch-gen --help", dg + ["--help"]),
            ("dispatch-gen validate (sample)", dg + ["validate", str(data)]),
            ("dispatch-gen build (issued, unchanged)", build),
        ]
        figures = {}
        for label, argv in rows:
            figures[label] = best(argv, args.runs, env, folder)
            print(f"{label:<40} {1000 * figures[label]:7.0f} ms (fastest of {args.runs})")
        imported = import_time_us(env, folder, args.runs)
        print(f"{'-X importtime dispatch_gen.cli':<40} {imported / 1000:7.0f} ms cumulative")
    floor = figures["python -c pass"]
    ms = lambda label: f"{1000 * figures[label]:.0f} ms"  # noqa: E731
    ratio = lambda label: f"{figures[label] / floor:.1f}"  # noqa: E731
    print(f"python -c pass {ms('python -c pass')}; import cli {ms('import dispatch_gen.cli')} "
          f"({imported / 1000:.0f} ms importtime); validate {ms('dispatch-gen validate (sample)')}; "
          f"build {ms('dispatch-gen build (issued, unchanged)')} — ratios to python -c pass: "
          f"import {ratio('import dispatch_gen.cli')}, validate {ratio('dispatch-gen validate (sample)')}, "
          f"build {ratio('dispatch-gen build (issued, unchanged)')}")


if __name__ == "__main__":
    main()
