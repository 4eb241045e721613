"""Benchmark: PDF throughput of `convert_to_pdf`, against one LibreOffice process per file.

Not a test: run it by hand after `pip install '.[test]'` (`python bench/pdf_batch.py`). The
documents are our own one-page documents: giấy khen rendered from the sample's awardees, cycled
to `--count` (default 200), each with its own name. Measured:

- one LibreOffice process per file (`convert_to_pdf([f])` in a loop): timed on `--per-file`
  documents (default 5) and given per document, since 200 of them would take minutes;
- one `convert_to_pdf` call for the whole batch (warm LibreOffice listeners, one per core, fed
  over UNO where python3-uno is installed; `--convert-to` otherwise);
- `dispatch-gen certificates --pdf` of the sample (131 certificates, merged PDF), end to end.

The PDFs of both ways are compared byte for byte. The last line gives PDFs/s and the ratios.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:  # the installed package (`pip install '.[test]'`); a bare checkout only as a fallback
    import dispatch_gen  # noqa: F401
except ModuleNotFoundError:
    sys.path.append(str(Path(__file__).resolve().parent.parent))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from certificates import CAMPAIGN, RESULTS, contexts  # noqa: E402

from dispatch_gen.campaign import render_batch  # noqa: E402
from dispatch_gen.campaign.workflow import template_file  # noqa: E402
from dispatch_gen.writers.pdf import convert_to_pdf, uno_python  # noqa: E402


def make_documents(folder: Path, count: int) -> list[Path]:
    items = [(folder / name, ctx) for name, ctx in contexts(count, folder)]
    render_batch(template_file("giay-khen"), items, count=count, workers=1)
    return [path for path, _ in items]


def certificates_pdf(folder: Path) -> float:
    """`dispatch-gen certificates --pdf` of the sample, in a fresh process, wall seconds."""
    script = Path(sys.executable).with_name("dispatch-gen")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "dispatch_gen"]
    start = time.perf_counter()
    subprocess.run([*command, "certificates", str(CAMPAIGN), "--results", str(RESULTS), "--pdf", "-o",
                    str(folder / "out"), "--registry", str(folder / "book.sqlite")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, DISPATCH_GEN_CACHE=str(folder / "cache")))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="documents in the batch (default 200)")
    parser.add_argument("--per-file", type=int, default=5, help="documents converted one process each (default 5)")
    parser.add_argument("--workers", type=int, default=None, help="parallel LibreOffice processes for the batch")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        root = Path(tmp)
        (root / "src").mkdir()
        files = make_documents(root / "src", args.count)
        sample = files[: args.per_file]
        print(f"{len(files)} one-page documents (giấy khen), {os.cpu_count()} CPUs, "
              f"{'UNO listener' if uno_python() else 'soffice --convert-to'}")

        start = time.perf_counter()
        for f in sample:
            convert_to_pdf([f], root / "per-file")
        per_doc = (time.perf_counter() - start) / len(sample)
        print(f"one process per file: {per_doc:.2f} s per document ({len(sample)} timed)")

        start = time.perf_counter()
        convert_to_pdf(files, root / "batch", workers=args.workers)
        batch = time.perf_counter() - start
        rate = len(files) / batch
        print(f"batch, one call: {batch:.1f} s, {rate:.1f} PDFs/s ({1000 * batch / len(files):.0f} ms per document)")

        same = all((root / "per-file" / f"{f.stem}.pdf").read_bytes() == (root / "batch" / f"{f.stem}.pdf").read_bytes()
                   for f in sample)
        print(f"identical PDFs (per file vs batch): {'yes' if same else 'NO'}")
        (root / "certs").mkdir()
        certs = certificates_pdf(root / "certs")
        print(f"dispatch-gen certificates --pdf (131 certificates, merged): {certs:.1f} s")

    print(f"batch: {rate:.1f} PDFs/s; batch/per-file: {per_doc * rate:.1f}; certificates --pdf: {certs:.1f} s "
          f"({131 / certs:.1f} certificates/s)")


if __name__ == "__main__":
    main()
