"""Layouts of the year-end templates: báo cáo tổng kết, quyết định công nhận, giấy khen.

They reuse the dispatch's header, title and signature blocks (same Decree 30 header, Số, date,
signers and Nơi nhận) and add what each kind needs: the report's target table and chart, the
decision's căn cứ, articles and phụ lục table on its own section, the certificate's landscape
frame. Like the dispatch template, they only place values: every text is formatted beforehand
(`dispatch_gen.campaign`), so a clerk may restyle them in Word without touching any logic.
"""
from __future__ import annotations

from ..profile import Profile
from . import ooxml as ox
from .ooxml import ParaFormat, RunFormat, control, line, loop, para_format, paragraph, run_format, tag_run

# template_builder registers these layouts in its BUILDERS, so it imports this module; the blocks
# taken from it are therefore imported inside the builders (at call time), never at import time.

HEADER_IDS = ("rIdHeader1", "rIdHeader2")

# The certificate is not a Decree 30 document: these sizes are its own design (a giấy khen is
# read from a wall or a frame), kept here beside the layout they shape.
CERTIFICATE_PT = {"authority": 16, "award": 16, "headline": 40, "recipient": 26, "detail": 16, "citation": 16,
                  "reference": 13}
CERTIFICATE_FRAME_MM = 172
CERTIFICATE_BORDER = 'w:val="thinThickSmallGap" w:sz="24" w:space="0" w:color="000000"'


def _sized(profile: Profile, text: str, size: float, bold: bool = False, italic: bool = False, **pfmt) -> str:
    rf = RunFormat(profile.font, size, bold, italic)
    return paragraph(tag_run(text, rf), ParaFormat(**{"align": "center", **pfmt}), rf)


# --- tables -----------------------------------------------------------------------------------

def _cell_text(profile: Profile, text: str, align: str = "left", bold: bool = False) -> str:
    rf = run_format(profile, "table", bold=bold)
    return paragraph(tag_run(text, rf), ParaFormat(align=align, before_pt=2, after_pt=2), rf)


def _header_row(profile: Profile, headers: list[str], widths: list[int]) -> str:
    """A bold, centred heading row, repeated at the top of every page the table runs over."""
    cells = "".join(ox.cell(_cell_text(profile, h, "center", bold=True), w, v_align="center")
                    for h, w in zip(headers, widths))
    return f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>"


def _tag_row(tag: str, widths: list[int]) -> str:
    """A row holding only a docxtpl `{%tr … %}` tag: the row disappears from the output."""
    return ox.row(ox.cell(control(tag), sum(widths), grid_span=len(widths)))


def _data_row(profile: Profile, fields: list[tuple[str, str]], widths: list[int], bold: bool = False) -> str:
    return ox.row("".join(ox.cell(_cell_text(profile, text, align, bold), w, v_align="center")
                          for (text, align), w in zip(fields, widths)))


def _widths_cm(profile: Profile, cm: list[float], landscape: bool = False) -> list[int]:
    """Column widths in twips, the last one taking what the text width leaves."""
    total = ox.text_width_twips(profile, landscape)
    widths = [ox.twips_cm(c) for c in cm[:-1]]
    return widths + [total - sum(widths)]


def targets_table(profile: Profile) -> str:
    """Report, section I: one row per measurable target of the launch."""
    widths = _widths_cm(profile, [1.3, 6.2, 2.0, 2.4, 2.0, 2.6])
    headers = ["STT", "Chỉ tiêu", "Chỉ tiêu đề ra", "Kết quả (đạt/tổng số)", "Tỷ lệ đạt", "Đánh giá"]
    row = [("{{ row.number }}", "center"), ("{{ row.label }}", "left"), ("{{ row.share }}", "center"),
           ("{{ row.count }}", "center"), ("{{ row.ratio }}", "center"), ("{{ row.verdict }}", "center")]
    rows = (_header_row(profile, headers, widths) + _tag_row("{%tr for row in targets %}", widths)
            + _data_row(profile, row, widths) + _tag_row("{%tr endfor %}", widths))
    return ox.table(rows, widths, borders=True, cell_margin_twips=80)


def annex_table(profile: Profile) -> str:
    """Decision, phụ lục: awardees grouped by title, their award, and the total row."""
    widths = _widths_cm(profile, [1.3, 3.6, 2.5, 3.3, 3.1, 2.7])
    headers = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu", "Tiền thưởng (đồng)"]
    row = [("{{ row.number }}", "center"), ("{{ row.name }}", "left"), ("{{ row.position }}", "left"),
           ("{{ row.unit }}", "left"), ("{{ row.titles }}", "left"), ("{{ row.amount }}", "right")]
    group = ox.row(ox.cell(_cell_text(profile, "{{ group.heading }}", bold=True), sum(widths), grid_span=len(widths)))
    total = ox.row(ox.cell(_cell_text(profile, "Tổng cộng", "center", bold=True), sum(widths[:-1]), grid_span=len(widths) - 1)
                   + ox.cell(_cell_text(profile, "{{ annex.total }}", "right", bold=True), widths[-1], v_align="center"))
    rows = (_header_row(profile, headers, widths)
            + _tag_row("{%tr for group in annex.groups %}", widths) + group
            + _tag_row("{%tr for row in group.rows %}", widths) + _data_row(profile, row, widths)
            + _tag_row("{%tr endfor %}", widths) + _tag_row("{%tr endfor %}", widths) + total)
    return ox.table(rows, widths, borders=True, cell_margin_twips=80)


# --- báo cáo tổng kết ---------------------------------------------------------------------------

def _paragraphs(profile: Profile, items: str) -> str:
    return loop(f"for text in {items}", line(profile, "body", "{{r text }}"))


def report_document(profile: Profile) -> str:
    """Header, BÁO CÁO + trích yếu, opening, Mục I–V (table and chart in I), closing, signers."""
    from .template_builder import header_block, signature_block, title_block

    after = profile.element("body").space_after_pt.value
    clause = (
        line(profile, "body", "{{r item.text }}", keep_next=True)
        + _paragraphs(profile, "item.lines")
        + control("{%p if item.table %}") + targets_table(profile)
        + paragraph("", ParaFormat(after_pt=after), run_format(profile, "body")) + control("{%p endif %}")
        + control("{%p if item.chart %}") + control("{{p chart }}") + control("{%p endif %}")
        + _paragraphs(profile, "item.after")
    )
    body = (
        _paragraphs(profile, "opening")
        + loop("for section in sections",
                line(profile, "heading", "{{r section.heading }}", after_pt=after, keep_next=True)
                + _paragraphs(profile, "section.paragraphs")
                + loop("for item in section.clauses", clause))
        + _paragraphs(profile, "closing")
    )
    return header_block(profile) + title_block(profile) + body + signature_block(profile)


# --- quyết định công nhận ---------------------------------------------------------------------

def _article(profile: Profile) -> str:
    """`Điều 1.` in bold, then the article's text in the body's regular weight, in one paragraph."""
    label = run_format(profile, "article")
    text = run_format(profile, "body")
    pf = para_format(profile, "article", after_pt=profile.element("body").space_after_pt.value,
                     line=profile.element("body").line_spacing.value)
    return paragraph(tag_run("{{ article.label }} ", label) + tag_run("{{r article.text }}", text), pf, label)


def section_break(profile: Profile, landscape: bool = False) -> str:
    """End the current section (its own page setup and page-number headers); the next starts on a new page."""
    return f"<w:p><w:pPr>{ox.section_properties(profile, landscape, HEADER_IDS)}</w:pPr></w:p>"


def decision_document(profile: Profile) -> str:
    """Header, QUYẾT ĐỊNH + trích yếu, authority, căn cứ, Điều 1–n, signers; then the phụ lục."""
    from .template_builder import header_block, signature_block, title_block

    after = profile.element("body").space_after_pt.value
    decision = (
        header_block(profile) + title_block(profile)
        + line(profile, "authority", "{{ authority }}", after_pt=after, keep_next=True)
        + loop("for text in legal_basis", line(profile, "legal_basis", "{{r text }}"))
        + line(profile, "action", "QUYẾT ĐỊNH:", before_pt=6, after_pt=after, keep_next=True)
        + loop("for article in articles", _article(profile))
        + signature_block(profile)
        + section_break(profile)
    )
    tight = dict(after_pt=0, first_line_twips=0, line=1.0, keep_next=True)
    annex = (
        line(profile, "annex_heading", "{{ annex.heading }}", **tight)
        + line(profile, "annex_title", "{{ annex.title }}", **tight)
        + line(profile, "annex_note", "{{ annex.note }}", after_pt=12, first_line_twips=0, line=1.0)
        + annex_table(profile)
        + line(profile, "body", "Bằng chữ: {{ annex.total_words }}", run={"italic": True}, before_pt=6)
    )
    return decision + annex


# --- giấy khen ----------------------------------------------------------------------------------

def _frame(content: str, width: int, height_mm: float) -> str:
    """A one-cell table with a thick-thin border: the certificate's frame, one page high."""
    height = ox.twips_mm(height_mm)
    row = (f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>'
           f'{ox.cell(content, width, v_align="center")}</w:tr>')
    frame = ox.table(row, [width], borders=True, cell_margin_twips=400)
    return frame.replace('w:val="single" w:sz="4" w:space="0" w:color="000000"', CERTIFICATE_BORDER)


def certificate_document(profile: Profile) -> str:
    """A4 landscape: Quốc hiệu, authority, TẶNG / GIẤY KHEN, the awardee, citation, reference and signer."""
    from .template_builder import _signer, national_block

    width = ox.text_width_twips(profile, landscape=True)
    inner = width - 2 * 400
    tight = dict(first_line_twips=0, after_pt=0, line=1.0)
    pt = CERTIFICATE_PT
    left_w = inner * 2 // 5
    reference = (_sized(profile, "{{ decision_line }}", pt["reference"], before_pt=0)
                 + _sized(profile, "{{ decision_date }}", pt["reference"]))
    signer = line(profile, "date_line", "{{ date_line }}", **tight) + _signer(profile, "right")
    bottom = ox.table(ox.row(ox.cell(reference, left_w, v_align="bottom") + ox.cell(signer, inner - left_w)),
                      [left_w, inner - left_w])
    content = (
        national_block(profile, inner)
        + _sized(profile, "{{ authority }}", pt["authority"], bold=True, before_pt=18)
        + _sized(profile, "TẶNG", pt["award"], bold=True, before_pt=6)
        + _sized(profile, "GIẤY KHEN", pt["headline"], bold=True, before_pt=6, after_pt=6)
        + _sized(profile, "{{ recipient }}", pt["recipient"], bold=True, before_pt=12)
        + control("{%p if detail %}") + _sized(profile, "{{ detail }}", pt["detail"], italic=True, before_pt=4)
        + control("{%p endif %}")
        + _sized(profile, "{{ citation }}", pt["citation"], before_pt=12, after_pt=18)
        + bottom
        + paragraph("", ParaFormat(), RunFormat(profile.font, 1))  # a cell must end with a paragraph
    )
    # A table cannot end the body: a 1-pt paragraph closes it without adding a page.
    closing = paragraph("", ParaFormat(), RunFormat(profile.font, 1))
    return _frame(content, width, CERTIFICATE_FRAME_MM) + closing
