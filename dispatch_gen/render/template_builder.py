"""Build the default Word templates from a format profile, reproducibly.

The templates in `templates/` are real docxtpl templates (Jinja tags in Word runs) that a clerk
may open and edit in Word. They are not edited by hand in the repository: `dispatch-gen
templates build` regenerates them from the profile, and a test checks that the committed files
are what the builder makes, so format facts live only in the profile.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from ..profile import Profile, load_profile, text_width_pt
from ..writers.atomic import write_bytes_atomic
from ..writers.docx_zip import Member, write_zip
from . import ooxml as ox
from .ooxml import ParaFormat, control, line, loop, para_format, paragraph, run_format, tag_run

CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"


# --- shared blocks ----------------------------------------------------------------------------

def issuer_mark(profile: Profile) -> str:
    """What closes the issuing body's block: the drawn rule (sized at render time) or a text mark."""
    if profile.issuer_mark == "rule":
        return control("{{p issuer_rule }}")
    return line(profile, "issuing_body", profile.issuer_mark, first_line_twips=0, after_pt=0, line=1.0)


def national_block(profile: Profile, column_twips: int) -> str:
    """Ô 1: the national title with the Tiêu ngữ and its rule, or (no Tiêu ngữ) a rule under the title."""
    tight = dict(first_line_twips=0, after_pt=0, line=1.0)
    title = profile.header("national_title")
    out = line(profile, "national_title", title, **tight)
    eighths = profile.header("rule_weight_eighths")
    motto = profile.motto
    if motto:
        motto_el = profile.element("motto")
        width = text_width_pt(motto, motto_el.size.value, bold=True) * profile.header_spec("motto_rule_share").value
        out += line(profile, "motto", motto, **tight) + ox.rule_paragraph(round(width * 20), column_twips, eighths, profile.font)
    elif profile.national_rule is not None:
        el = profile.element("national_title")
        width = text_width_pt(title, el.size.value, bold=bool(el.bold)) * profile.national_rule.value
        out += ox.rule_paragraph(round(width * 20), column_twips, eighths, profile.font)
    return out


def _header_columns(profile: Profile) -> tuple[int, int]:
    """The header table's left and right column widths (twips), from the profile."""
    total = ox.twips_mm(profile.header("table_width_mm"))
    left = round(total * profile.header_spec("left_width_pct").value / 100)
    return left, total - left


def _issuers_column(profile: Profile) -> str:
    """Ô 1: each issuing body under its parent, then the issuer mark."""
    tight = dict(first_line_twips=0, after_pt=0, line=1.0)
    return (
        control("{%p for body in issuers %}")
        + control("{%p if body.parent %}")
        + line(profile, "parent_body", "{{ body.parent|upper }}", **tight)
        + control("{%p endif %}")
        + line(profile, "issuing_body", "{{ body.name|upper }}", **tight)
        + control("{%p endfor %}")
        + issuer_mark(profile)
    )


def header_block(profile: Profile) -> str:
    """Ô 1–4: issuing bodies and Số on the left; Quốc hiệu, Tiêu ngữ and date on the right."""
    left, right = _header_columns(profile)
    tight = dict(first_line_twips=0, after_pt=0, line=1.0)
    issuers = _issuers_column(profile)
    national = national_block(profile, right)
    number = (line(profile, "number", "{{ number_line }}", before_pt=6, **tight)
              + control("{%p if subject %}")
              + line(profile, "subject_line", "{{ subject }}", before_pt=6, **tight)
              + control("{%p endif %}")
              + control("{%p if urgency_mark %}") + control("{{p urgency_mark }}") + control("{%p endif %}"))
    date = (control("{%p if date_line %}") + line(profile, "date_line", "{{ date_line }}", before_pt=6, **tight)
            + control("{%p else %}") + paragraph("", ParaFormat(), run_format(profile, "date_line"))
            + control("{%p endif %}"))
    rows = (ox.row(ox.cell(issuers, left) + ox.cell(national, right))
            + ox.row(ox.cell(number, left) + ox.cell(date, right)))
    return ox.table(rows, [left, right], indent_twips=ox.twips_mm(profile.header("table_indent_mm")))


def title_block(profile: Profile) -> str:
    """Ô 5a: tên loại, trích yếu and the rule under them."""
    return (
        control("{%p if title %}")
        + line(profile, "doc_type", "{{ title|upper }}", before_pt=18, after_pt=0, first_line_twips=0, line=1.0, keep_next=True)
        + control("{%p if subtitle %}")
        + line(profile, "summary", "{{r subtitle }}", after_pt=0, first_line_twips=0, line=1.0, keep_next=True)
        + control("{%p endif %}")
        + control("{{p title_rule }}")
        + control("{%p endif %}")
        + paragraph("", ParaFormat(after_pt=6), run_format(profile, "body"))
    )


def addressee_block(profile: Profile) -> str:
    """Ô 9a: `Kính gửi: X.` on one line, or `Kính gửi:` with one `- X;` line per addressee."""
    width = ox.text_width_twips(profile)
    tight = dict(first_line_twips=0, after_pt=0, line=1.0, keep_next=True)
    return (
        control("{%p if addressees %}")
        + control("{%p if addressees.single %}")
        + line(profile, "addressee", "{{ addressees.single }}", align="center", after_pt=6, first_line_twips=0)
        + control("{%p else %}")
        + line(profile, "addressee", "Kính gửi:", left_twips=width // 5, **tight)
        + control("{%p for line in addressees.lines %}")
        + line(profile, "addressee", "{{ line }}", left_twips=width // 3, **tight)
        + control("{%p endfor %}")
        + paragraph("", ParaFormat(after_pt=6), run_format(profile, "body"))
        + control("{%p endif %}")
        + control("{%p endif %}")
    )


def body_entries(profile: Profile, items: str = "body") -> str:
    """The body entries of `render.body`, in order: each kind of entry has its paragraph here."""
    after = profile.element("body").space_after_pt.value
    label = run_format(profile, "article")
    article = paragraph(tag_run("{{ b.label }} ", label) + tag_run("{{r b.text }}", run_format(profile, "body")),
                        para_format(profile, "article", after_pt=after, line=profile.element("body").line_spacing.value),
                        label)
    center = dict(align="center", first_line_twips=0, after_pt=0, line=1.0, keep_next=True)
    branches = (
        control('{%p if b.kind == "heading" %}')
        + line(profile, "heading", "{{r b.text }}", after_pt=after, keep_next=True)
        + control('{%p elif b.kind == "body" and loop.last and not closing %}')
        + last_line(profile, "b.text")
        + control('{%p elif b.kind == "body" %}')
        + line(profile, "body", "{{r b.text }}")
        + control('{%p elif b.kind == "center" %}')
        + line(profile, "division", "{{r b.center }}", before_pt=6, **center)
        + control('{%p elif b.kind == "article" %}')
        + article
        + control('{%p elif b.kind == "caption" %}')
        + line(profile, "caption", "{{r b.caption }}", first_line_twips=0, after_pt=after, line=1.0)
        + control('{%p elif b.kind == "xml" %}')
        + control("{{p b.xml }}")
        + control("{%p endif %}")
    )
    return loop(f"for b in {items}", branches)


def body_block(profile: Profile) -> str:
    """Ô 6: căn cứ, the action line (`QUYẾT ĐỊNH:`), opening paragraphs, the body entries (Mục,
    khoản, Điều, tables …), closing paragraphs."""
    body = lambda expr: line(profile, "body", f"{{{{r {expr} }}}}")  # noqa: E731
    after = profile.element("body").space_after_pt.value
    return (loop("for text in legal_basis", line(profile, "legal_basis", "{{r text }}"))
            + control("{%p if action %}")
            + line(profile, "action", "{{ action }}", before_pt=6, after_pt=after, keep_next=True)
            + control("{%p endif %}")
            + control("{%p if opening_centred %}")
            + line(profile, "body", "{{ opening_centred }}", align="center", first_line_twips=0)
            + control("{%p endif %}")
            + loop("for text in opening", body("text"))
            + body_entries(profile)
            + loop("for text in closing", control("{%p if loop.last %}") + last_line(profile, "text")
                   + control("{%p else %}") + body("text") + control("{%p endif %}")))


def last_line(profile: Profile, expr: str) -> str:
    """The text's last line, kept on the page of the signature: a signature never stands on a page
    without text above it (a page of signature alone could be put to another text)."""
    return line(profile, "body", f"{{{{r {expr} }}}}", keep_next=True)


def authority_block(profile: Profile) -> str:
    """Ô 5 of a decision or resolution: the thẩm quyền ban hành, centred under the title."""
    after = profile.element("body").space_after_pt.value
    return (control("{%p if authority %}")
            + line(profile, "authority", "{{ authority }}", after_pt=after, keep_next=True)
            + control("{%p endif %}"))


def telegram_block(profile: Profile) -> str:
    """Công điện (mẫu 1.6): `<sender> điện:` centred, then its receivers as `- X;` lines in the
    right-hand column of a borderless table, as the model lays them out."""
    width = ox.text_width_twips(profile)
    left = width // 3
    after = profile.element("body").space_after_pt.value
    receivers = loop("for telegram_line in telegram.lines",
                     line(profile, "body", "{{ telegram_line }}", first_line_twips=0, after_pt=0, before_pt=6,
                          keep_next=True))
    table = ox.table(ox.row(ox.cell(paragraph("", ParaFormat(), run_format(profile, "body")), left)
                            + ox.cell(receivers, width - left)), [left, width - left])
    return (control("{%p if telegram %}")
            + line(profile, "body", "{{ telegram.sender }}", align="center", first_line_twips=0, before_pt=6,
                   after_pt=0, keep_next=True)
            + table
            + paragraph("", ParaFormat(after_pt=after), run_format(profile, "body"))
            + control("{%p endif %}"))


def _signer(profile: Profile, side: str) -> str:
    tight = dict(first_line_twips=0, after_pt=0, line=1.0, keep_next=True)
    return (
        control(f"{{%p for line in signers.{side}.authority_lines %}}")
        + line(profile, "signer_authority", "{{ line|upper }}", **tight)
        + control("{%p endfor %}")
        + line(profile, "signer_authority", f"{{{{ signers.{side}.position|upper }}}}", **tight)
        + control(f"{{%p for _ in signers.{side}.pad %}}")
        + paragraph("", para_format(profile, "signer_authority", **tight), run_format(profile, "signer_authority"))
        + control("{%p endfor %}")
        + control(f"{{%p if signers.{side}.note %}}")
        + line(profile, "signer_note", f"({{{{ signers.{side}.note }}}})", before_pt=12, **tight)
        + line(profile, "signer_name", f"{{{{ signers.{side}.name }}}}",
               first_line_twips=0, after_pt=0, line=1.0, before_pt=12)
        + control("{%p else %}")
        + line(profile, "signer_name", f"{{{{ signers.{side}.name }}}}",
               first_line_twips=0, after_pt=0, line=1.0, before_pt=profile.signature_space_pt)
        + control("{%p endif %}")
    )


def _recipients(profile: Profile, before_pt: float) -> str:
    tight = dict(first_line_twips=0, after_pt=0, line=1.0)
    return (
        control("{%p if recipients %}")
        + line(profile, "recipients_label", "Nơi nhận:", before_pt=before_pt, keep_next=True, **tight)
        + control("{%p for line in recipients %}")
        + line(profile, "recipient", "{{ line }}", **tight)
        + control("{%p endfor %}")
        + control("{%p if drafter_mark %}")
        + line(profile, "recipient", "{{ drafter_mark }}", **tight)
        + control("{%p endif %}")
        + control("{%p else %}")
        + paragraph("", ParaFormat(), run_format(profile, "recipient"))
        + control("{%p endif %}")
    )


def signature_block(profile: Profile) -> str:
    """Ô 7 and 9b: one or two signature blocks on one row; Nơi nhận beside or under them."""
    width = ox.text_width_twips(profile)
    left = width // 2
    right = width - left
    left_cell = (control("{%p if signers.left %}") + _signer(profile, "left")
                 + control("{%p else %}") + _recipients(profile, 0) + control("{%p endif %}"))
    right_cell = (control("{%p if signers.right %}") + _signer(profile, "right")
                  + control("{%p else %}") + paragraph("", ParaFormat(), run_format(profile, "body"))
                  + control("{%p endif %}"))
    table = ox.table(ox.row(ox.cell(left_cell, left) + ox.cell(right_cell, right)), [left, right])
    after = control("{%p if signers.left %}") + _recipients(profile, 12) + control("{%p endif %}")
    return (control("{%p if signers.right or recipients %}")
            + paragraph("", ParaFormat(after_pt=0, keep_next=True), run_format(profile, "body")) + table + after
            + control("{%p endif %}"))


def confirmation_block(profile: Profile) -> str:
    """The Xác nhận block of a giấy nghỉ phép (mẫu 1.10): under the signature, in a table of its own
    whose left column lies under the Nơi nhận, centred there as the model sets it — who confirms and
    `(Chữ ký, dấu)` in small italics, then room for the signature and seal, then the name."""
    width = ox.text_width_twips(profile)
    left = width // 2
    tight = dict(first_line_twips=0, after_pt=0, line=1.0, keep_next=True)
    block = (line(profile, "confirmation", "{{ confirmation.title }}", **tight)
             + line(profile, "confirmation", "{{ confirmation.note }}", **tight)
             + line(profile, "signer_name", "{{ confirmation.name }}", first_line_twips=0, after_pt=0, line=1.0,
                    before_pt=profile.signature_space_pt))
    empty = paragraph("", ParaFormat(), run_format(profile, "body"))
    table = ox.table(ox.row(ox.cell(block, left) + ox.cell(empty, width - left)), [left, width - left])
    return (control("{%p if confirmation %}") + paragraph("", ParaFormat(after_pt=0), run_format(profile, "body"))
            + table + control("{%p endif %}"))


def contact_block(profile: Profile) -> str:
    """Ô 13: the issuing body's address, e-mail, website, telephone, under a solid rule as wide as
    the text, where Mẫu 1.5 puts it (after the signature and Nơi nhận); only when the data has it."""
    rule = paragraph("", ParaFormat(before_pt=12, after_pt=3, bottom_rule_eighths=profile.header("rule_weight_eighths")),
                     ox.RunFormat(profile.font, 1))
    return (control("{%p if contact %}") + rule
            + loop("for contact_line in contact",
                   line(profile, "contact", "{{ contact_line }}", first_line_twips=0, after_pt=0, line=1.0))
            + control("{%p endif %}"))


def annex_header(profile: Profile) -> str:
    """The header of a văn bản kèm theo (mẫu 1.3): issuing body and Quốc hiệu, no Số and no date."""
    left, right = _header_columns(profile)
    issuers = _issuers_column(profile)
    return ox.table(ox.row(ox.cell(issuers, left) + ox.cell(national_block(profile, right), right)), [left, right],
                    indent_twips=ox.twips_mm(profile.header("table_indent_mm")))


def annexes_block(profile: Profile) -> str:
    """Phụ lục (mẫu 2.1) and văn bản kèm theo (mẫu 1.3), each from a new page, numbered on their own."""
    from .templates_campaign import section_break

    tight = dict(after_pt=0, first_line_twips=0, line=1.0, keep_next=True)
    annex = (
        control("{%p if not loop.first %}")
        + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        + control("{%p endif %}")
        + control("{%p if annex.with_header %}") + annex_header(profile)
        + paragraph("", ParaFormat(after_pt=6), run_format(profile, "body")) + control("{%p endif %}")
        + control("{%p if annex.heading %}")
        + line(profile, "annex_heading", "{{ annex.heading }}", **tight)
        + line(profile, "annex_title", "{{ annex.title|upper }}", **tight)
        + control("{%p else %}")
        + line(profile, "annex_title", "{{ annex.doc_type|upper }}", **tight)
        + line(profile, "summary", "{{r annex.title }}", **tight)
        + control("{%p endif %}")
        + line(profile, "annex_note", "{{ annex.note }}", **tight)
        + control("{{p annex.rule }}")
        + paragraph("", ParaFormat(after_pt=6), run_format(profile, "body"))
        + body_entries(profile, "annex.body")
    )
    return (control("{%p if annexes %}") + section_break(profile)
            + loop("for annex in annexes", annex) + control("{%p endif %}"))


# --- layouts: one short list of blocks per shape of document (kinds name theirs in `kinds`) -----

def dispatch_document(profile: Profile) -> str:
    """The launch dispatch and every document of the same shape (kế hoạch, thông báo, công văn …);
    a thẩm quyền line under the title when the data has one (an imported quyết định)."""
    return _dispatch_blocks(profile) + contact_block(profile)


def _dispatch_blocks(profile: Profile) -> str:
    return (header_block(profile) + title_block(profile) + authority_block(profile) + addressee_block(profile)
            + body_block(profile) + signature_block(profile))


def text_document(profile: Profile) -> str:
    """A văn bản có tên loại or công văn (mẫu 1.4, 1.5), giấy mời, giấy giới thiệu, biên bản, giấy
    nghỉ phép: the dispatch's blocks, then its phụ lục, each numbered from page 1."""
    return dispatch_document(profile) + annexes_block(profile)


def leave_layout(profile: Profile) -> str:
    """Giấy nghỉ phép (mẫu 1.10): a text document with the optional Xác nhận block under its signature."""
    return (_dispatch_blocks(profile) + confirmation_block(profile) + contact_block(profile)
            + annexes_block(profile))


def decision_layout(profile: Profile) -> str:
    """Nghị quyết and quyết định (cá biệt): the thẩm quyền ban hành under the title, căn cứ, the
    action line, Điều; then the phụ lục or văn bản kèm theo."""
    return (header_block(profile) + title_block(profile) + authority_block(profile)
            + body_block(profile) + signature_block(profile) + contact_block(profile) + annexes_block(profile))


def telegram_layout(profile: Profile) -> str:
    """Công điện: title, `<sender> điện:` and its receivers, the message, the signer."""
    return (header_block(profile) + title_block(profile) + telegram_block(profile)
            + body_block(profile) + signature_block(profile) + contact_block(profile))


def __getattr__(name: str):
    """`BUILDERS`, `LANDSCAPE`, `OWN_NUMBERING`: views of the registry of kinds (`render.kinds`)."""
    from .kinds import kinds

    if name == "BUILDERS":
        return {k.name: k.layout for k in kinds().values()}
    if name == "LANDSCAPE":
        return {k.name for k in kinds().values() if k.landscape}
    if name == "OWN_NUMBERING":
        return {k.name for k in kinds().values() if k.own_numbering}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- package parts ----------------------------------------------------------------------------

def _content_types() -> str:
    overrides = {
        "/word/document.xml": f"{CT_MAIN}.document.main+xml",
        "/word/styles.xml": f"{CT_MAIN}.styles+xml",
        "/word/settings.xml": f"{CT_MAIN}.settings+xml",
        "/word/fontTable.xml": f"{CT_MAIN}.fontTable+xml",
        "/word/header1.xml": f"{CT_MAIN}.header+xml",
        "/word/header2.xml": f"{CT_MAIN}.header+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    body = ('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            + "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items()))
    return f'{ox.XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{body}</Types>'


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return f'{ox.XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _styles(profile: Profile) -> str:
    """A slim style sheet: defaults in the profile's font, and the few styles Word requires."""
    body = run_format(profile, "body")
    f = f'"{profile.font}"'
    return (
        f'{ox.XML_HEAD}<w:styles xmlns:w="{ox.W_NS}">'
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>'
        f'<w:sz w:val="{round(body.size_pt * 2)}"/><w:szCs w:val="{round(body.size_pt * 2)}"/>'
        '<w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        '</w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/></w:style>'
        '</w:styles>'
    )


def _settings() -> str:
    return (f'{ox.XML_HEAD}<w:settings xmlns:w="{ox.W_NS}"><w:zoom w:percent="100"/>'
            '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            '<w:themeFontLang w:val="vi-VN"/></w:settings>')


def _font_table(profile: Profile) -> str:
    return (f'{ox.XML_HEAD}<w:fonts xmlns:w="{ox.W_NS}"><w:font w:name="{profile.font}">'
            '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>')


_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{{ core.title }}</dc:title><dc:subject>{{ core.subject }}</dc:subject>"
    "<dc:creator>{{ core.author }}</dc:creator><cp:keywords>{{ core.keywords }}</cp:keywords>"
    "<cp:lastModifiedBy>{{ core.author }}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{{ core.created }}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{{ core.modified }}</dcterms:modified>'
    "</cp:coreProperties>"
)


def package(profile: Profile, body_xml: str, landscape: bool = False, restart_numbering: bool = False) -> bytes:
    """Assemble a complete, deterministic .docx around a body (`restart_numbering`: its last section's pages from 1)."""
    last = ox.section_properties(profile, landscape, ("rIdHeader1", "rIdHeader2"), restart_numbering)
    document = f'{ox.XML_HEAD}<w:document {ox.NS_DECL}><w:body>{body_xml}{last}</w:body></w:document>'
    parts = [
        ("[Content_Types].xml", _content_types()),
        ("_rels/.rels", _rels([
            ("rId1", f"{_REL}/officeDocument", "word/document.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{_REL}/extended-properties", "docProps/app.xml"),
        ])),
        ("docProps/core.xml", ox.XML_HEAD + _CORE),
        ("docProps/app.xml", f'{ox.XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>dispatch-gen</Application></Properties>'),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", _rels([
            ("rId1", f"{_REL}/styles", "styles.xml"),
            ("rId2", f"{_REL}/settings", "settings.xml"),
            ("rId3", f"{_REL}/fontTable", "fontTable.xml"),
            ("rIdHeader1", f"{_REL}/header", "header1.xml"),
            ("rIdHeader2", f"{_REL}/header", "header2.xml"),
        ])),
        ("word/styles.xml", _styles(profile)),
        ("word/settings.xml", _settings()),
        ("word/fontTable.xml", _font_table(profile)),
        ("word/header1.xml", ox.page_number_header(profile)),
        ("word/header2.xml", ox.empty_header()),
    ]
    buf = io.BytesIO()
    write_zip(buf, [Member.deflate(name, text.encode("utf-8")) for name, text in parts])
    return buf.getvalue()


def build_template(kind: str, profile: Profile | str = "decree30") -> bytes:
    """The bytes of the template `kind` laid out from `profile`."""
    from .kinds import kind_of

    if isinstance(profile, str):
        profile = load_profile(profile)
    spec = kind_of(kind)
    if spec is None:
        raise KeyError(kind)
    return package(profile, spec.layout(profile), landscape=spec.landscape,
                   restart_numbering=spec.own_numbering or spec.annexes)


def build_templates(out_dir: Path, profile: str | None = None, kinds: list[str] | None = None) -> list[Path]:
    """Write every template (or the named ones) into `out_dir`; return their paths.

    With a `profile`, its templates go straight into `out_dir`. Without one, Decree 30's go into
    `out_dir` and every other packaged profile whose layout differs (Party, Đoàn) gets its own
    `out_dir/<profile>/`; a profile laid out as Decree 30 (trade union) needs no folder.
    """
    if profile is not None:
        prof = load_profile(profile)
        return [write_bytes_atomic(Path(out_dir) / f"{kind}.docx", build_template(kind, prof))
                for kind in kinds or sorted(_builders())]
    written = build_templates(out_dir, "decree30", kinds)
    for name, folder in profile_folders().items():
        written += build_templates(Path(out_dir) / folder, name, kinds)
    return written


def profile_folders() -> dict[str, str]:
    """Packaged profiles whose templates differ from Decree 30's, with their folder names."""
    from ..profile import available_profiles

    base = {kind: build_template(kind, "decree30") for kind in _builders()}
    return {name: name for name in available_profiles()
            if name != "decree30" and any(build_template(kind, name) != base[kind] for kind in _builders())}


def _builders() -> dict[str, Callable[[Profile], str]]:
    from .kinds import kinds

    return {k.name: k.layout for k in kinds().values()}
