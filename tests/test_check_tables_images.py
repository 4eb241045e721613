"""`check` on the tables and pictures of a document's text (TBL-*, IMG-*): documents built from
data with a long table and a picture are clean; each rule broken alone in the built .docx (edited
with python-docx) is reported as that rule, located by paragraph, table, row or picture; the
header's and signature's layout tables and a seal in the signature block are not held to them."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.shared import Mm

from dispatch_gen import api
from dispatch_gen.check import RULES, check_file
from dispatch_gen.cli import main
from dispatch_gen.profile import load_profile

from test_body_numbering import BASE, write_yaml

PIL = pytest.importorskip("PIL.Image")
NEW = {"TBL-001", "TBL-002", "TBL-003", "IMG-001", "IMG-002", "IMG-003", "IMG-004"}
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def picture(path: Path, width_px: int, height_px: int, fmt: str = "PNG") -> Path:
    """A real picture made with Pillow: a banner on a blue ground."""
    from PIL import ImageDraw

    im = PIL.new("RGB", (width_px, height_px), (32, 84, 160))
    ImageDraw.Draw(im).rectangle([width_px // 8, height_px // 8, width_px * 7 // 8, height_px // 2], fill=(200, 30, 30))
    im.save(path, fmt)
    return path


def long_rows(n: int) -> list[list]:
    return [[i, f"Trường Tiểu học số {i} xã Yên Đồng", 90 + i % 10, "Hoàn thành tốt nhiệm vụ"] for i in range(1, n + 1)]


def build(tmp_path: Path, rows: int = 60, image: dict | None = None, **changes) -> Path:
    """A kế hoạch with a table of `rows` rows and a 1280×720 px picture (12 cm: 271 dpi)."""
    picture(tmp_path / "anh.png", 1280, 720)
    content = [
        "Kết quả thi đua của các trường như sau:",
        {"table": {"columns": ["STT", "Đơn vị", "Điểm", "Xếp loại"], "widths_cm": [1.5, 7.5, 2.5, 5],
                   "align": ["center", "left", "center", "left"], "rows": long_rows(rows),
                   "caption": "Bảng 1. Kết quả thi đua năm học 2024-2025"}},
        "Một số hình ảnh của lễ phát động:",
        {"image": image or {"path": "anh.png", "width_cm": 12, "caption": "Hình 1. Lễ phát động"}},
    ]
    data = {**BASE, "sections": [{"heading": "KẾT QUẢ", "content": content}], **changes}
    path = write_yaml(tmp_path / "data.yaml", data)
    return api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite").path


def new_codes(report) -> list[str]:
    return sorted(f.code for f in report.findings if f.code in NEW)


def lines(report) -> list[str]:
    return [f.line() for f in report.findings]


def body_table(d: docx.Document):
    """The table typed in data: the one whose first cell says STT (not the header or signature table)."""
    return next(t for t in d.tables if t.rows[0].cells[0].text == "STT")


def table_index(d: docx.Document) -> int:
    """The body table's place among the file's tables (0-based; none is nested here)."""
    return [t._tbl for t in d.tables].index(body_table(d)._tbl)


def saved(d: docx.Document, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    return build(tmp)


def test_rules_are_listed_with_their_severities():
    assert {code: RULES[code][0] for code in NEW} == {
        "TBL-001": "warning", "TBL-002": "warning", "TBL-003": "warning",
        "IMG-001": "error", "IMG-002": "warning", "IMG-003": "warning", "IMG-004": "warning"}
    out = CliRunner().invoke(main, ["check", "--rules"]).output
    for code in NEW:
        assert any(line.startswith(code) for line in out.splitlines()), code


def test_a_document_with_a_long_table_and_a_picture_is_clean(clean):
    assert not [w for w in api.warnings(clean.parent.parent.parent / "data.yaml") if "dpi" in w]
    report = check_file(clean)
    assert report.ok and not report.codes("warning"), lines(report)
    d = docx.Document(str(clean))
    assert len(body_table(d).rows) == 61 and len(d.inline_shapes) == 1


def test_a_table_wider_than_the_text(clean, tmp_path):
    d = docx.Document(str(clean))
    table = body_table(d)
    tbl = table._tbl
    grid = tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    d.sections[-1].right_margin = Mm(20)  # the decree's widest right margin: 5 mm less text
    grid[1].set(qn("w:w"), str(int(grid[1].get(qn("w:w"))) + int(Mm(13).twips)))  # nearly to the paper's edge
    report = check_file(saved(d, tmp_path, "wide.docx"))
    assert new_codes(report) == ["TBL-001"], lines(report)
    (f,) = [f for f in report.findings if f.code == "TBL-001"]
    assert f.severity == "warning" and "18 mm into the right margin" in f.message and "landscape" in f.message
    assert (f.table, f.row, f.snippet) == (table_index(d) + 1, 1, "STT")
    assert f.paragraph == next(p.index for p in _read(tmp_path / "wide.docx").paras if p.table == f.table - 1)


def _read(path):
    from dispatch_gen.check.reader import read_docx

    return read_docx(path)


def test_a_table_off_the_paper_is_an_error(clean, tmp_path):
    d = docx.Document(str(clean))
    tbl = body_table(d)._tbl
    grid = tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    grid[1].set(qn("w:w"), str(int(grid[1].get(qn("w:w"))) + int(Mm(40).twips)))  # 40 mm past a 15 mm margin
    report = check_file(saved(d, tmp_path, "off.docx"))
    assert new_codes(report) == ["TBL-001"] and not report.ok, lines(report)
    assert "runs off the paper" in report.findings[0].message


def test_a_wide_table_on_a_landscape_page_fits(clean, tmp_path):
    """Landscape only for wide tables: on a landscape page, the table fits its section's text width."""
    d = docx.Document(str(clean))
    tbl = body_table(d)._tbl
    grid = tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    grid[1].set(qn("w:w"), str(int(grid[1].get(qn("w:w"))) + int(Mm(60).twips)))
    sec = d.sections[-1]
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.orientation = 1
    report = check_file(saved(d, tmp_path, "landscape.docx"))
    assert "TBL-001" not in report.codes(), lines(report)
    assert "PAGE-001" in report.codes("info")


def test_a_long_table_without_its_repeated_header_row(clean, tmp_path):
    d = docx.Document(str(clean))
    table = body_table(d)
    for mark in table.rows[0]._tr.iter(qn("w:tblHeader")):
        mark.getparent().remove(mark)
    report = check_file(saved(d, tmp_path, "no-header.docx"))
    assert new_codes(report) == ["TBL-002"], lines(report)
    (f,) = [f for f in report.findings if f.code == "TBL-002"]
    assert "61 rows" in f.message and f.found.startswith("about 1.") and f.row == 1


def test_a_short_table_need_not_repeat_its_header(tmp_path):
    d = docx.Document(str(build(tmp_path, rows=5)))
    for mark in body_table(d).rows[0]._tr.iter(qn("w:tblHeader")):
        mark.getparent().remove(mark)
    assert "TBL-002" not in check_file(saved(d, tmp_path, "short.docx")).codes()


def _drawing(d):
    return next(d.element.body.iter(qn("w:drawing")))


def test_a_floating_picture(clean, tmp_path):
    d = docx.Document(str(clean))
    inline = _drawing(d).find(f"{{{WP}}}inline")
    anchor = inline.makeelement(f"{{{WP}}}anchor", {"behindDoc": "0", "locked": "0", "layoutInCell": "1",
                                                   "allowOverlap": "1", "relativeHeight": "2", "simplePos": "0",
                                                   "distT": "0", "distB": "0", "distL": "114300", "distR": "114300"})
    anchor.append(anchor.makeelement(f"{{{WP}}}simplePos", {"x": "0", "y": "0"}))
    for axis, rel in (("H", "column"), ("V", "paragraph")):
        pos = anchor.makeelement(f"{{{WP}}}position{axis}", {"relativeFrom": rel})
        off = pos.makeelement(f"{{{WP}}}posOffset", {})
        off.text = "0"
        pos.append(off)
        anchor.append(pos)
    for child in list(inline):
        if child.tag == f"{{{WP}}}effectExtent":
            anchor.append(copy.deepcopy(child))
            anchor.append(anchor.makeelement(f"{{{WP}}}wrapTopAndBottom", {}))
        else:
            anchor.append(copy.deepcopy(child))
    inline.getparent().replace(inline, anchor)
    report = check_file(saved(d, tmp_path, "floating.docx"))
    assert new_codes(report) == ["IMG-002"], lines(report)
    (f,) = [f for f in report.findings if f.code == "IMG-002"]
    assert f.picture == 1 and f.found == "floating"


def test_a_72_dpi_picture(tmp_path):
    picture(tmp_path / "nho.png", 340, 191)  # 340 px over 12 cm: 72 dpi
    report = check_file(build(tmp_path, image={"path": "nho.png", "width_cm": 12, "caption": "Hình 1. Lễ phát động"}))
    assert new_codes(report) == ["IMG-003"], lines(report)
    (f,) = [f for f in report.findings if f.code == "IMG-003"]
    assert f.found.startswith("72 dpi (340×191 px") and f.expected == "at least 150 dpi"
    # `validate` says so before anything is built, from the same profile number, at the picture's line
    (line,) = [w for w in api.warnings(tmp_path / "data.yaml") if "dpi" in w]
    assert "sections[0].content[3].image.path" in line and "72 dpi, under 150" in line, line


def test_a_jpeg_picture_is_measured_too(tmp_path):
    for name, px, expected in (("sharp", 1600, []), ("blurred", 200, ["IMG-003"])):
        folder = tmp_path / name
        folder.mkdir()
        picture(folder / "anh.jpg", px, px * 9 // 16, "JPEG")
        report = check_file(build(folder, image={"path": "anh.jpg", "width_cm": 12}))
        assert new_codes(report) == expected, lines(report)


def test_the_resolution_threshold_is_the_profiles(clean):
    assert load_profile("decree30").raw["pictures"]["min_dpi"] == 150


def _extent(d, cx=None, cy=None):
    drawing = _drawing(d)
    for ext in (drawing.find(f".//{{{WP}}}extent"), drawing.find(".//" + qn("a:ext"))):
        if cx:
            ext.set("cx", str(cx))
        if cy:
            ext.set("cy", str(cy))


def test_a_picture_wider_than_the_text(clean, tmp_path):
    d = docx.Document(str(clean))
    _extent(d, cx=Mm(180), cy=Mm(101))
    report = check_file(saved(d, tmp_path, "wide-picture.docx"))
    assert new_codes(report) == ["IMG-001"] and not report.ok, lines(report)
    (f,) = [f for f in report.findings if f.code == "IMG-001"]
    assert "wider than the text" in f.message and (f.expected, f.found) == ("at most 165 mm", "180 mm")


def test_a_picture_taller_than_the_page(tmp_path):
    picture(tmp_path / "doc.png", 1400, 3000)
    d = docx.Document(str(build(tmp_path, image={"path": "doc.png", "width_cm": 8})))  # 17 cm tall: fits
    _extent(d, cx=Mm(130), cy=Mm(279))  # the aspect kept, 273 dpi: too tall only
    report = check_file(saved(d, tmp_path, "tall-picture.docx"))
    assert new_codes(report) == ["IMG-001"], lines(report)
    (f,) = [f for f in report.findings if f.code == "IMG-001"]
    assert "taller than the text height" in f.message and (f.expected, f.found) == ("at most 257 mm", "279 mm")


def test_a_seal_in_the_signature_block_is_not_a_picture_of_the_text(clean, tmp_path):
    """A scanned seal, floating over the signature and at low resolution, is the signature's."""
    d = docx.Document(str(clean))
    picture(tmp_path / "dau.png", 60, 60)
    sign_table = d.tables[-1]
    assert "TRƯỞNG PHÒNG" in sign_table._tbl.xpath("string(.)")
    cell = sign_table.rows[0].cells[-1]
    run = cell.paragraphs[0].add_run()
    run.add_picture(str(tmp_path / "dau.png"), width=Mm(40))  # 60 px over 4 cm: 38 dpi
    report = check_file(saved(d, tmp_path, "seal.docx"))
    assert not new_codes(report), lines(report)
    assert len(_read(tmp_path / "seal.docx").pictures) == 2


def test_text_rules_see_the_table_cells(clean, tmp_path):
    d = docx.Document(str(clean))
    cell = body_table(d).rows[3].cells[3]
    cell.paragraphs[0].runs[0].text = "Chiến sỹ thi đua"
    report = check_file(saved(d, tmp_path, "cell.docx"))
    (f,) = [f for f in report.findings if f.code == "TXT-003"]
    para = next(p for p in _read(tmp_path / "cell.docx").paras if p.index == f.paragraph)
    assert (para.table, para.row, para.col) == (table_index(d), 3, 3)
    import unicodedata

    cell.paragraphs[0].runs[0].text = unicodedata.normalize("NFD", "Hoàn thành tốt nhiệm vụ")
    report = check_file(saved(d, tmp_path, "nfd.docx"))
    assert "TXT-001" in report.codes("error"), lines(report)


def test_json_carries_the_location(clean, tmp_path):
    d = docx.Document(str(clean))
    for mark in body_table(d).rows[0]._tr.iter(qn("w:tblHeader")):
        mark.getparent().remove(mark)
    _extent(d, cx=Mm(180), cy=Mm(101))
    path = saved(d, tmp_path, "two.docx")
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    data = json.loads(result.output)
    found = {f["code"]: f for f in data["files"][0]["findings"]}
    assert found["TBL-002"]["table"] == table_index(d) + 1 and found["TBL-002"]["row"] == 1
    assert found["IMG-001"]["picture"] == 1 and found["IMG-001"]["severity"] == "error"
    assert result.exit_code == 1
    text = CliRunner().invoke(main, ["check", str(path)]).output
    assert f"table {table_index(d) + 1} row 1" in text and "picture 1" in text


# --- captions (TBL-003, IMG-004) ------------------------------------------------------------------

def _caption(d: docx.Document, start: str):
    return next(p for p in d.paragraphs if p.text.startswith(start))


def _locate(path):
    from dispatch_gen.check.layout import locate

    doc = _read(path)
    return locate(doc, load_profile("decree30"))


def test_the_builders_captions_are_recognised_and_set_from_the_profile(clean):
    caps = _locate(clean).captions
    assert [(c.kind, c.para.clean[:7]) for c in caps] == [("table", "Bảng 1."), ("picture", "Hình 1.")]
    el = load_profile("decree30").element("caption")
    d = docx.Document(str(clean))
    for start in ("Bảng 1.", "Hình 1."):
        p = _caption(d, start)
        assert all(r.italic for r in p.runs) and p.runs[0].font.size.pt == el.size.value
        assert p.alignment == 1  # centred


def test_a_caption_typed_as_body_text(clean, tmp_path):
    """`Hình 1. …` typed regular and justified under the picture: one IMG-004, not body findings."""
    d = docx.Document(str(clean))
    p = _caption(d, "Hình 1.")
    for r in p.runs:
        r.italic = False
    p.alignment = 3  # justified
    report = check_file(saved(d, tmp_path, "caption.docx"))
    assert new_codes(report) == ["IMG-004"], lines(report)
    (f,) = [f for f in report.findings if f.code == "IMG-004"]
    assert (f.expected, f.found, f.picture, f.snippet[:7]) == ("italic, center", "regular, justify", 1, "Hình 1.")
    assert not [f for f in report.findings if f.code.startswith("FMT")], lines(report)


def test_a_table_caption_at_11_pt(clean, tmp_path):
    d = docx.Document(str(clean))
    for r in _caption(d, "Bảng 1.").runs:
        r.font.size = docx.shared.Pt(11)
    report = check_file(saved(d, tmp_path, "small.docx"))
    assert new_codes(report) == ["TBL-003"], lines(report)
    (f,) = [f for f in report.findings if f.code == "TBL-003"]
    assert (f.expected, f.found, f.table) == ("13–14 pt", "11 pt", table_index(d) + 1)


def test_a_table_caption_above_its_table(clean, tmp_path):
    """Offices often title a table above it: `Bảng 1. …` on the line before the table is its caption."""
    d = docx.Document(str(clean))
    caption = _caption(d, "Bảng 1.")
    body_table(d)._tbl.addprevious(caption._p)
    path = saved(d, tmp_path, "above.docx")
    caps = _locate(path).captions
    assert caps[0].kind == "table" and caps[0].para.clean.startswith("Bảng 1.")
    assert not new_codes(check_file(path)), lines(check_file(path))


def test_caption_numbers_run_in_order(tmp_path):
    picture(tmp_path / "a.png", 1280, 720)
    content = [{"image": {"path": "a.png", "width_cm": 10, "caption": f"Hình {n}. Ảnh số {n}"}} for n in (1, 3)]
    data = {**BASE, "sections": [{"heading": "HÌNH ẢNH", "content": content}]}
    path = write_yaml(tmp_path / "data.yaml", data)
    report = check_file(api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite").path)
    assert new_codes(report) == ["IMG-004"], lines(report)
    (f,) = [f for f in report.findings if f.code == "IMG-004"]
    assert (f.message, f.expected, f.found, f.picture) == ("Hình numbers out of order", "Hình 2", "Hình 3", 2)


def test_the_builder_keeps_a_tall_picture_within_the_page(tmp_path):
    """Width is capped at the text width; height at the text height too (the aspect kept)."""
    picture(tmp_path / "doc.png", 1400, 3000)
    path = build(tmp_path, image={"path": "doc.png", "width_cm": 15, "caption": "Hình 1. Sơ đồ"})
    (shape,) = docx.Document(str(path)).inline_shapes
    assert round(shape.height.mm) == 257 and round(shape.width.mm) == round(257 * 1400 / 3000)
    assert not new_codes(check_file(path))


# --- Decree 30's own files: what the table and picture rules say of them ---------------------------

# Phụ lục I's are in fixtures/decree30-expected.json (that file lists every finding of Phụ lục I);
# here, for the other files, every TBL-*/IMG-* finding with the deviation it reports. Their tables
# are typed in Word 2003 layout (compatibility mode 11): the table stands out of the margin by the
# first cell's padding, and several are wider than the 155 mm of text.
OFFICIAL = {
    # tables reaching 3–14 mm into the right margin (Phụ lục III ¶106, V ¶35/69/99/148, VI ¶228) are
    # within `check.table_overhang_mm`: the government's own layout, no finding
    "30_2020_ND_CP.docx": {},
    "Phuluc2.docx": {},
    "Phuluc3.docx": {},
    "Phuluc4.docx": {},  # the registers' tables are a register's (REG-*), not a document's text
    "Phuluc5.docx": {},
    "Phuluc6.docx": {},
}


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_decree30_files_get_only_their_real_table_deviations(name):
    from decree30_files import reference

    report = check_file(reference(name))
    found = {(f.code, f.paragraph) for f in report.findings if f.code in NEW}
    assert found == set(OFFICIAL[name]), [f.line() for f in report.findings if f.code in NEW]
    assert all(f.severity == "warning" for f in report.findings if f.code in NEW)
