"""Pictures in a rendered document: the inline drawing XML and the parts that must travel with it.

A picture needs three things besides the `<w:drawing>` run: the image part (`word/media/…`), a
relationship from the document to it, and a content type for its extension. Templates are
compiled once and their relationships part is static, so a render that adds a picture replaces
that part (and, if a clerk's template lacks it, the PNG content type) through `RenderExtras`.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from .engine import CompiledTemplate, RenderExtras
from .pixels import image_size, png_size  # noqa: F401 (their home before pixels.py)

EMU_PER_CM = 360000
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RELS_PART = "word/_rels/document.xml.rels"
TYPES_PART = "[Content_Types].xml"


def pictures_extras(template: CompiledTemplate, pictures: list[tuple[str, str, bytes]]) -> RenderExtras:
    """The members a render needs for the pictures placed in the body: (rel id, media name, bytes)."""
    rels = template.original_member(RELS_PART).decode("utf-8")
    types = template.original_member(TYPES_PART).decode("utf-8")
    members: dict[str, bytes] = {}
    for rel_id, media_name, data in pictures:
        members[f"word/media/{media_name}"] = data
        rels = _with_relationship(rels, rel_id, f"media/{media_name}")
    patched = _with_png_type(types)
    if any(name.endswith(".jpeg") for _, name, _ in pictures) and 'Extension="jpeg"' not in patched:
        patched = patched.replace("</Types>", '<Default Extension="jpeg" ContentType="image/jpeg"/></Types>')
    members[RELS_PART] = rels.encode("utf-8")
    if patched != types:
        members[TYPES_PART] = patched.encode("utf-8")
    return RenderExtras(members)


def inline_picture(rel_id: str, width_cm: float, height_cm: float, pic_id: int, name: str, description: str) -> str:
    """A run holding an inline picture of the given size (DrawingML, as Word writes it)."""
    cx, cy = round(width_cm * EMU_PER_CM), round(height_cm * EMU_PER_CM)
    return (
        "<w:r><w:drawing>"
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f"<wp:docPr id=\"{pic_id}\" name={quoteattr(name)} descr={quoteattr(description)}/>"
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{pic_id}" name={quoteattr(name)}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _with_relationship(rels: str, rel_id: str, target: str) -> str:
    rels = re.sub(rf'<Relationship [^>]*Id="{re.escape(rel_id)}"[^>]*/>', "", rels)
    entry = f'<Relationship Id="{rel_id}" Type="{IMAGE_REL}" Target="{target}"/>'
    return rels.replace("</Relationships>", entry + "</Relationships>")


def _with_png_type(types: str) -> str:
    if re.search(r'<Default [^>]*Extension="png"', types, re.I):
        return types
    return types.replace("</Types>", '<Default Extension="png" ContentType="image/png"/></Types>')


def picture_extras(template: CompiledTemplate, rel_id: str, media_name: str, png: bytes) -> RenderExtras:
    """The members one render needs for a PNG at `word/media/<media_name>` under relationship `rel_id`."""
    rels = template.original_member(RELS_PART).decode("utf-8")
    types = template.original_member(TYPES_PART).decode("utf-8")
    members = {
        f"word/media/{media_name}": png,
        RELS_PART: _with_relationship(rels, rel_id, f"media/{media_name}").encode("utf-8"),
    }
    patched = _with_png_type(types)
    if patched != types:
        members[TYPES_PART] = patched.encode("utf-8")
    return RenderExtras(members)
