"""Helpers for the year-end tests: the sample files, edited copies, and Decree 30 format assertions.

No tests here; the other campaign, results and certificate test modules import it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from dispatch_gen.profile import load_profile
from docx_helpers import all_paragraphs, para, para_starting

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
RESULTS = ROOT / "data" / "ket-qua-thi-dua-2024.yaml"
WORKBOOK = ROOT / "data" / "ket-qua-thi-dua-2024.xlsx"
PROFILE = load_profile("decree30")


def edited(tmp_path: Path, *changes: tuple[str, str], name: str = "ket-qua.yaml", source: Path = RESULTS) -> Path:
    """A copy of the sample results with each (old, new) text replaced once; `old` must be there."""
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def campaign_copy(tmp_path: Path) -> Path:
    target = tmp_path / "phat-dong.yaml"
    shutil.copy(CAMPAIGN, target)
    return target


def size(p) -> float:
    sizes = {r.font.size.pt for r in p.runs if r.text.strip()}
    assert len(sizes) == 1, (p.text, sizes)
    return sizes.pop()


def bold(p) -> bool:
    return all(r.bold for r in p.runs if r.text.strip())


def italic(p) -> bool:
    return all(r.italic for r in p.runs if r.text.strip())


def element_size(name: str) -> float:
    return PROFILE.element(name).size.value


def assert_page(section, landscape: bool = False) -> None:
    """A4 with the profile's margins (portrait), or its landscape margins."""
    w, h = PROFILE.page("width_mm").value, PROFILE.page("height_mm").value
    if landscape:
        w, h = h, w
        margins = {k: PROFILE.landscape(f"margin_{k}_mm") for k in ("top", "bottom", "left", "right")}
    else:
        margins = {k: PROFILE.page(f"margin_{k}_mm").value for k in ("top", "bottom", "left", "right")}
    assert abs(section.page_width - Mm(w)) < Mm(0.5) and abs(section.page_height - Mm(h)) < Mm(0.5)
    for side, mm in margins.items():
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.1), side


def assert_fonts(doc) -> None:
    """Every run with text names the profile's font for ASCII, high-ANSI and complex scripts."""
    runs = [r for p in all_paragraphs(doc) for r in p.runs if r.text.strip()]
    assert runs
    for r in runs:
        fonts = r._r.rPr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            assert fonts.get(qn(attr)) == PROFILE.font, (r.text, attr)


def assert_header_and_signature(doc, number_line: str, date_line: str, signer_names: list[str]) -> None:
    """The Decree 30 header (Quốc hiệu, Tiêu ngữ, Số, date) and the signature and Nơi nhận blocks."""
    national = para(doc, PROFILE.header("national_title"))
    assert bold(national) and size(national) == element_size("national_title")
    motto = para(doc, PROFILE.header("motto"))
    assert bold(motto) and size(motto) == element_size("motto")
    number = para(doc, number_line)
    assert size(number) == element_size("number") and not bold(number)
    date = para(doc, date_line)
    assert italic(date) and size(date) == element_size("date_line")
    for name in signer_names:
        p = para(doc, name)
        assert bold(p) and size(p) == element_size("signer_name")
    label = para(doc, "Nơi nhận:")
    assert bold(label) and italic(label) and size(label) == element_size("recipients_label")
    archive = para_starting(doc, "- Lưu:")
    assert size(archive) == element_size("recipient")


def assert_body(p) -> None:
    """A body paragraph as the profile sets it: size, justified, first-line indent."""
    assert size(p) == element_size("body")
    assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    indent = PROFILE.element("body").first_line_indent_cm.value
    assert abs(p.paragraph_format.first_line_indent - Mm(indent * 10)) < Mm(0.1)
