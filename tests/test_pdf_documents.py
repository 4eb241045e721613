"""Our own documents as PDF: page numbers (none on page 1), text round trip, `build --pdf`."""
from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dispatch_gen.cli import main
from dispatch_gen.readers.docx_text import paragraphs

from conftest import SAMPLE

if not (shutil.which("soffice") or shutil.which("libreoffice")):
    pytest.skip("LibreOffice is not installed: apt-get install libreoffice-writer-nogui fonts-liberation2",
                allow_module_level=True)


@pytest.fixture(scope="module")
def built_with_pdf(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(tmp / "out"),
                                       "--registry", str(tmp / "r.sqlite"), "--pdf"])
    assert result.exit_code == 0, result.output
    docx = tmp / "out" / "2024" / "31-PDTD-CTDP-CDC.docx"
    return docx, docx.with_suffix(".pdf")


def _lines(page) -> list[str]:
    return [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]


def test_build_pdf_writes_the_pdf_beside_the_docx(built_with_pdf):
    docx, pdf = built_with_pdf
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")


def test_page_numbers_centred_at_top_none_on_page_one(built_with_pdf):
    _, pdf = built_with_pdf
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    first = _lines(reader.pages[0])
    assert first[0] != "1" and not re.fullmatch(r"\d+", first[0])
    for n, page in enumerate(reader.pages[1:], 2):
        assert _lines(page)[0] == str(n), f"page {n} starts with its number"
        width = float(page.mediabox.width)
        xs = []
        page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: xs.append((t.strip(), tm[4], tm[5])) if t.strip() == str(n) else None)
        assert xs, "page number found"
        x, y = xs[0][1], xs[0][2]
        assert abs(x - width / 2) < 20, "centred"
        assert y > float(page.mediabox.height) - 30 * 72 / 25.4, "in the top margin"


def test_pdf_is_a4_with_every_paragraph_in_order(built_with_pdf):
    docx, pdf = built_with_pdf
    reader = PdfReader(str(pdf))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1 and abs(float(page.mediabox.height) - 841.9) < 1
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    text = squash("".join(p.extract_text() for p in reader.pages))
    pos = 0
    for para in paragraphs(docx):
        # table cells (header, signatures) are read side by side: check the body in order, the rest present
        found = text.find(squash(para), pos)
        if found < 0:
            assert squash(para) in text, para[:60]
        else:
            pos = found


def test_fonts_are_embedded(built_with_pdf):
    _, pdf = built_with_pdf
    reader = PdfReader(str(pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            fonts[font["/BaseFont"]] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("LiberationSerif" in name or "TimesNewRoman" in name for name in fonts)
