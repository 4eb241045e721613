"""Benchmark: render N certificates from one template, three ways, on the same template and data.

Not a test: run it by hand (`python bench/certificates.py --count 1000`).

- naive: the docxtpl loop (a new `DocxTemplate` per document, render, save), which re-reads,
  re-preprocesses, re-compiles and re-compresses the whole template for every document;
- batch: our engine (`dispatch_gen.campaign.render_batch`): compiled once per process,
  unchanged members copied compressed, each file streamed to disk, both cores for a large batch
  (also shown on one process, for comparison with the floor);
- floor: writing the same zip files from XML rendered beforehand: unchanged members compressed
  once and copied, only the document XML deflated per document (one process).

Every variant writes real files into a temporary folder. The last line is `batch/naive: R`.
"""
from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

try:  # the installed package (`pip install '.[test]'`); a bare checkout only as a fallback
    import dispatch_gen  # noqa: F401
except ModuleNotFoundError:
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2.sandbox import SandboxedEnvironment  # noqa: E402

from dispatch_gen.campaign import load_campaign, load_results, render_batch  # noqa: E402
from dispatch_gen.campaign.certificates import certificate_contexts, issued_decision  # noqa: E402
from dispatch_gen.campaign.workflow import template_file  # noqa: E402
from dispatch_gen.render.engine import CompiledTemplate  # noqa: E402
from dispatch_gen.writers.docx_zip import Member, write_zip  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
RESULTS = ROOT / "data" / "ket-qua-thi-dua-2024.yaml"


def contexts(count: int, folder: Path) -> list[tuple[Path, dict]]:
    """`count` certificate contexts: the sample's awardees, cycled, each with its own name and file."""
    campaign = load_campaign(CAMPAIGN)
    results = load_results(RESULTS, campaign)
    decision = issued_decision(campaign, results, folder / "no-registry.sqlite")
    base = [ctx for _, ctx in certificate_contexts(campaign, results, decision, folder)]
    out = []
    for n, ctx in zip(range(1, count + 1), itertools.cycle(base)):
        ctx = dict(ctx, recipient=f"{ctx['recipient']} ({n})", core=dict(ctx["core"], keywords=f"bench-{n:05d}"))
        out.append((Path(f"{n:05d}.docx"), ctx))
    return out


def timed(label: str, count: int, run) -> float:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {count / seconds:9.1f} docs/s  {1000 * seconds / count:7.2f} ms/doc  ({seconds:.2f} s)")
    return count / seconds


def naive(template: Path, items, out: Path) -> None:
    env = SandboxedEnvironment(autoescape=True)
    for name, ctx in items:
        doc = DocxTemplate(str(template))
        doc.render(ctx, jinja_env=env, autoescape=True)
        doc.save(str(out / name))


def batch(template: Path, items, out: Path, workers: int) -> None:
    render_batch(template, ((out / name, ctx) for name, ctx in items), count=len(items), workers=workers)


def floor_prepare(template: Path, items) -> list[tuple[str, list[Member], bytes]]:
    """Render every document's XML beforehand (not timed): what is left is writing the zips."""
    compiled = CompiledTemplate(template)
    order = compiled._order
    prepared = []
    for name, ctx in items:
        parts = compiled.render_parts(ctx)
        members = [Member.deflate(n, parts[n]) if n in parts and n != "word/document.xml" else compiled._static.get(n)
                   for n in order]
        prepared.append((name, members, parts["word/document.xml"]))
    return prepared


def floor(prepared, out: Path) -> None:
    for name, members, document in prepared:
        with open(out / name, "wb") as fh:
            write_zip(fh, [m if m is not None else Member.deflate("word/document.xml", document) for m in members])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="number of certificates (default 1000)")
    parser.add_argument("--workers", type=int, default=None, help="processes for the batch (default: both cores)")
    args = parser.parse_args()
    count = args.count
    template = template_file("giay-khen")
    workers = args.workers or max(1, min(2, os.cpu_count() or 1))

    with tempfile.TemporaryDirectory(prefix="cert-bench-") as tmp:
        root = Path(tmp)
        items = contexts(count, root)
        print(f"{count} certificates from {template.name}, {os.cpu_count()} CPUs, batch on {workers} processes")

        def fresh(name: str) -> Path:
            folder = root / name
            folder.mkdir()
            return folder

        naive_rate = timed("naive docxtpl loop", count, lambda: naive(template, items, fresh("naive")))
        one = timed("batch engine, 1 process", count, lambda: batch(template, items, fresh("batch1"), 1))
        before = peak_mb()
        rate = timed(f"batch engine, {workers} processes", count,
                     lambda: batch(template, items, fresh("batch"), workers))
        prepared = floor_prepare(template, items)
        floor_rate = timed("floor (pre-rendered XML, 1 process)", count, lambda: floor(prepared, fresh("floor")))
        sizes = {len(list((root / d).iterdir())) for d in ("naive", "batch1", "batch", "floor")}
        assert sizes == {count}, sizes

    print(f"parent peak memory: {before:.0f} MB before the batch, {peak_mb():.0f} MB after everything")
    print(f"floor/batch (1 process): {floor_rate / one:.2f}")
    print(f"floor/batch ({workers} processes): {floor_rate / rate:.2f}")
    print(f"batch/naive: {rate / naive_rate:.1f}; batch per document vs floor: {floor_rate / one:.2f}x (1 process), "
          f"{floor_rate / rate:.2f}x ({workers} processes)")

if __name__ == "__main__":
    main()
