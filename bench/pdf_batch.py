"""Benchmark: PDF conversion one LibreOffice process per file versus one batch call.

Not a test: run it by hand (`python bench/pdf_batch.py --count 50`) to see why
`convert_to_pdf` takes many files at once. Both variants go through `convert_to_pdf`, so each
pays for the same fresh profile, staging and normalisation; only the number of LibreOffice
starts differs.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from docx import Document
from docx.shared import Mm, Pt

try:  # the installed package (`pip install '.[test]'`); a bare checkout only as a fallback
    import dispatch_gen  # noqa: F401
except ModuleNotFoundError:
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from dispatch_gen.writers.pdf import convert_to_pdf  # noqa: E402

TEXT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY KHEN",
    "Tặng ông Nguyễn Văn {n}, Trưởng phòng Tổ chức cán bộ,",
    "đã có thành tích xuất sắc trong phong trào thi đua yêu nước năm 2024,",
    "được công nhận danh hiệu Chiến sĩ thi đua cơ sở.",
]


def make_documents(folder: Path, count: int) -> list[Path]:
    files = []
    for n in range(1, count + 1):
        doc = Document()
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        style = doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)
        for line in TEXT:
            doc.add_paragraph(line.format(n=n))
        path = folder / f"giay-khen-{n:03d}.docx"
        doc.save(path)
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50, help="number of documents (default 50)")
    parser.add_argument("--workers", type=int, default=None, help="parallel processes for the batch")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        root = Path(tmp)
        (root / "src").mkdir()
        files = make_documents(root / "src", args.count)

        start = time.perf_counter()
        for f in files:
            convert_to_pdf([f], root / "per-file")
        per_file = time.perf_counter() - start

        start = time.perf_counter()
        convert_to_pdf(files, root / "batch", workers=args.workers)
        batch = time.perf_counter() - start

        same = all(
            (root / "per-file" / f"{f.stem}.pdf").read_bytes() == (root / "batch" / f"{f.stem}.pdf").read_bytes()
            for f in files
        )

    workers = args.workers or "auto"
    print(f"documents: {len(files)}")
    print(f"one process per file: {per_file:.1f} s ({per_file / len(files):.2f} s per document)")
    print(f"batch, one call (workers: {workers}): {batch:.1f} s ({batch / len(files):.2f} s per document)")
    print(f"identical PDFs: {'yes' if same else 'NO'}")
    print(f"batch/per-file: {per_file / batch:.1f}")


if __name__ == "__main__":
    main()
