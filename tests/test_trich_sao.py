"""Bản trích sao (Decree 30 art. 25 khoản 3): the head of the issued document, the parts chosen
(Điều, sections, sub-sections, phụ lục) or the rows of its list naming someone, its signature and
Nơi nhận, then the copy block — numbered from a real SQLite book, read back with python-docx."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from dispatch_gen import api
from dispatch_gen.check import check_file
from dispatch_gen.cli import main
from dispatch_gen.errors import DataError
from docx_helpers import all_paragraphs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples" / "decree30"
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
DECISION_ID = "qd-khen-thuong-hoi-khoe-phu-dong-2025"
PLAN_ID = "kh-phat-dong-thi-dua-pgd-2025"


def _who(tmp_path: Path, doc_id: str) -> Path:
    """The copying body's data (3.1's example), under its own id and without a number."""
    text = (EXAMPLES / "3.1-ban-sao-y.yaml").read_text(encoding="utf-8")
    lines = [f"id: {doc_id}" if t.startswith("id:") else t for t in text.splitlines() if not t.startswith("number:")]
    path = tmp_path / f"{doc_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _issued(tmp_path: Path, *data: Path) -> Path:
    book = tmp_path / "book.sqlite"
    for path in data:
        api.build(path, out_dir=tmp_path / "out", registry=book)
    return book


def _texts(path: Path) -> list[str]:
    return [p.text for p in all_paragraphs(docx.Document(str(path)))]


def _body_xml(path: Path) -> list[str]:
    """Each top-level paragraph and table of the body, serialised as the file holds it."""
    body = docx.Document(str(path)).element.body
    return [etree.tostring(el, encoding="unicode") for el in body if etree.QName(el).localname in ("p", "tbl")]


def _text(xml: str) -> str:
    return "".join(etree.fromstring(xml).itertext())


def _clean(path: Path) -> None:
    report = check_file(path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


def _entries(book: Path) -> dict[str, tuple[int, str, str]]:
    return {e.doc_id: (e.number, e.symbol, e.title) for e in api.registry_entries(book)}


def test_by_article_keeps_head_chosen_articles_signature(tmp_path):
    book = _issued(tmp_path, EXAMPLES / "1.2-quyet-dinh.yaml")
    out = api.copy(DECISION_ID, "trich-sao", _who(tmp_path, "trs-1"), out_dir=tmp_path / "out", registry=book,
                   parts=["Điều 3", "điều 1"])
    assert out.path.name == "216-TrS-UBND.docx"   # the next number of the copying body's series
    texts = _texts(out.path)
    for kept in ("QUYẾT ĐỊNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN YÊN LẠC", "QUYẾT ĐỊNH:", "Số: 215/QĐ-UBND",
                 "a) Trường Trung học cơ sở Yên Lạc;", "- Như Điều 3;", "TRÍCH SAO", "Số: 216/TrS-UBND"):
        assert kept in texts, kept
    assert any(t.startswith("Căn cứ Luật Thi đua") for t in texts)
    assert any(t.startswith("Theo đề nghị của") for t in texts)
    articles = [t.split(".")[0] for t in texts if t.startswith("Điều ")]
    assert articles == ["Điều 1", "Điều 3"]    # in the document's order, Điều 2 left out
    assert not any(t.startswith("Điều 2.") for t in texts)
    original = _body_xml(tmp_path / "out" / "2025" / "215-QD-UBND.docx")
    copy = _body_xml(out.path)
    cut = next(i for i, x in enumerate(original) if _text(x).startswith("Điều 2."))
    assert copy[:cut] == original[:cut]                      # head and Điều 1, byte for byte
    assert copy[cut:cut + 3] == original[cut + 1:cut + 4]    # Điều 3, spacer, signature and Nơi nhận
    _clean(out.path)
    assert _entries(book)["trs-1"] == (
        216, "TrS-UBND", "TRÍCH SAO 215/QĐ-UBND (Điều 1, Điều 3)")


def test_by_section_and_subsection_of_a_plan(tmp_path):
    book = _issued(tmp_path, EXAMPLES / "1.4-ke-hoach.yaml")
    out = api.copy(PLAN_ID, "trich-sao", _who(tmp_path, "trs-2"), out_dir=tmp_path / "out", registry=book,
                   parts=["3", "2.3"])
    texts = [p.text for p in docx.Document(str(out.path)).paragraphs if p.text]   # the body's own lines
    body = texts[texts.index("KẾ HOẠCH"):]
    numbered = [t.split(" ")[0] for t in body if t[:1].isdigit()]
    # 2.3 comes with its section's heading line; section 3 whole; 1., 2.1. and 2.2. left out
    assert numbered == ["2.", "2.3.", "3.", "3.1.", "3.2."]
    assert "Bảng 1. Chỉ tiêu trường đạt chuẩn quốc gia năm học 2025-2026" in body
    assert "Các trường tập trung vào những nội dung sau:" not in body
    assert any(t.startswith("Thực hiện Kế hoạch số 112/KH-UBND") for t in body)  # the plan's căn cứ line
    d = docx.Document(str(out.path))
    assert len(d.tables[1].rows) == 5          # the 2.3 table, whole
    _clean(out.path)
    assert _entries(book)["trs-2"][2] == "TRÍCH SAO 27/KH-PGD&ĐT (2.3, 3)"


def test_roman_sections_and_their_numbered_items(tmp_path):
    book = _issued(tmp_path, SAMPLE)
    out = api.copy("phat-dong-thi-dua-2024", "trich-sao", _who(tmp_path, "trs-3"), out_dir=tmp_path / "out",
                   registry=book, parts=["II.2", "III"])
    texts = _texts(out.path)
    heads = [t.split(" ")[0] for t in texts if t.split(" ")[0] in ("I.", "II.")]
    assert heads == ["II."]                                   # II's heading line over its item 2
    assert any(t.startswith("III. ") for t in texts) and not any(t.startswith("I. ") for t in texts)
    assert "Nơi nhận:" in texts and "- Lưu: VT, VP, CĐC." in texts  # two signers' Nơi nhận, under them
    _clean(out.path)


def test_by_row_of_the_commendation_list(tmp_path):
    book = tmp_path / "book.sqlite"
    api.build(SAMPLE, out_dir=tmp_path / "out", registry=book)
    issued = api.decision(SAMPLE, ROOT / "data" / "ket-qua-thi-dua-2024.yaml", out_dir=tmp_path / "out",
                          registry=book, issue=True).outcome
    rows = [[c.text for c in r.cells] for r in docx.Document(str(issued.path)).tables[-1].rows]
    people = [r[1] for r in rows if r[0].isdigit()]
    first, later = people[12], people[40]
    out = api.copy(issued.document.id, "trich-sao", _who(tmp_path, "trs-4"), out_dir=tmp_path / "out",
                   registry=book, rows=[later, first])
    d = docx.Document(str(out.path))
    table = d.tables[-3]   # the phụ lục's list; then the copy block and its Nơi nhận
    kept = [[c.text for c in r.cells] for r in table.rows]
    assert kept[0] == rows[0]                                   # the header row
    assert [r[1] for r in kept if r[0].isdigit()] == [first, later]
    groups = [r[0] for r in kept[1:] if not r[0].isdigit()]
    assert groups and all(g.startswith(("I", "V", "X")) for g in groups)   # `III. Danh hiệu …` above them
    assert not any(r[0] == "Tổng cộng" for r in kept)
    texts = _texts(out.path)
    assert not any(t.startswith("Bằng chữ") for t in texts)    # sums up the whole list: left out
    assert "Phụ lục" in texts and any(t.startswith("(Kèm theo Quyết định số") for t in texts)
    assert [t.split(".")[0] for t in texts if t.startswith("Điều ")] == ["Điều 1", "Điều 2", "Điều 3"]
    original = {x for x in _body_xml(issued.path)}
    rows_xml = [etree.tostring(r._tr) for r in table.rows]
    original_rows = {etree.tostring(r._tr) for r in docx.Document(str(issued.path)).tables[-1].rows}
    assert set(rows_xml) <= original_rows                      # every kept row as issued
    assert len(original) > 0
    _clean(out.path)
    title = _entries(book)["trs-4"][2]
    assert title.startswith(f"TRÍCH SAO {issued.number_line.split(' ', 1)[1]}") and first in title and later in title


def test_phu_luc_alone_drops_the_action_line_and_articles(tmp_path):
    book = _issued(tmp_path, EXAMPLES / "1.3-quyet-dinh-ban-hanh.yaml")
    out = api.copy("qd-ban-hanh-quy-che-thi-dua-2025", "trich-sao", _who(tmp_path, "trs-5"),
                   out_dir=tmp_path / "out", registry=book, parts=["Quy chế"])
    texts = _texts(out.path)
    assert "QUYẾT ĐỊNH:" not in texts and "QUY CHẾ" in texts and "Chương II" in texts
    assert "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO" in texts
    d = docx.Document(str(out.path))
    assert len(d.sections) == 2               # the decision's pages, then the văn bản kèm theo's
    _clean(out.path)


def test_articles_without_the_phu_luc_end_in_one_section(tmp_path):
    book = _issued(tmp_path, EXAMPLES / "1.3-quyet-dinh-ban-hanh.yaml")
    out = api.copy("qd-ban-hanh-quy-che-thi-dua-2025", "trich-sao", _who(tmp_path, "trs-6"),
                   out_dir=tmp_path / "out", registry=book, parts=["Điều 2"])
    d = docx.Document(str(out.path))
    assert len(d.sections) == 1 and "QUY CHẾ" not in _texts(out.path)
    _clean(out.path)


def _copy_cli(book: Path, who: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["copy", DECISION_ID, "--data", str(who), "-o", str(out),
                                     "--registry", str(book), *args])


def _numbers(book: Path) -> list[tuple]:
    with sqlite3.connect(book) as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        return sorted(row for t in tables for row in db.execute(f"select * from {t}"))


@pytest.mark.parametrize("args, message", [
    (["--kind", "trich-sao", "--part", "Điều 5"],
     f"error: {DECISION_ID}: part 'Điều 5' is not in the copied document; its parts: Điều 1, Điều 2, Điều 3"),
    (["--kind", "trich-sao", "--part", "Điều 1", "--row", "Không Có Ai"],
     f"error: {DECISION_ID}: row 'Không Có Ai': no row of the copied document's tables has a cell reading so; "
     "names in its tables: none"),
    (["--kind", "trich-sao"],
     f"error: copy {DECISION_ID} --kind trich-sao: a trích sao copies part of the text: name it with parts "
     "(e.g. Điều 1, II, 5.2, Phụ lục I) or rows (a name in the list)"),
    (["--kind", "sao-y", "--part", "Điều 1"],
     f"error: copy {DECISION_ID} --kind sao-y: parts and rows choose what a trích sao copies; a sao y copies "
     "the whole text (use kind trich-sao)"),
    (["--kind", "sao-luc", "--row", "Nguyễn Văn A"],
     f"error: copy {DECISION_ID} --kind sao-luc: parts and rows choose what a trích sao copies; a sao lục "
     "copies the whole text (use kind trich-sao)"),
])
def test_refusals_are_one_line_use_no_number_write_nothing(tmp_path, args, message):
    book = _issued(tmp_path, EXAMPLES / "1.2-quyet-dinh.yaml")
    who = _who(tmp_path, "trs-7")
    before = _numbers(book)
    files = sorted((tmp_path / "out").rglob("*"))
    result = _copy_cli(book, who, tmp_path / "out", *args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [message]
    assert _numbers(book) == before and sorted((tmp_path / "out").rglob("*")) == files
    ok = _copy_cli(book, who, tmp_path / "out", "--kind", "trich-sao", "--part", "Điều 2")
    assert ok.exit_code == 0, ok.output
    assert Path(ok.stdout.strip().splitlines()[0]).name == "216-TrS-UBND.docx"   # the next number, unused before


def test_from_a_data_file(tmp_path):
    out = api.build(EXAMPLES / "trich-sao-3.1.yaml", out_dir=tmp_path / "out",
                    registry=tmp_path / "book.sqlite")
    assert out.path.name == "07-TrS-UBND.docx"
    texts = _texts(out.path)
    assert [t.split(".")[0] for t in texts if t.startswith("Điều ")] == ["Điều 1", "Điều 3"]
    assert "(Đã ký)" in texts and "TRÍCH SAO" in texts
    _clean(out.path)


@pytest.mark.parametrize("copy_of, field, says", [
    ("{source: 1.2-quyet-dinh.yaml, kind: trich-sao}", "copy_of", "a trích sao copies part of the text"),
    ("{source: 1.2-quyet-dinh.yaml, kind: sao-y, parts: [Điều 1]}", "copy_of",
     "a sao y copies the whole text"),
    ("{source: 1.2-quyet-dinh.yaml, kind: trich-sao, parts: ['']}", "copy_of.parts[0]", "at least 1"),
])
def test_bad_copy_of_in_data_is_located(tmp_path, copy_of, field, says):
    text = (EXAMPLES / "trich-sao-3.1.yaml").read_text(encoding="utf-8")
    lines = [t for t in text.splitlines() if not t.startswith(("  source:", "  kind:", "  parts:"))]
    lines = [f"copy_of: {copy_of}" if t == "copy_of:" else t for t in lines]
    path = tmp_path / "bad.yaml"
    (tmp_path / "1.2-quyet-dinh.yaml").write_bytes((EXAMPLES / "1.2-quyet-dinh.yaml").read_bytes())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = next(n for n, t in enumerate(lines, 1) if t.startswith("copy_of:"))
    with pytest.raises(DataError) as exc:
        api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    assert any(e.startswith(f"{path}:{line}: {field}") and says in e for e in exc.value.lines), exc.value.lines
    assert not (tmp_path / "book.sqlite").exists()


def test_a_missing_part_named_in_data_points_at_parts(tmp_path):
    text = (EXAMPLES / "trich-sao-3.1.yaml").read_text(encoding="utf-8")
    path = tmp_path / "trs.yaml"
    (tmp_path / "1.2-quyet-dinh.yaml").write_bytes((EXAMPLES / "1.2-quyet-dinh.yaml").read_bytes())
    path.write_text(text.replace("parts: [Điều 1, Điều 3]", "parts: [Điều 1, Điều 9]"), encoding="utf-8")
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "parts:" in t)
    with pytest.raises(DataError) as exc:
        api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    assert exc.value.lines == [f"{path}:{line}: copy_of.parts: 1.2-quyet-dinh.yaml: part 'Điều 9' is not "
                               "in the copied document; its parts: Điều 1, Điều 2, Điều 3"]
    assert not (tmp_path / "book.sqlite").exists() and not (tmp_path / "out").exists()


def test_sao_y_still_copies_everything(tmp_path):
    book = _issued(tmp_path, EXAMPLES / "1.2-quyet-dinh.yaml")
    out = api.copy(DECISION_ID, "sao-y", _who(tmp_path, "sy-9"), out_dir=tmp_path / "out", registry=book)
    original = _body_xml(tmp_path / "out" / "2025" / "215-QD-UBND.docx")
    assert _body_xml(out.path)[:len(original)] == original
    assert _entries(book)["sy-9"][2] == "SAO Y 215/QĐ-UBND"


def test_the_checker_holds_a_full_document_to_its_numbering(tmp_path):
    """Gaps pass only under a TRÍCH SAO mark: the same cut text without it is still flagged."""
    from docx_helpers import broken, para

    book = _issued(tmp_path, EXAMPLES / "1.4-ke-hoach.yaml")
    out = api.copy(PLAN_ID, "trich-sao", _who(tmp_path, "trs-8"), out_dir=tmp_path / "out", registry=book,
                   parts=["2"])
    _clean(out.path)
    unmarked = broken(out.path, tmp_path, lambda d: setattr(para(d, "TRÍCH SAO").runs[0], "text", "SAO Y"))
    assert {"BODY-001", "BODY-003"} <= set(check_file(unmarked).codes("error")) | set(
        check_file(unmarked).codes("warning"))


def test_row_of_a_list_in_sections_keeps_its_own_section_heading(tmp_path):
    """A danh sách with Mục of its own (`I. TẬP THỂ`, `II. CÁ NHÂN`), a table in each: the row asked
    for comes with its Mục heading and its table's header; the other Mục and the list's lead-in go."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    data = yaml.load((EXAMPLES / "1.2-quyet-dinh.yaml").read_text(encoding="utf-8"))
    table = lambda rows: {"table": {"columns": ["STT", "Họ và tên", "Đơn vị"], "rows": rows}}  # noqa: E731
    data["annexes"] = [{
        "heading": "DANH SÁCH", "title": "tập thể và cá nhân được khen thưởng",
        "content": ["Danh sách gồm 02 tập thể và 02 cá nhân:"],
        "sections": [
            {"heading": "TẬP THỂ", "content": [table([[1, "Trường Tiểu học Yên Lạc", "Yên Lạc"],
                                                       [2, "Trường THCS Tam Hồng", "Tam Hồng"]])]},
            # numbered lines before the table: the Mục heading is still the one kept, not `1. …`
            {"heading": "CÁ NHÂN", "items": ["Ông Nguyễn Văn An, Hiệu trưởng;"],
             "content": [table([[1, "Trần Thị Bình", "Trường Tiểu học Yên Lạc"],
                                [2, "Lê Minh Cường", "Trường THCS Tam Hồng"]])]},
        ]}]
    source = tmp_path / "qd.yaml"
    with open(source, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    book = _issued(tmp_path, source)
    out = api.copy(DECISION_ID, "trich-sao", _who(tmp_path, "trs-10"), out_dir=tmp_path / "out", registry=book,
                   parts=["Điều 1"], rows=["lê minh  cường"])
    d = docx.Document(str(out.path))
    texts = [p.text for p in d.paragraphs if p.text]
    annex = texts[texts.index("DANH SÁCH"):]
    assert "II. CÁ NHÂN" in annex and "I. TẬP THỂ" not in annex
    assert not any(t.startswith("1. Ông Nguyễn Văn An") for t in annex)
    assert "Danh sách gồm 02 tập thể và 02 cá nhân:" not in annex
    assert any(t.startswith("(Kèm theo Quyết định số 215/QĐ-UBND") for t in annex)
    rows = [[c.text for c in r.cells] for r in d.tables[-3].rows]
    assert rows == [["STT", "Họ và tên", "Đơn vị"], ["2", "Lê Minh Cường", "Trường THCS Tam Hồng"]]
    assert [t.split(".")[0] for t in texts if t.startswith("Điều ")] == ["Điều 1"]
    _clean(out.path)
    assert _entries(book)["trs-10"][2] == "TRÍCH SAO 215/QĐ-UBND (Điều 1, “Lê Minh Cường”)"  # as printed


def test_the_copying_bodys_data_needs_only_who_copies(tmp_path):
    """`--data` says who makes the copy: issuer, place, signer, Nơi nhận. What is copied, its
    title and its year come from the command and the book (a title or year was required)."""
    book = _issued(tmp_path, EXAMPLES / "1.2-quyet-dinh.yaml")
    who = tmp_path / "who.yaml"
    who.write_text("id: trs-bo-phan-mot-cua\n"
                   "issuers:\n  - {name: Ủy ban nhân dân huyện Yên Lạc, code: UBND}\n"
                   "place: Yên Lạc\n"
                   "signers:\n  - {authority: TL., for: Chủ tịch, position: Chánh Văn phòng, name: Nguyễn Thị Thu Hà}\n"
                   "recipients: [Trường Tiểu học Yên Lạc]\narchive: [VT]\n", encoding="utf-8")
    out = api.copy(DECISION_ID, "trich-sao", who, out_dir=tmp_path / "out", registry=book, parts=["Điều 1"],
                   date=dt.date(2025, 5, 6))
    texts = _texts(out.path)
    assert "TRÍCH SAO" in texts and "Yên Lạc, ngày 06 tháng 5 năm 2025" in texts
    report = check_file(out.path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]
