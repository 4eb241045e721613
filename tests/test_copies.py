"""Bản sao (mẫu 3.1): the copied text, a full-width rule, the copy block with its own number from
the book, SAO Y / SAO LỤC / TRÍCH SAO, place and date, the copy's signer and Nơi nhận."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dispatch_gen import api
from dispatch_gen.check import check_file
from dispatch_gen.cli import main
from dispatch_gen.errors import RegistryError
from docx_helpers import all_paragraphs, para

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples" / "decree30"


def test_copy_from_data_file(tmp_path):
    out = api.build(EXAMPLES / "3.1-ban-sao-y.yaml", out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    assert out.path.name == "03-SY-UBND.docx"
    d = docx.Document(str(out.path))
    texts = [p.text for p in all_paragraphs(d)]
    assert "QUYẾT ĐỊNH:" in texts                      # the copied text
    assert "(Đã ký)" in texts and "SAO Y" in texts and "Số: 03/SY-UBND" in texts
    mark = para(d, "SAO Y")
    assert mark.runs[0].bold and mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "Yên Lạc, ngày 21 tháng 4 năm 2025" in texts and "TL. CHỦ TỊCH" in texts
    rules = [p for p in d.paragraphs if p._p.xpath("./w:pPr/w:pBdr/w:bottom") and not p.text]
    assert any(p.paragraph_format.left_indent in (None, 0) for p in rules)  # one rule spans the text width
    report = check_file(out.path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]
    (entry,) = api.registry_entries(tmp_path / "book.sqlite")
    assert (entry.series, entry.number, entry.symbol) == ("UBND", 3, "SY-UBND")


def test_copy_command_of_an_issued_document(tmp_path):
    book = tmp_path / "book.sqlite"
    original = api.build(EXAMPLES / "1.2-quyet-dinh.yaml", out_dir=tmp_path / "out", registry=book)
    result = CliRunner().invoke(main, ["copy", "qd-khen-thuong-hoi-khoe-phu-dong-2025", "--kind", "sao-luc",
                                       "--data", str(EXAMPLES / "3.1-ban-sao-y.yaml"), "--date", "2025-05-02",
                                       "-o", str(tmp_path / "out"), "--registry", str(book)])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[0])
    assert path.name == "216-SL-UBND.docx"  # the next free number of the copying body's series
    d = docx.Document(str(path))
    texts = [p.text for p in all_paragraphs(d)]
    assert "SAO LỤC" in texts and "Số: 216/SL-UBND" in texts and "Yên Lạc, ngày 02 tháng 5 năm 2025" in texts
    assert "Số: 215/QĐ-UBND" in texts  # the issued document's own Số, as issued
    numbers = {(e.number, e.symbol) for e in api.registry_entries(book)}
    assert numbers == {(215, "QĐ-UBND"), (216, "SL-UBND")}
    assert original.path.is_file()


def test_copy_of_an_unknown_document_is_one_line(tmp_path):
    book = tmp_path / "book.sqlite"
    api.build(EXAMPLES / "1.2-quyet-dinh.yaml", out_dir=tmp_path / "out", registry=book)
    with pytest.raises(RegistryError) as exc:
        api.copy("khong-co", "sao-y", EXAMPLES / "3.1-ban-sao-y.yaml", out_dir=tmp_path / "out", registry=book)
    assert exc.value.lines == ["khong-co: no such document in the number book (a copy is made of an issued document)"]
    assert not list((tmp_path / "out").glob("*/*SY*"))
