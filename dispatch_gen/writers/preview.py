"""PNG images of document pages, for a quick look without Word or a PDF viewer."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ConverterError, Problem
from .atomic import atomic_path
from .pdf import convert_to_pdf

PDFTOPPM_HINT = (
    "pdftoppm is not installed (needed for page previews); on Debian/Ubuntu: apt-get install poppler-utils"
)
RENDER_TIMEOUT = 120
"""Seconds pdftoppm may take for one call."""

_PAGE_NUMBER = re.compile(r"-(\d+)\.png$")


def preview(
    file: str | os.PathLike,
    *,
    page: int | None = None,
    out_dir: str | os.PathLike | None = None,
    dpi: int = 100,
) -> list[Path]:
    """Render all pages, or only `page` (1-based), as `<stem>-p<N>.png`; return the PNG paths.

    A PDF is rendered as it is; any other document is converted to a temporary PDF first, so
    the images show what the PDF export would print.
    """
    source = Path(file)
    if not source.is_file():
        raise ConverterError(Problem(str(file), "no such file"))
    if dpi <= 0:
        raise ConverterError(Problem(str(file), f"resolution must be a positive number of dpi, not {dpi}"))
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise ConverterError(PDFTOPPM_HINT)
    target_dir = Path(out_dir) if out_dir is not None else source.parent

    with tempfile.TemporaryDirectory(prefix="dispatch-gen-preview-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        if source.suffix.lower() == ".pdf":
            pdf = source
        else:
            [pdf] = convert_to_pdf([file], root)

        pages = _page_count(pdf, str(file))
        if page is not None and not 1 <= page <= pages:
            noun = "page" if pages == 1 else "pages"
            raise ConverterError(
                Problem(str(file), f"page {page} is out of range (the document has {pages} {noun})")
            )

        args = [pdftoppm, "-png", "-r", str(dpi)]
        if page is not None:
            args += ["-f", str(page), "-l", str(page)]
        args += [str(pdf), str(root / "page")]
        try:
            result = subprocess.run(args, capture_output=True, text=True, timeout=RENDER_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ConverterError(
                Problem(str(file), f"pdftoppm did not finish within {RENDER_TIMEOUT} s")
            ) from None
        rendered = sorted(
            (int(m[1]), p) for p in root.glob("page-*.png") if (m := _PAGE_NUMBER.search(p.name))
        )
        if result.returncode != 0 or not rendered:
            reason = result.stderr.strip().splitlines()[-1:] or [f"exit status {result.returncode}"]
            raise ConverterError(Problem(str(file), f"pdftoppm failed: {reason[0]}"))

        outputs = []
        for number, png in rendered:
            target = target_dir / f"{source.stem}-p{number}.png"
            with atomic_path(target) as part:
                shutil.copyfile(png, part)
            outputs.append(target)
    return outputs


def _page_count(pdf: Path, label: str) -> int:
    from pypdf import PdfReader

    try:
        count = len(PdfReader(str(pdf)).pages)
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise ConverterError(Problem(label, f"not a valid PDF ({exc})")) from None
    if count == 0:
        raise ConverterError(Problem(label, "the PDF has no pages"))
    return count

