"""Tables and pictures typed in data: laid out in the body, read back with python-docx; bad values
are one located line each and no file is written."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dispatch_gen import api
from dispatch_gen.check import check_file
from dispatch_gen.errors import DataError
from docx_helpers import para_starting

from test_body_numbering import BASE, write_yaml

ROOT = Path(__file__).resolve().parent.parent
PNG = ROOT / "data" / "examples" / "decree30" / "hinh-le-phat-dong.png"


def _section(*content):
    return [{"heading": "KẾT QUẢ", "content": list(content)}]


def test_picture_in_a_section_with_its_caption(tmp_path):
    (tmp_path / "anh.png").write_bytes(PNG.read_bytes())
    path = write_yaml(tmp_path / "data.yaml", {**BASE, "sections": _section(
        "Một số hình ảnh:", {"image": {"path": "anh.png", "width_cm": 8, "caption": "Hình 1. Lễ phát động"}})})
    out = api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    d = docx.Document(str(out.path))
    (shape,) = d.inline_shapes
    assert round(shape.width.cm, 1) == 8.0 and round(shape.height.cm, 1) == 4.5  # 1280 × 720 px (16:9), aspect kept
    picture = next(p for p in d.paragraphs if p._p.xpath(".//w:drawing"))
    assert picture.alignment == WD_ALIGN_PARAGRAPH.CENTER
    caption = para_starting(d, "Hình 1.")
    assert caption.runs[0].italic and caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    report = check_file(out.path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]
    # the same data renders the same bytes
    again = api.render(api.load_document(path))
    assert again == api.render(api.load_document(path))


def test_table_with_spans_and_total_in_an_item(tmp_path):
    path = write_yaml(tmp_path / "data.yaml", {**BASE, "sections": _section({"item": "Kết quả:", "content": [
        {"table": {"columns": ["STT", "Đơn vị", "Điểm"], "widths_cm": [1.5, 10, 4], "align": ["center", "left", "right"],
                   "rows": [[1, "Trường A", 95.5], [2, "Trường B", 1200]],
                   "total": [{"text": "Cộng", "span": 2, "align": "center"}, 1295.5]}}]})})
    d = docx.Document(str(api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite").path))
    table = d.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Đơn vị", "Điểm"]
    assert table.rows[2].cells[2].text == "1.200" and table.rows[1].cells[2].text == "95,5"
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    total = table.rows[3]
    assert total.cells[0].text == "Cộng" and total._tr.xpath("./w:tc[1]/w:tcPr/w:gridSpan/@w:val") == ["2"]
    assert all(r.bold for r in total.cells[2].paragraphs[0].runs)
    assert round(table.columns[0].width.cm, 1) == 1.5


@pytest.mark.parametrize("block, message", [
    ({"image": {"path": "nowhere.png"}}, "sections[0].content[0].image.path: 'nowhere.png': no such file"),
    ({"image": {"path": "not-image.png"}}, "sections[0].content[0].image.path: 'not-image.png': not a PNG or JPEG image"),
    ({"table": {"columns": ["A", "B"], "rows": [["1", "2"], ["3"]]}},
     "sections[0].content[0].table.rows[1]: has 1 cells for 2 columns (row 2 of the table)"),
    ({"table": {"columns": ["A", "B"], "widths_cm": [3]}}, "sections[0].content[0].table: `widths_cm` has 1 values for 2 columns"),
    ({"image": {"path": "x.png", "width_cm": 0}}, "sections[0].content[0].image.width_cm"),
])
def test_bad_tables_and_pictures_are_located_and_nothing_is_written(tmp_path, block, message):
    (tmp_path / "not-image.png").write_text("hello", encoding="utf-8")
    path = write_yaml(tmp_path / "data.yaml", {**BASE, "sections": _section(block)})
    with pytest.raises(DataError) as exc:
        api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    lines = exc.value.lines
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith(f"{path}:"), lines
    assert not (tmp_path / "out").exists() and not (tmp_path / "book.sqlite").exists()


def test_a_ragged_row_is_located_at_its_own_line(tmp_path):
    path = tmp_path / "data.yaml"
    write_yaml(path, {**BASE, "sections": _section({"table": {"columns": ["A", "B"], "rows": [["1", "2"], ["3"]]}})})
    row_line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if t.strip() == "- ['3']")
    with pytest.raises(DataError) as exc:
        api.validate(path)
    assert exc.value.lines[0].startswith(f"{path}:{row_line}: "), (exc.value.lines, path.read_text(encoding="utf-8"))
