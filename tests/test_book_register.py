"""`registry print`: the Sổ đăng ký văn bản đi of Decree 30 Phụ lục IV from the book, on both
backends: cover and first page, the 10 columns, one row per number, voids and unused reservations
in Ghi chú, columns (8)–(9) blank; what the register needs is recorded at issue."""
from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.book import open_book
from dispatch_gen.book import sqlite as book_sqlite
from dispatch_gen.book.register import COLUMNS, copies_of
from dispatch_gen.cli import main

from conftest import SAMPLE

PHULUC4 = next((p for p in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared"))
                if (p / "reference" / "decree30" / "Phuluc4.docx").exists()),
               Path("shared")) / "reference" / "decree30" / "Phuluc4.docx"


def run(*args):
    result = CliRunner().invoke(main, list(map(str, args)))
    return result.exit_code, result.stdout, result.stderr


def make_data(folder: Path, doc_id: str, mark: str | None = None) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace("id: phat-dong-thi-dua-2024", f"id: {doc_id}")
    text = re.sub(r"^number: 31 ", "number: ", text, flags=re.M)
    if mark:
        text += f"\ndrafter_mark: {mark}\n"
    path = folder / f"{doc_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def office(tmp_path, book_address):
    """Three issued dispatches, two reserved numbers of which one is voided, in 2024."""
    out = tmp_path / "output"
    for i, mark in enumerate(("PL.(300)", None, "TH.15")):
        api.issue(make_data(tmp_path, f"cv-{i}", mark), out_dir=out, registry=book_address)
    series = api.registry_entries(book_address)[0].series
    with open_book(book_address) as book:
        assert book.reserve(series=series, year=2024, count=2, note="văn bản đánh máy tay", force=True) == [4, 5]
        book.void(series=series, year=2024, number=5, reason="viết hỏng")
    api.issue(make_data(tmp_path, "cv-3"), out_dir=out, registry=book_address)
    return book_address, series


def cells(row) -> list[str]:
    return [c.text for c in row.cells]


def test_register_docx_has_the_form_of_phu_luc_iv(tmp_path, office):
    address, series = office
    target = tmp_path / "so-di-2024.docx"
    code, out, err = run("registry", "print", "--year", 2024, "-o", target, "--registry", address)
    assert code == 0, err
    assert out.strip() == str(target)
    d = docx.Document(target)
    section = d.sections[0]
    assert section.page_width > section.page_height, "landscape A4"
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    texts = [p.text for p in d.paragraphs if p.text.strip()]
    cover = ["BỘ CÔNG THƯƠNG", "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Năm: 2024",
             "Từ ngày 12/01/2024 đến ngày 12/01/2024", "Từ số 01 đến số 06", "Quyển số: 01"]
    assert texts == cover + cover, "cover, then the first page with the same text"
    (table,) = d.tables
    assert cells(table.rows[0]) == list(COLUMNS)
    assert cells(table.rows[1]) == [f"({i})" for i in range(1, 11)]
    rows = [cells(r) for r in table.rows[2:]]
    assert [r[0][:2] for r in rows] == ["01", "02", "03", "04", "05", "06"], "one row per number, in order"
    first = rows[0]
    assert first[0] == "01/PĐTĐ-CTĐP-CĐC" and first[1] == "12/01/2024"
    assert first[2].startswith("PHÁT ĐỘNG PHONG TRÀO THI ĐUA")
    assert "Đoàn Mạnh Trường (Chủ tịch)" in first[3] and "Đương Quốc Trịnh (Phó Cục trưởng)" in first[3]
    assert first[4].startswith("Thủ trưởng Phan Thị Thắng (để b/c); Công đoàn Bộ (để b/c); Đảng ủy Cục")
    assert first[5] == "Lưu: VT, VP, CĐC"
    assert (first[6], rows[1][6], rows[2][6]) == ("300", "", "15"), "số bản from the drafter's mark"
    assert rows[3][9] == "Số giữ trước, chưa sử dụng: văn bản đánh máy tay" and rows[3][1:9] == [""] * 8
    assert rows[4][9] == "Số không sử dụng (đã hủy): viết hỏng"
    assert rows[5][0] == "06/PĐTĐ-CTĐP-CĐC"
    assert all(r[7] == "" and r[8] == "" for r in rows), "(8) Ngày chuyển and (9) Ký nhận are for the hand"
    header_flags = [r._tr.trPr is not None and r._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None for r in table.rows[:3]]
    assert header_flags == [True, True, False], "the two header rows repeat on every page"
    again = tmp_path / "again.docx"
    assert run("registry", "print", "--year", 2024, "-o", again, "--registry", address)[0] == 0
    assert again.read_bytes() == target.read_bytes(), "the same book prints the same bytes"


@pytest.mark.skipif(not PHULUC4.exists(), reason="the decree's appendices are not in ../shared/reference")
def test_columns_are_those_of_the_decree():
    model = docx.Document(PHULUC4).tables[0]
    assert [" ".join(c.text.split()) for c in model.rows[0].cells] == list(COLUMNS)
    assert [c.text for c in model.rows[1].cells] == [f"({i})" for i in range(1, 11)]


def test_register_xlsx_and_pdf(tmp_path, office):
    from openpyxl import load_workbook

    address, _ = office
    target = tmp_path / "so-di-2024.xlsx"
    code, _, err = run("registry", "print", "--year", 2024, "-o", target, "--registry", address)
    assert code == 0, err
    ws = load_workbook(target).active
    values = [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(values) if r[0] == COLUMNS[0])
    assert values[head] == list(COLUMNS) and values[head + 1] == [f"({i})" for i in range(1, 11)]
    body = values[head + 2:]
    assert [r[0] for r in body][:1] == ["01/PĐTĐ-CTĐP-CĐC"] and len(body) == 6
    assert "đã hủy" in body[4][9]
    assert ws.print_title_rows == f"${head + 1}:${head + 2}" and ws.page_setup.orientation == "landscape"
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    pdf = tmp_path / "so-di-2024.pdf"
    code, _, err = run("registry", "print", "--year", 2024, "-o", pdf, "--registry", address)
    assert code == 0, err
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)  # cells wrap words
    assert "SỔĐĂNGKÝVĂNBẢNĐI" in text and "Kýnhận" in text and "viếthỏng" in text


def test_print_refusals(tmp_path, office):
    address, series = office
    code, _, err = run("registry", "print", "--year", 2024, "-o", tmp_path / "x.odt", "--registry", address)
    assert code == 1 and ".docx, .xlsx or .pdf" in err
    code, _, err = run("registry", "print", "--year", 2023, "-o", tmp_path / "x.docx", "--registry", address)
    assert code == 1 and "no numbers" in err
    code, _, err = run("registry", "print", "--year", 2024, "--series", "ZZ", "-o", tmp_path / "x.docx",
                       "--registry", address)
    assert code == 1 and "ZZ" in err and series in err
    assert not list(tmp_path.glob("x.*"))


def test_register_passes_check_as_a_register(tmp_path, office):
    address, _ = office
    target = tmp_path / "so-di-2024.docx"
    assert run("registry", "print", "--year", 2024, "-o", target, "--registry", address)[0] == 0
    code, out, err = run("check", target)
    assert code == 0, out + err


_V1_SCHEMA = """
CREATE TABLE entries (series TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL CHECK (number > 0),
    status TEXT NOT NULL CHECK (status IN ('issued', 'reserved', 'void')), doc_id TEXT, symbol TEXT, title TEXT,
    date TEXT, note TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (series, year, number));
CREATE UNIQUE INDEX entries_issued_doc ON entries (doc_id) WHERE status = 'issued';
CREATE TABLE revisions (doc_id TEXT NOT NULL, rev INTEGER NOT NULL CHECK (rev > 0), created_at TEXT NOT NULL,
    content_hash TEXT NOT NULL, trigger TEXT NOT NULL, paragraphs TEXT NOT NULL, docx BLOB NOT NULL,
    PRIMARY KEY (doc_id, rev));
INSERT INTO entries VALUES ('CĐC', 2024, 1, 'issued', 'old', 'PĐTĐ-CĐC', 'CÔNG VĂN', '2024-02-01', NULL, 't', 't');
INSERT INTO revisions VALUES ('old', 1, 't', 'h', 'issue', '["p"]', x'00');
"""


def test_a_book_of_schema_1_is_upgraded_and_prints(tmp_path):
    path = tmp_path / "registry.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(_V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {book_sqlite.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with open_book(path) as book:
        (entry,) = book.entries()
        assert (entry.doc_id, entry.register) == ("old", None)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == book_sqlite.SCHEMA_VERSION
    conn.close()
    target = tmp_path / "so-di.docx"
    code, _, err = run("registry", "print", "--year", 2024, "-o", target, "--registry", path)
    assert code == 0, err
    (row,) = docx.Document(target).tables[0].rows[2:]
    assert cells(row)[0] == "01/PĐTĐ-CĐC" and "trước khi sổ ghi người ký" in cells(row)[9]


def test_copies_from_the_drafters_mark():
    assert [copies_of(m) for m in ("PL.(300)", "TH.15", "NVA", None, "")] == [300, 15, None, None, None]


def test_check_finds_a_register_without_its_column_numbers(tmp_path, office):
    address, _ = office
    target = tmp_path / "so-di-2024.docx"
    assert run("registry", "print", "--year", 2024, "-o", target, "--registry", address)[0] == 0
    d = docx.Document(target)
    d.tables[0].rows[1].cells[2].paragraphs[0].runs[0].text = "(x)"
    broken = tmp_path / "broken.docx"
    d.save(broken)
    code, out, err = run("check", broken)
    assert code == 1 and "REG-002" in out + err and "(3)" in out + err
