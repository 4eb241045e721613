"""Bản sao (mẫu 3.1 of Phụ lục III): the issued document's text, then the copy block under a solid
rule as wide as the text: the copying body, its own Số (SY, SL or TrS), `SAO Y` / `SAO LỤC` /
`TRÍCH SAO`, place and date, the signer and the Nơi nhận of the copy.

The block is a template of its own (`templates/ban-sao.docx`, built from the profile like every
kind); rendering a copy renders that block with the copy's context and appends its paragraphs to
the copied document's body, before its last section's properties.
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import TemplateError
from ..profile import Profile
from . import ooxml as ox
from .engine import CompiledTemplate, RenderExtras
from .ooxml import ParaFormat, control, line, paragraph, run_format


def copy_layout(profile: Profile) -> str:
    """The copy block: a full-width rule, the copying body and Số | the form of copy and the date,
    then the copy's signature row (the dispatch's own signature block)."""
    from .template_builder import issuer_mark, signature_block

    total = ox.twips_mm(profile.header("table_width_mm"))
    left = round(total * profile.header_spec("left_width_pct").value / 100)
    right = total - left
    tight = dict(first_line_twips=0, after_pt=0, line=1.0)
    rule = paragraph("", ParaFormat(before_pt=12, after_pt=6, bottom_rule_eighths=profile.header("rule_weight_eighths")),
                     ox.RunFormat(profile.font, 1))
    body = (control("{%p for body in issuers %}")
            + line(profile, "issuing_body", "{{ body.name|upper }}", **tight)
            + control("{%p endfor %}")
            + issuer_mark(profile)
            + line(profile, "number", "{{ number_line }}", before_pt=6, **tight))
    mark = (line(profile, "doc_type", "{{ copy_mark }}", **tight)
            + line(profile, "date_line", "{{ date_line }}", before_pt=6, **tight))
    table = ox.table(ox.row(ox.cell(body, left) + ox.cell(mark, right)), [left, right],
                     indent_twips=ox.twips_mm(profile.header("table_indent_mm")))
    return rule + table + signature_block(profile)


_BODY = re.compile(r"<w:body>(.*)</w:body>", re.S)
_LAST_SECT = re.compile(r"<w:sectPr\b(?:(?!<w:sectPr\b).)*</w:sectPr>\s*$", re.S)


def body_of(document_xml: str) -> str:
    """The body's content without its last section's properties."""
    m = _BODY.search(document_xml)
    if not m:
        raise TemplateError("the copy block's template has no body")
    return _LAST_SECT.sub("", m.group(1))


class CopyTemplate:
    """Renders a copy: the copied document's .docx, with the copy block rendered from `block` appended."""

    def __init__(self, original: bytes, block: CompiledTemplate, name: str = "bản sao"):
        self.original = original
        self.block = block
        self.name = name

    def render(self, context: dict[str, Any], extras: RenderExtras | None = None) -> bytes:
        import io
        import zipfile

        from ..writers.docx_zip import Member, write_zip

        block_xml = body_of(self.block.render_parts(context)["word/document.xml"].decode("utf-8"))
        src = zipfile.ZipFile(io.BytesIO(self.original))
        members = []
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                # before the body's own (last) section properties; section breaks come earlier
                end = xml.rindex("<w:sectPr") if "<w:sectPr" in xml else xml.rindex("</w:body>")
                data = (xml[:end] + block_xml + xml[end:]).encode("utf-8")
            members.append(Member.deflate(info.filename, data))
        buf = io.BytesIO()
        write_zip(buf, members)
        return buf.getvalue()
