"""PDF export and page previews with a real LibreOffice (no mocks).

Conversions are batched into a few module-scoped runs, because each LibreOffice start costs
about a second.
"""
from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import Mm, Pt
from pypdf import PdfReader

from dispatch_gen.cli import main
from dispatch_gen.errors import ConverterError
from dispatch_gen.writers.pdf import convert_to_pdf, find_soffice, merge_pdfs
from dispatch_gen.writers.preview import preview

if not (shutil.which("soffice") or shutil.which("libreoffice")):
    pytest.skip(
        "LibreOffice is not installed: apt-get install libreoffice-writer-nogui fonts-liberation2",
        allow_module_level=True,
    )

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm is not installed: apt-get install poppler-utils"
)

A4 = (595.28, 841.89)

PARAGRAPHS = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "QUYẾT ĐỊNH về việc công nhận danh hiệu Chiến sĩ thi đua cơ sở",
    "ủy ban, hỏa tốc, nghĩa, ưu tiên",
    "Sắc: á ắ ấ é ế í ó ố ớ ú ứ ý; huyền: à ằ ầ è ề ì ò ồ ờ ù ừ ỳ",
    "Hỏi: ả ẳ ẩ ẻ ể ỉ ỏ ổ ở ủ ử ỷ; ngã: ã ẵ ẫ ẽ ễ ĩ õ ỗ ỡ ũ ữ ỹ",
    "Nặng: ạ ặ ậ ẹ ệ ị ọ ộ ợ ụ ự ỵ; đ Đ Ă Â Ê Ô Ơ Ư",
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI - SỞ GIÁO DỤC VÀ ĐÀO TẠO",
]


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    """A4 with the Decree 30 margins and Times New Roman 14 pt, like the generated documents."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    for text in paragraphs:
        doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def pdf_text(pdf: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def png_size(png: Path) -> tuple[int, int]:
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="module")
def lo_tmp(tmp_path_factory):
    """Private temp root, so that LibreOffice profiles of this module can be found by path."""
    root = tmp_path_factory.mktemp("lo-tmp")
    saved = tempfile.tempdir
    tempfile.tempdir = str(root)
    yield root
    tempfile.tempdir = saved


def leftover_soffice(root: Path) -> str:
    """Command lines of LibreOffice processes still running with a profile under `root`."""
    result = subprocess.run(["pgrep", "-af", f"UserInstallation=file://{root}"], capture_output=True, text=True)
    return result.stdout.strip()


@pytest.fixture(scope="module")
def work(tmp_path_factory, lo_tmp):
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def docs(work):
    return {
        "vn": make_docx(work / "src" / "công văn.docx", PARAGRAPHS),
        "two": make_docx(work / "src" / "two.docx", ["Giấy khen", "Tập thể lao động tiên tiến"]),
        "three": make_docx(work / "src" / "three.docx", ["Kế hoạch thi đua năm 2024"]),
    }


@pytest.fixture(scope="module")
def batch(docs, work):
    """One call converting three documents into one folder."""
    return convert_to_pdf([docs["vn"], docs["two"], docs["three"]], work / "batch")


def test_batch_writes_one_pdf_per_file(batch, work):
    assert batch == [work / "batch" / "công văn.pdf", work / "batch" / "two.pdf", work / "batch" / "three.pdf"]
    for pdf in batch:
        assert len(PdfReader(pdf).pages) == 1
    assert sorted(p.name for p in (work / "batch").iterdir()) == ["công văn.pdf", "three.pdf", "two.pdf"]


def test_pdf_is_a4(batch):
    box = PdfReader(batch[0]).pages[0].mediabox
    assert float(box.width) == pytest.approx(A4[0], abs=1)
    assert float(box.height) == pytest.approx(A4[1], abs=1)


def test_text_round_trip_keeps_diacritics_and_order(batch):
    text = pdf_text(batch[0])
    position = 0
    for paragraph in PARAGRAPHS:
        found = text.find(paragraph, position)
        assert found >= 0, f"missing or out of order: {paragraph!r} in {text!r}"
        position = found + len(paragraph)


def test_fonts_embedded_and_no_fallback_font(batch):
    """Only the Times New Roman substitute is used: a missing glyph would pull in a fallback font."""
    fonts = {}
    for page in PdfReader(batch[0]).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = descriptor.get_object()
    assert fonts
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert "LiberationSerif" in name or "TimesNewRoman" in name, name


def test_two_conversions_are_byte_identical(batch, docs, work):
    again = convert_to_pdf([docs["vn"]], work / "again")
    assert again == [work / "again" / "công văn.pdf"]
    assert again[0].read_bytes() == batch[0].read_bytes()


def test_large_batch_runs_parallel_and_beside_sources(batch, docs, work):
    """Ten files (two with the same name in different folders) go beside their sources."""
    folder = work / "many"
    files = [make_docx(folder / f"d{i}.docx", [f"Văn bản số {i}", "Thi đua yêu nước"]) for i in range(7)]
    files.append(make_docx(folder / "a" / "same.docx", ["Thư mục A"]))
    files.append(make_docx(folder / "b" / "same.docx", ["Thư mục B"]))
    files.append(folder / "copy.docx")
    shutil.copyfile(docs["vn"], files[-1])

    pdfs = convert_to_pdf(files)

    assert pdfs == [f.with_suffix(".pdf") for f in files]
    for i in range(7):
        assert f"Văn bản số {i}" in pdf_text(pdfs[i])
    assert "Thư mục A" in pdf_text(folder / "a" / "same.pdf")
    assert "Thư mục B" in pdf_text(folder / "b" / "same.pdf")
    assert pdfs[-1].read_bytes() == batch[0].read_bytes()
    assert not list(folder.rglob("*.part")) and not list(folder.rglob(".~lock*"))


def test_corrupt_docx_names_file_and_writes_nothing(docs, work):
    folder = work / "corrupt"
    folder.mkdir()
    not_zip = folder / "garbage.docx"
    not_zip.write_text("this is not a Word document")
    broken = folder / "broken.docx"
    with zipfile.ZipFile(docs["two"]) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[: len(data) // 2] if name == "word/document.xml" else data)
    good = shutil.copyfile(docs["three"], folder / "good.docx")

    with pytest.raises(ConverterError) as exc:
        convert_to_pdf([not_zip])
    assert exc.value.lines == [f"{not_zip}: not a valid .docx file (File is not a zip file)"]

    with pytest.raises(ConverterError) as exc:
        convert_to_pdf([good, broken])
    assert len(exc.value.lines) == 1
    assert exc.value.lines[0].startswith(f"{broken}: LibreOffice could not open it")
    assert sorted(p.name for p in folder.iterdir()) == ["broken.docx", "garbage.docx", "good.docx"]


def test_same_target_from_two_sources_is_refused(docs, work):
    other = make_docx(work / "elsewhere" / "two.docx", ["Khác"])
    with pytest.raises(ConverterError, match="would overwrite"):
        convert_to_pdf([docs["two"], other], work / "clash")
    assert not (work / "clash").exists()


def test_missing_libreoffice_says_how_to_install(monkeypatch, docs, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    for call in (find_soffice, lambda: convert_to_pdf([docs["vn"]], tmp_path / "out")):
        with pytest.raises(ConverterError) as exc:
            call()
        assert len(exc.value.lines) == 1
        assert "apt-get install libreoffice-writer-nogui fonts-liberation2" in exc.value.lines[0]
    assert not (tmp_path / "out").exists()


def test_stalled_conversion_is_killed(docs, work, lo_tmp):
    """A limit shorter than LibreOffice's start-up stands in for a hanging conversion."""
    with pytest.raises(ConverterError) as exc:
        convert_to_pdf([docs["two"]], work / "stalled", timeout=0.2)
    assert exc.value.lines == [f"{docs['two']}: LibreOffice made no progress for 0.2 s; conversion stopped"]
    assert leftover_soffice(lo_tmp) == ""
    assert not (work / "stalled").exists()


def test_ctrl_c_kills_libreoffice(docs, work, lo_tmp):
    """SIGINT arrives while LibreOffice converts, as when the user presses Ctrl-C."""
    # A shell's background jobs start with SIGINT ignored; Ctrl-C needs Python's own handler.
    saved = signal.signal(signal.SIGINT, signal.default_int_handler)

    def interrupt_once_running():
        deadline = time.monotonic() + 30
        while not leftover_soffice(lo_tmp) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    watcher = threading.Thread(target=interrupt_once_running)
    watcher.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            convert_to_pdf([docs["vn"], docs["two"], docs["three"]], work / "interrupted")
    finally:
        watcher.join()
        signal.signal(signal.SIGINT, saved)
    assert leftover_soffice(lo_tmp) == ""
    assert not (work / "interrupted").exists()


def test_merge_pdfs(batch, work):
    merged = merge_pdfs(batch, work / "print" / "all.pdf")
    assert len(PdfReader(merged).pages) == 3
    assert "Tập thể lao động tiên tiến" in pdf_text(merged)
    with pytest.raises(ConverterError, match="no such file"):
        merge_pdfs([batch[0], work / "nope.pdf"], work / "print" / "bad.pdf")
    assert not (work / "print" / "bad.pdf").exists()


def test_cli_pdf(docs, work):
    out = work / "cli"
    result = CliRunner().invoke(main, ["pdf", str(docs["two"]), str(docs["three"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "two.pdf"), str(out / "three.pdf")]
    assert (out / "two.pdf").is_file() and (out / "three.pdf").is_file()


def test_cli_pdf_reports_errors(work):
    result = CliRunner().invoke(main, ["pdf", str(work / "missing.docx")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {work / 'missing.docx'}: no such file"


@needs_pdftoppm
def test_cli_preview_of_docx_is_a4_png(docs, work):
    out = work / "png"
    result = CliRunner().invoke(main, ["preview", str(docs["vn"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "công văn-p1.png")]
    width, height = png_size(out / "công văn-p1.png")
    assert width / height == pytest.approx(A4[0] / A4[1], abs=0.005)
    assert width == pytest.approx(A4[0] / 72 * 100, abs=2)
    assert sorted(p.name for p in out.iterdir()) == ["công văn-p1.png"]


@needs_pdftoppm
def test_preview_of_pdf_one_page(batch, work):
    pngs = preview(batch[1], page=1, out_dir=work / "png-pdf", dpi=50)
    assert pngs == [work / "png-pdf" / "two-p1.png"]
    width, height = png_size(pngs[0])
    assert width / height == pytest.approx(A4[0] / A4[1], abs=0.01)


@needs_pdftoppm
def test_cli_preview_page_out_of_range(batch, work):
    result = CliRunner().invoke(main, ["preview", str(batch[1]), "--page", "9", "-o", str(work / "png9")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {batch[1]}: page 9 is out of range (the document has 1 page)"
    assert not (work / "png9").exists()


def test_preview_without_pdftoppm_says_how_to_install(monkeypatch, batch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConverterError, match="apt-get install poppler-utils"):
        preview(batch[0], out_dir=tmp_path)


def test_no_libreoffice_left_running(lo_tmp):
    assert leftover_soffice(lo_tmp) == ""
    assert list(lo_tmp.iterdir()) == []
