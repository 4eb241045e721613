"""`check` on real files: our generated documents and templates pass; each broken rule is caught.

Broken documents are made from a real build with python-docx, one rule broken at a time, and
read back by the checker from disk.
"""
from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dispatch_gen import api
from dispatch_gen.check import RULES, check_file, check_files
from dispatch_gen.check.text import tone_style
from dispatch_gen.cli import main
from dispatch_gen.render.template_builder import build_template
from docx_helpers import all_paragraphs, broken, para_starting, set_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"


def build(data: Path, out_dir: Path) -> Path:
    """A real build, with its own number book (never the repository's)."""
    return api.build(data, out_dir, registry=out_dir / "book.sqlite").path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(SAMPLE, tmp_path_factory.mktemp("out"))


def codes(report, severity="error"):
    return report.codes(severity)


# --- what we generate passes ----------------------------------------------------------------

def test_generated_sample_has_no_errors(built):
    report = check_file(built)
    assert report.ok, [f.line() for f in report.findings]
    # the seed's own spellings are pointed out, as warnings
    assert {"TXT-002", "TXT-003"} <= codes(report, "warning")


def test_draft_passes_with_notes(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("number: 31 ", "number:    ").replace("date: 2024-01-12", "date:")
    data = tmp_path / "draft.yaml"
    data.write_text(text, encoding="utf-8")
    report = check_file(build(data, tmp_path))
    assert report.ok, [f.line() for f in report.findings]
    assert {"NUM-004", "DATE-004"} <= codes(report, "info")


@pytest.mark.parametrize("profile", ["decree30", "trade-union"])
def test_templates_pass(tmp_path, profile):
    path = tmp_path / "phat-dong.docx"
    path.write_bytes(build_template("phat-dong", profile))
    report = check_file(path, profile)
    assert report.template and report.ok, [f.line() for f in report.findings]
    assert codes(report, "info") == {"TPL-001"}


@pytest.mark.parametrize("name", ["cong-van-ubnd.yaml", "ke-hoach-cong-doan.yaml"])
def test_examples_pass_without_warnings(tmp_path, name):
    """The công văn's drafter mark under Nơi nhận (`NVB.(30)`, ô 12) is not taken for a recipient line."""
    report = check_file(build(ROOT / "data" / "examples" / name, tmp_path))
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


def test_shipped_templates_pass():
    # ban-sao.docx is the copy block alone: it is checked under the text it copies (tests/test_copies.py)
    reports = check_files(sorted(p for p in api.default_templates_dir().glob("*.docx") if p.stem != "ban-sao"))
    assert reports and all(r.ok for r in reports), [f.line() for r in reports for f in r.findings]


# --- each rule, broken alone ------------------------------------------------------------------

def _rule_paragraph_after(document, start):
    found = False
    for p in all_paragraphs(document):
        if found and p._p.find(qn("w:pPr")) is not None and p._p.pPr.find(qn("w:pBdr")) is not None:
            return p
        found = found or p.text.startswith(start)
    raise AssertionError("no rule paragraph")


def _remove_border(p):
    p._p.pPr.remove(p._p.pPr.find(qn("w:pBdr")))


def _bold(p, on):
    for r in p.runs:
        r.bold = on


BREAKS = {
    "PAGE-001": lambda d: setattr(d.sections[0], "page_width", Mm(216)),
    "PAGE-002": lambda d: setattr(d.sections[0], "left_margin", Mm(25)),
    "PAGE-003": lambda d: setattr(d.sections[0], "different_first_page_header_footer", False),
    "PAGE-006": lambda d: [setattr(r.font, "size", Pt(10)) for r in d.sections[0].header.paragraphs[0].runs],
    "FONT-001": lambda d: setattr(para_starting(d, "I. Mục đích").runs[0].font, "name", "Arial"),
    "FMT-001": lambda d: setattr(para_starting(d, "CỘNG HÒA").runs[0].font, "size", Pt(14)),
    "FMT-002": lambda d: _bold(para_starting(d, "CỤC CÔNG THƯƠNG"), False),
    "FMT-003": lambda d: [setattr(r, "italic", False) for r in para_starting(d, "Hà Nội, ngày").runs],
    "FMT-004": lambda d: set_text(para_starting(d, "PHÁT ĐỘNG"), "Phát động phong trào thi đua"),
    "FMT-005": lambda d: setattr(para_starting(d, "Năm 2024 là năm"), "alignment", WD_ALIGN_PARAGRAPH.LEFT),
    "FMT-006": lambda d: setattr(para_starting(d, "Năm 2024 là năm").paragraph_format, "first_line_indent", 0),
    "HDR-001": lambda d: set_text(para_starting(d, "CỘNG HÒA"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIÊT NAM"),
    "HDR-002": lambda d: set_text(para_starting(d, "Độc lập"), "Độc lập – Tự do – Hạnh phúc"),
    "HDR-003": lambda d: _remove_border(_rule_paragraph_after(d, "Độc lập")),
    "HDR-004": lambda d: _remove_border(_rule_paragraph_after(d, "CÔNG ĐOÀN CỤC")),
    "HDR-005": lambda d: [set_text(p, "") for p in all_paragraphs(d) if p.text in
                          ("BỘ CÔNG THƯƠNG", "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG", "CÔNG ĐOÀN CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG")],
    "NUM-001": lambda d: set_text(para_starting(d, "Số:"), ""),
    "NUM-002": lambda d: set_text(para_starting(d, "Số:"), "Số: 31/PĐTĐ- CTĐP-CĐC"),
    "NUM-003": lambda d: set_text(para_starting(d, "Số:"), "Số: 5/PĐTĐ-CTĐP-CĐC"),
    "DATE-001": lambda d: set_text(para_starting(d, "Hà Nội, ngày"), "Hà Nội, 12/01/2024"),
    "DATE-002": lambda d: set_text(para_starting(d, "Hà Nội, ngày"), "Hà Nội, ngày 12 tháng 03 năm 2024"),
    "DATE-003": lambda d: set_text(para_starting(d, "Hà Nội, ngày"), "Hà Nội, ngày 30 tháng 02 năm 2024"),
    "TTL-002": lambda d: _remove_border(_rule_paragraph_after(d, "Năm 2024")),
    "BODY-001": lambda d: set_text(para_starting(d, "Để thực hiện tốt"), para_starting(d, "Để thực hiện tốt").text.replace("./.", ".")),
    "BODY-004": lambda d: set_text(para_starting(d, "2. Nâng cao"), "f) Nâng cao chất lượng"),
    "SIG-002": lambda d: set_text(para_starting(d, "KT. CỤC TRƯỞNG"), "K/T CỤC TRƯỞNG"),
    "TXT-001": lambda d: set_text(para_starting(d, "3. Thông qua"), unicodedata.normalize("NFD", para_starting(d, "3. Thông qua").text)),
}

WARNINGS = {
    "PAGE-004": lambda d: [set_text(p, "") or p._p.remove(p._p.find(qn("w:r")))
                           for p in d.sections[0].header.paragraphs] and _drop_fields(d),
    "PAGE-007": lambda d: setattr(d.sections[0].header.paragraphs[0], "alignment", WD_ALIGN_PARAGRAPH.RIGHT),
    "FMT-007": lambda d: setattr(para_starting(d, "Năm 2024 là năm").paragraph_format, "space_after", Pt(0)),
    "FMT-008": lambda d: setattr(para_starting(d, "Năm 2024 là năm").paragraph_format, "line_spacing", 2.0),
    "HDR-003": lambda d: setattr(_rule_paragraph_after(d, "Độc lập").paragraph_format, "left_indent", Mm(30)),
    "DATE-005": lambda d: set_text(para_starting(d, "Hà Nội, ngày"), "hà Nội, ngày 12 tháng 01 năm 2024"),
    "BODY-002": lambda d: set_text(para_starting(d, "III. Biện pháp"), "IV. Biện pháp thực hiện:"),
    "BODY-003": lambda d: set_text(para_starting(d, "3. Thông qua"), "4. Thông qua phong trào"),
    "SIG-003": lambda d: set_text(para_starting(d, "Đương Quốc Trịnh"), ""),
    "SIG-004": lambda d: set_text(para_starting(d, "Đương Quốc Trịnh"), "TS. Đương Quốc Trịnh"),
    "RCP-001": lambda d: set_text(para_starting(d, "Nơi nhận:"), "Nơi gửi:"),
    "RCP-002": lambda d: set_text(para_starting(d, "- Công đoàn Bộ"), "- Công đoàn Bộ (để b/c)"),
    "RCP-003": lambda d: set_text(para_starting(d, "- Lưu:"), "- Văn thư."),
}


def _drop_fields(d):
    for p in d.sections[0].header.paragraphs:
        for r in list(p._p.iter(qn("w:r"))):
            r.getparent().remove(r)
    return True


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_each_broken_rule_is_an_error(built, tmp_path, code):
    report = check_file(broken(built, tmp_path, BREAKS[code]))
    assert code in codes(report, "error"), [f.line() for f in report.findings]
    assert codes(report, "error") <= {code, "FMT-001", "FMT-002", "FMT-004"} | ({"TTL-002"} if code == "FMT-004" else set()), \
        [f.line() for f in report.findings]
    assert check_file(broken(built, tmp_path, BREAKS[code])).errors >= 1


@pytest.mark.parametrize("code", sorted(WARNINGS))
def test_each_soft_rule_is_a_warning(built, tmp_path, code):
    report = check_file(broken(built, tmp_path, WARNINGS[code]))
    assert code in codes(report, "warning"), [f.line() for f in report.findings]
    assert report.ok, [f.line() for f in report.findings]


def test_findings_are_located(built, tmp_path):
    report = check_file(broken(built, tmp_path, BREAKS["DATE-002"]))
    (f,) = [f for f in report.findings if f.code == "DATE-002"]
    assert f.paragraph and f.snippet.startswith("Hà Nội, ngày 12 tháng 03")
    assert (f.expected, f.found) == ("tháng 3", "tháng 03")


def test_repeated_findings_fold_into_one(built, tmp_path):
    def all_left(d):
        for p in d.paragraphs:
            if p.text.startswith(("1.", "2.", "3.")):
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    report = check_file(broken(built, tmp_path, all_left))
    (f,) = [f for f in report.findings if f.code == "FMT-005" and f.element == "body"]
    assert f.count == 9 and len(f.also) == 8


def test_one_tone_style_is_not_a_warning(built, tmp_path):
    def old_style(d):
        p = para_starting(d, "3. Chủ động")
        set_text(p, p.text.replace("hoá", "hóa"))
    report = check_file(broken(built, tmp_path, old_style))
    assert "TXT-002" not in report.codes()


@pytest.mark.parametrize("word, style", [("hóa", "old"), ("hoá", "new"), ("thủy", "old"), ("thuỷ", "new"),
                                         ("ủy", "old"), ("uỷ", "new"), ("HÒA", "old"), ("quý", None),
                                         ("hoàn", None), ("khỏe", "old"), ("hoa", None)])
def test_tone_style(word, style):
    assert tone_style(word) == style


# --- documents typed by hand: formatting from styles, header and signature by tabs ----------

def _typed_by_hand(path: Path, body_size: float = 14) -> Path:
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(body_size)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin = s.bottom_margin = Mm(20)
    s.left_margin, s.right_margin = Mm(30), Mm(15)

    def line(text, size=None, bold=None, italic=None, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None):
        p = d.add_paragraph()
        for k, part in enumerate(text.split("\t")):
            if k:
                p.add_run().add_tab()
            r = p.add_run(part)
            if size:
                r.font.size = Pt(size)
            r.bold, r.italic = bold, italic
        p.alignment = align
        if indent is not None:
            p.paragraph_format.first_line_indent = indent
        return p

    line("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=None)
    line("Số: 05/KH-UBND\tĐộc lập - Tự do - Hạnh phúc", size=13, align=None)
    line("Hà Nội, ngày 05 tháng 3 năm 2024", size=14, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    line("KẾ HOẠCH", bold=True)
    line("Tổ chức phong trào thi đua năm 2024", bold=True)
    for text in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Động viên cán bộ hoàn thành nhiệm vụ.", "Kế hoạch này thực hiện từ ngày ký./."):
        line(text, bold=text.startswith("I."), align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=Mm(12.7))
    line("Nơi nhận:\tTM. ỦY BAN NHÂN DÂN", size=12, align=None)
    line("- Như trên;\tCHỦ TỊCH", size=11, align=None)
    line("- Lưu: VT.\tNguyễn Văn A", size=11, align=None)
    d.save(str(path))
    return path


def test_typed_by_hand_is_mapped(tmp_path):
    from dispatch_gen.check.layout import locate
    from dispatch_gen.check.reader import read_docx
    from dispatch_gen.profile import load_profile

    doc = read_docx(_typed_by_hand(tmp_path / "hand.docx"))
    layout = locate(doc, load_profile())
    assert layout.national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert layout.motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert layout.number.text == "Số: 05/KH-UBND"
    assert layout.date.text.startswith("Hà Nội, ngày 05")
    assert [f.text for f in layout.issuers] == ["ỦY BAN NHÂN DÂN"]
    assert layout.doc_type.text == "KẾ HOẠCH" and [f.text for f in layout.summary] == ["Tổ chức phong trào thi đua năm 2024"]
    assert [f.role for f in layout.body] == ["heading", "body", "body"]
    (signer,) = layout.signers
    assert [a.text for a in signer.authority] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signer.name.text == "Nguyễn Văn A"
    assert [r.text for r in layout.recipients] == ["- Như trên;", "- Lưu: VT."]
    # the body's size comes from the Normal style, not from its runs
    assert {r.size for f in layout.body for r in f.runs} == {14.0}


def test_typed_by_hand_style_size_is_checked(tmp_path):
    ok = check_file(_typed_by_hand(tmp_path / "ok.docx"))
    assert "FMT-001" not in {f.code for f in ok.findings if f.element == "body"}
    small = check_file(_typed_by_hand(tmp_path / "small.docx", body_size=12))
    assert any(f.code == "FMT-001" and f.element == "body" and f.found == "12 pt" for f in small.findings)
    # rules are not drawn in this document: said so
    assert {"HDR-003", "HDR-004", "TTL-002"} <= codes(ok, "error")


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_exit_status_and_json(built, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(built)])
    assert ok.exit_code == 0, ok.output
    assert "0 error(s)" in ok.output
    bad = broken(built, tmp_path, BREAKS["NUM-003"])
    result = runner.invoke(main, ["check", "--json", str(built), str(bad)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False and data["errors"] == 1
    (finding,) = [f for f in data["files"][1]["findings"] if f["code"] == "NUM-003"]
    assert finding["expected"] == "05" and finding["found"] == "5" and finding["severity"] == "error"


def test_cli_unreadable_file(tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip")
    result = CliRunner().invoke(main, ["check", str(junk)])
    assert result.exit_code == 1
    assert "junk.docx: not a readable .docx file" in result.output
    assert "Traceback" not in result.output


def test_cli_lists_rules():
    result = CliRunner().invoke(main, ["check", "--rules"])
    assert result.exit_code == 0
    assert all(code in result.output for code in RULES)


def test_hundred_documents_in_seconds(built, tmp_path):
    paths = []
    for i in range(100):
        p = tmp_path / f"d{i:03d}.docx"
        p.write_bytes(built.read_bytes())
        paths.append(p)
    start = time.perf_counter()
    reports = check_files(paths)
    elapsed = time.perf_counter() - start
    assert len(reports) == 100 and all(r.ok for r in reports)
    assert elapsed < 10, f"{elapsed:.1f} s for 100 documents"


def test_urgency_mark_must_be_boxed_bold_and_sized(tmp_path):
    """HDR-008: the KHẨN mark of a công văn in its box; its size and weight come from the profile."""
    from dispatch_gen import api

    built = api.build(ROOT / "data" / "examples" / "cong-van-ubnd.yaml", tmp_path / "o",
                      registry=tmp_path / "r.sqlite").path
    assert "HDR-008" not in check_file(built).codes()

    def unbox(d):
        p = para_starting(d, "KHẨN")
        p._p.pPr.remove(p._p.pPr.find(qn("w:pBdr")))

    assert "HDR-008" in codes(check_file(broken(built, tmp_path, unbox)))

    def shrink(d):
        for r in para_starting(d, "KHẨN").runs:
            r.font.size = Pt(11)
            r.bold = False

    found = codes(check_file(broken(built, tmp_path, shrink)))
    assert {"FMT-001", "FMT-002"} <= found


@pytest.mark.parametrize("symbol, flagged", [
    ("1234/QĐ-TTg", False),       # the Prime Minister's code, listed in the profile as written that way
    ("15/TTr-BGDĐT", False),      # a tờ trình
    ("1234/QĐ-Ttg", True),        # not a listed code: its lower-case letters are a slip
    ("1234/qđ-TTg", True),
])
def test_codes_the_profile_lists_keep_their_case(built, tmp_path, symbol, flagged):
    """`check` reads the mixed-case codes from the profile (`number.mixed_case_codes`), the same
    list `validate` uses: a real `Số: 1234/QĐ-TTg` is no error."""
    path = broken(built, tmp_path, lambda d: set_text(para_starting(d, "Số:"), f"Số: {symbol}"))
    found = [f for f in check_file(path).findings if f.code == "NUM-002"]
    assert bool(found) is flagged, [f.line() for f in found]


def test_an_opening_sentence_starting_with_can_cu_is_running_text(tmp_path):
    """`Căn cứ Hướng dẫn …, Ban Chấp hành … xây dựng kế hoạch như sau.` typed as the opening of a
    kế hoạch is body text (upright), not a căn cứ line that should be italic."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    data = yaml.load((ROOT / "data" / "examples" / "ke-hoach-cong-doan.yaml").read_text(encoding="utf-8"))
    data.pop("legal_basis", None)
    data["opening"] = ["Căn cứ Hướng dẫn số 03/HD-CĐGD ngày 10 tháng 02 năm 2026 của Công đoàn Giáo dục thành phố, "
                       "Ban Chấp hành Công đoàn cơ sở xây dựng kế hoạch như sau."]
    path = tmp_path / "kh.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    report = check_file(build(path, tmp_path))
    assert report.ok and not report.codes("warning") - {"TXT-002", "TXT-003"}, [f.line() for f in report.findings]
