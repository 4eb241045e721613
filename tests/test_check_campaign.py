"""`check` on the year-end documents: báo cáo, quyết định (drafted and issued) with its phụ lục, giấy khen.

Real builds of the sample, read back from disk; broken copies are made with python-docx, one rule
at a time, and checked from disk again.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dispatch_gen import api
from dispatch_gen.campaign import make_certificates, make_decision, make_report
from dispatch_gen.check import check_file, check_files
from dispatch_gen.check.finding import CERTIFICATE_CODES
from dispatch_gen.check.layout import locate
from dispatch_gen.check.reader import read_docx
from dispatch_gen.cli import main
from dispatch_gen.profile import load_profile
from test_campaign_common import CAMPAIGN, RESULTS
from docx_helpers import broken, para_starting, set_text

# The sample's own spellings (the seed writes “Chiến sỹ”; it mixes hóa and hoá) are warned about;
# nothing else may be.
SEED_WARNINGS = {"TXT-002", "TXT-003"}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("year-end")
    out, book = root / "out", root / "book.sqlite"
    certificates = make_certificates(CAMPAIGN, RESULTS, root / "certs", registry=root / "certs.sqlite").paths
    return {
        "report": make_report(CAMPAIGN, RESULTS, out, registry=book).outcome.path,
        # its own folder: issuing the decision removes the draft beside it (issue 15)
        "decision-draft": make_decision(CAMPAIGN, RESULTS, root / "draft", registry=book).outcome.path,
        "decision": make_decision(CAMPAIGN, RESULTS, out, registry=book, issue=True,
                                  date=dt.date(2024, 12, 25)).outcome.path,
        "certificate-unit": certificates[0],
        "certificate-person": certificates[9],
    }


def lines(report) -> list[str]:
    return [f.line() for f in report.findings]


def layout_of(path: Path):
    return locate(read_docx(path), load_profile())


# --- what we generate passes ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["report", "decision-draft", "decision", "certificate-unit", "certificate-person"])
def test_year_end_documents_pass(made, name):
    report = check_file(made[name])
    assert report.ok, lines(report)
    assert report.codes("warning") <= SEED_WARNINGS, lines(report)


def test_every_certificate_passes(made):
    folder = made["certificate-unit"].parent
    reports = check_files(sorted(folder.glob("*.docx")))
    assert len(reports) == 131
    assert all(r.ok and r.kind == "certificate" for r in reports), [ln for r in reports if not r.ok for ln in lines(r)]


def test_shipped_templates_are_recognised():
    kinds = {Path(r.path).stem: r.kind for r in check_files(sorted(api.default_templates_dir().glob("*.docx")))}
    assert kinds == {"bao-cao": "document", "giay-khen": "certificate", "phat-dong": "document",
                     "quyet-dinh": "document", **{k: "document" for k in (
                         "nghi-quyet", "quyet-dinh-ca-biet", "van-ban", "cong-dien", "giay-moi", "giay-gioi-thieu",
                         "bien-ban", "giay-nghi-phep", "ban-sao")}}


def test_decision_is_mapped(made):
    layout = layout_of(made["decision"])
    assert [f.text for f in layout.authority] == ["CỤC TRƯỞNG CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG"]
    basis = [f for f in layout.body if f.role == "legal_basis"]
    assert len(basis) == 5 and basis[-1].text.startswith("Theo đề nghị của")
    assert layout.action.text == "QUYẾT ĐỊNH:"
    assert [f.text[:7] for f in layout.body if f.role == "article"] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert layout.body[-1].text.endswith("./.")
    # the phụ lục is its own part, on its own section, not more signature or Nơi nhận lines
    (signer,) = layout.signers
    assert [a.text for a in signer.authority] == ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"]
    assert signer.name.text == "Đương Quốc Trịnh"
    assert [r.text for r in layout.recipients] == ["- Như Điều 3;", "- Lãnh đạo Cục;", "- Công đoàn Cục;", "- Lưu: VT, VP."]
    assert not layout.more_labels
    (annex,) = layout.annexes
    assert annex.heading.text == "Phụ lục"
    assert [f.text for f in annex.title] == ["DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC CÔNG NHẬN DANH HIỆU THI ĐUA NĂM 2024"]
    assert annex.note.text.startswith("(Kèm theo Quyết định số 01/QĐ-CTĐP ngày 25 tháng 12 năm 2024")
    assert annex.section == 1 and annex.before.section == 0
    assert {f.role for f in annex.cells} == {"table"} and len(annex.cells) > 9 * 4 + 122 * 6
    assert [f.text[:9] for f in annex.body] == ["Bằng chữ:"]


def test_decision_template_is_mapped():
    layout = layout_of(api.default_templates_dir() / "quyet-dinh.docx")
    assert [f.text for f in layout.authority] == ["{{ authority }}"]
    assert [f.role for f in layout.body] == ["legal_basis", "article"]
    assert layout.action.text == "QUYẾT ĐỊNH:"
    (annex,) = layout.annexes
    assert (annex.heading.text, [f.text for f in annex.title], annex.note.text) == (
        "{{ annex.heading }}", ["{{ annex.title }}"], "{{ annex.note }}")
    assert all(not f.para.text.startswith("{{ annex") for s in layout.signers for f in [*s.authority, s.name] if f)


def test_certificate_is_checked_for_paper_font_and_text_only(made):
    report = check_file(made["certificate-person"])
    assert report.kind == "certificate" and "CERT-001" in report.codes("info")
    assert report.codes() <= CERTIFICATE_CODES
    layout = layout_of(made["certificate-person"])
    assert layout.kind == "certificate" and not list(layout.elements())


def test_rule_table_says_what_applies_to_certificates():
    result = CliRunner().invoke(main, ["check", "--rules"])
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[2] for line in result.output.splitlines() if line[:1].isupper() and "-" in line[:9]}
    assert {code for code, scope in rows.items() if scope == "all"} == CERTIFICATE_CODES
    assert rows["SIG-001"] == rows["HDR-001"] == rows["PAGE-008"] == "doc"
    assert "certificates (giấy khen, bằng khen)" in result.output


# --- each new rule, broken alone ------------------------------------------------------------

def _bold(p, on=True):
    for r in p.runs:
        r.bold = on


def _article_all_bold(d):
    _bold(para_starting(d, "Điều 1."))


def _article_label_regular(d):
    para_starting(d, "Điều 2.").runs[0].bold = False


def _annex_table(d):
    return next(t for t in d.tables if t.rows[0].cells[1].text == "Họ và tên")


def _annex_cell_size(d):
    for r in _annex_table(d).rows[2].cells[1].paragraphs[0].runs:
        r.font.size = Pt(9)


def _no_restart(d):
    d.sections[1]._sectPr.find(qn("w:pgNumType")).attrib.pop(qn("w:start"))


def _one_section(d):
    """The phụ lục after a page break in the decision's own section: it cannot be numbered on its own."""
    for p in d.paragraphs:
        ppr = p._p.pPr
        if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
            ppr.remove(ppr.find(qn("w:sectPr")))
            p.add_run().add_break(docx.enum.text.WD_BREAK.PAGE)


# (case, rule code, element): each case breaks one thing of the issued decision.
DECISION_ERRORS = {
    "article-all-bold": ("FMT-002", "article", _article_all_bold),
    "article-label-regular": ("FMT-002", "article", _article_label_regular),
    "authority-regular": ("FMT-002", "authority", lambda d: _bold(para_starting(d, "CỤC TRƯỞNG CỤC"), False)),
    "authority-lower": ("FMT-004", "authority",
                        lambda d: set_text(para_starting(d, "CỤC TRƯỞNG CỤC"), "Cục trưởng Cục Công Thương địa phương")),
    "authority-12pt": ("FMT-001", "authority",
                       lambda d: [setattr(r.font, "size", Pt(12)) for r in para_starting(d, "CỤC TRƯỞNG CỤC").runs]),
    "action-regular": ("FMT-002", "action", lambda d: _bold(para_starting(d, "QUYẾT ĐỊNH:"), False)),
    "basis-upright": ("FMT-003", "legal_basis",
                      lambda d: [setattr(r, "italic", False) for r in para_starting(d, "Theo đề nghị").runs]),
    "annex-heading-13pt": ("FMT-001", "annex_heading",
                           lambda d: [setattr(r.font, "size", Pt(13)) for r in para_starting(d, "Phụ lục").runs]),
    "annex-title-lower": ("FMT-004", "annex_title",
                          lambda d: set_text(para_starting(d, "DANH SÁCH TẬP THỂ"), "Danh sách tập thể, cá nhân")),
    "annex-note-upright": ("FMT-003", "annex_note",
                           lambda d: [setattr(r, "italic", False) for r in para_starting(d, "(Kèm theo").runs]),
    "annex-cell-9pt": ("FMT-001", "table", _annex_cell_size),
    "annex-numbering-continues": ("PAGE-008", None, _no_restart),
    "annex-same-section": ("PAGE-008", None, _one_section),
    "annex-page-1-numbered": ("PAGE-003", None,
                              lambda d: setattr(d.sections[1], "different_first_page_header_footer", False)),
}


@pytest.mark.parametrize("case", list(DECISION_ERRORS))
def test_each_decision_rule_broken_is_an_error(made, tmp_path, case):
    code, element, change = DECISION_ERRORS[case]
    report = check_file(broken(made["decision"], tmp_path, change))
    errors = [f for f in report.findings if f.severity == "error"]
    assert {(f.code, f.element) for f in errors} == {(code, element)}, lines(report)


def test_whole_bold_article_says_which_part(made, tmp_path):
    report = check_file(broken(made["decision"], tmp_path, _article_all_bold))
    (f,) = [f for f in report.findings if f.code == "FMT-002"]
    assert "text after `Điều N.`" in f.message and (f.expected, f.found) == ("regular", "bold")
    assert f.snippet.startswith("Điều 1. Công nhận")
    (f,) = [f for f in check_file(broken(made["decision"], tmp_path, _article_label_regular)).findings
            if f.code == "FMT-002"]
    assert "label" in f.message and f.snippet.startswith("Điều 2.")


def test_a_bold_article_title_line_is_not_an_error(made, tmp_path):
    """`Điều 1. Phạm vi điều chỉnh`, bold, its text below: how laws and regulations write articles."""
    def titled(d):
        p = para_starting(d, "Điều 1.")
        set_text(p, "Điều 1. Công nhận danh hiệu thi đua")
        _bold(p)
    report = check_file(broken(made["decision"], tmp_path, titled))
    assert report.ok, lines(report)


def test_annex_table_with_signature_like_text_is_not_a_signature(made, tmp_path):
    """Cells that read like a signature or a Nơi nhận stay cells of the phụ lục's table."""
    def signature_like(d):
        row = _annex_table(d).rows[2].cells
        set_text(row[1].paragraphs[0], "Nơi nhận: Văn phòng Cục")
        set_text(row[4].paragraphs[0], "KT. GIÁM ĐỐC")
        set_text(row[5].paragraphs[0], "- Lưu: VT.")
    path = broken(made["decision"], tmp_path, signature_like)
    report = check_file(path)
    assert report.ok and not report.codes("warning"), lines(report)
    layout = layout_of(path)
    assert len(layout.signers) == 1 and not layout.more_labels and len(layout.recipients) == 4
    assert layout.annexes[0].cells[0].text == "STT"


def test_cancu_punctuation_is_a_warning(made, tmp_path):
    def full_stop(d):
        p = para_starting(d, "Căn cứ Luật Thi đua")
        set_text(p, p.text.replace("2022;", "2022."))
    report = check_file(broken(made["decision"], tmp_path, full_stop))
    assert report.ok and report.codes("warning") == {"BODY-006"}, lines(report)
    (f,) = [f for f in report.findings if f.code == "BODY-006"]
    assert (f.expected, f.found) == ("`;`", "`.`") and f.snippet.startswith("Căn cứ Luật Thi đua")


def test_report_table_cells_are_checked(made, tmp_path):
    def small(d):
        table = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
        for r in table.rows[1].cells[1].paragraphs[0].runs:
            r.font.size = Pt(10)
    report = check_file(broken(made["report"], tmp_path, small))
    assert {(f.code, f.element) for f in report.findings if f.severity == "error"} == {("FMT-001", "table")}, lines(report)


CERTIFICATE_ERRORS = {
    "PAGE-001": lambda d: [setattr(d.sections[0], "orientation", WD_ORIENT.PORTRAIT),
                           setattr(d.sections[0], "page_width", Mm(210)), setattr(d.sections[0], "page_height", Mm(297))],
    "FONT-001": lambda d: setattr(para_starting(d, "GIẤY KHEN").runs[0].font, "name", "Arial"),
    "TXT-001": lambda d: set_text(para_starting(d, "Đã có thành tích"), unicodedata.normalize("NFD", para_starting(d, "Đã có thành tích").text)),
}


@pytest.mark.parametrize("code", sorted(CERTIFICATE_ERRORS))
def test_each_certificate_rule_broken_is_an_error(made, tmp_path, code):
    report = check_file(broken(made["certificate-person"], tmp_path, CERTIFICATE_ERRORS[code]))
    assert report.kind == "certificate" and report.codes("error") == {code}, lines(report)


def test_certificate_decoration_is_not_judged(made, tmp_path):
    """Sizes, weights, margins (and no Số, Nơi nhận): a certificate's design, not Decree 30's business."""
    def decorate(d):
        for r in para_starting(d, "GIẤY KHEN").runs:
            r.font.size = Pt(48)
        _bold(para_starting(d, "Đã có thành tích"))
        d.sections[0].left_margin = Mm(10)
    report = check_file(broken(made["certificate-person"], tmp_path, decorate))
    assert report.ok and report.kind == "certificate", lines(report)


def test_a_decision_about_a_giay_khen_is_still_a_decision(made, tmp_path):
    """A portrait document with a `GIẤY KHEN` line and a Nơi nhận is administrative, checked in full."""
    def mention(d):
        set_text(para_starting(d, "Về việc công nhận"), "GIẤY KHEN")
    report = check_file(broken(made["decision"], tmp_path, mention))
    assert report.kind == "document" and "SIG-001" not in report.codes()


def test_a_portrait_certificate_typed_by_hand(tmp_path):
    """Recognised by its title (no Nơi nhận), then held to A4 landscape."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    for text, size in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13), ("GIẤY KHEN", 36), ("Bà Nguyễn Thị An", 24),
                       ("Đã có thành tích xuất sắc năm 2024.", 16)):
        d.add_paragraph().add_run(text).font.size = Pt(size)
    d.save(str(tmp_path / "gk.docx"))
    report = check_file(tmp_path / "gk.docx")
    assert report.kind == "certificate" and report.codes("error") == {"PAGE-001"}, lines(report)
    (f,) = [f for f in report.findings if f.code == "PAGE-001"]
    assert "landscape" in f.message and "portrait" in f.found


# --- a decision typed by hand: tabs for the header and the signature, no section break ---------

def _typed_decision(path: Path) -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.paragraph_format.space_after = Pt(6)
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin = s.bottom_margin = Mm(20)
    s.left_margin, s.right_margin = Mm(30), Mm(15)
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY

    def line(text, size=None, bold=None, italic=None, align=center, indent=None):
        p = d.add_paragraph()
        for k, part in enumerate(text.split("\t")):
            if k:
                p.add_run().add_tab()
            for j, chunk in enumerate(part.split("\n")):
                if j:
                    p.add_run().add_break()
                r = p.add_run(chunk)
                r.bold, r.italic = bold, italic
                if size:
                    r.font.size = Pt(size)
        p.alignment = align
        if indent is not None:
            p.paragraph_format.first_line_indent = indent
        return p

    line("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=None)
    line("Số: 07/QĐ-UBND\tĐộc lập - Tự do - Hạnh phúc", size=13, align=None)
    line("Yên Lạc, ngày 05 tháng 3 năm 2025", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    line("QUYẾT ĐỊNH", bold=True)
    line("Về việc tặng Giấy khen", bold=True)
    line("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN YÊN LẠC", bold=True)
    line("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True, align=justify, indent=Mm(12.7))
    line("Xét đề nghị của Trưởng phòng Nội vụ.", italic=True, align=justify, indent=Mm(12.7))
    line("QUYẾT ĐỊNH:", bold=True)
    for n, text in enumerate(("Tặng Giấy khen cho 02 cá nhân (có danh sách kèm theo).",
                              "Chánh Văn phòng và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành./."), 1):
        p = line("", align=justify, indent=Mm(12.7))
        p.add_run(f"Điều {n}. ").bold = True
        p.add_run(text)
    line("Nơi nhận:\tCHỦ TỊCH", size=12, align=None)
    line("- Như Điều 2;", size=11, align=None)
    line("- Lưu: VT.\tNguyễn Văn A", size=11, align=None)
    d.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    line("Phụ lục I\nDANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", bold=True)
    line("(Kèm theo Quyết định số 07/QĐ-UBND ngày 05 tháng 3 năm 2025 của Chủ tịch UBND huyện)", italic=True)
    table = d.add_table(rows=3, cols=2)
    for row, (a, b) in zip(table.rows, (("STT", "Họ và tên"), ("1", "Trần Thị B"), ("2", "Lê Văn C"))):
        row.cells[0].text, row.cells[1].text = a, b
    d.save(str(path))
    return path


def test_typed_decision_is_mapped(tmp_path):
    layout = layout_of(_typed_decision(tmp_path / "qd.docx"))
    assert [f.text for f in layout.summary] == ["Về việc tặng Giấy khen"]
    assert [f.text for f in layout.authority] == ["CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN YÊN LẠC"]
    assert [f.role for f in layout.body] == ["legal_basis", "legal_basis", "article", "article"]
    assert layout.action.text == "QUYẾT ĐỊNH:"
    (signer,) = layout.signers
    assert signer.name.text == "Nguyễn Văn A" and [r.text for r in layout.recipients] == ["- Như Điều 2;", "- Lưu: VT."]
    (annex,) = layout.annexes
    assert annex.heading.text == "Phụ lục I" and [f.text for f in annex.title] == ["DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN"]
    assert annex.note.text.startswith("(Kèm theo") and [f.text for f in annex.cells] == [
        "STT", "Họ và tên", "1", "Trần Thị B", "2", "Lê Văn C"]


def test_typed_decision_annex_without_its_own_numbering(tmp_path):
    report = check_file(_typed_decision(tmp_path / "qd.docx"))
    (f,) = [f for f in report.findings if f.code == "PAGE-008"]
    assert f.severity == "error" and "section of its own" in f.message and f.snippet == "Phụ lục I"
    # what this sketch types loosely (no rules, plain header and signature) is reported; the decision's
    # own parts and its phụ lục are typed right and raise nothing
    new = {"authority", "action", "legal_basis", "article", "annex_heading", "annex_title", "annex_note", "table"}
    assert not [f for f in report.findings if f.element in new], lines(report)
