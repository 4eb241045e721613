"""Picture rules: a picture of the text fits its section, sits inline with the text, and is sharp
enough to print.

A scanned signature or a seal in the signature block, or a logo in the header, is not a picture
of the text (see `layout.body_pictures`); lines and shapes drawn in the document are not pictures.
"""
from __future__ import annotations

from typing import Iterator

from ..profile import TWIPS_PER_MM
from .context import Context
from .finding import Finding
from .layout import body_pictures
from .reader import EMU_PER_TWIP, Picture

DEFAULT_MIN_DPI = 150


def _mm(twips: float) -> str:
    return f"{twips / TWIPS_PER_MM:.0f} mm"


def located(ctx: Context, picture: Picture) -> dict:
    where = ctx.where(picture.para)
    if not picture.para.clean:
        where["snippet"] = picture.name or None
    if picture.para.table is not None:
        where.update(table=picture.para.table + 1, row=(picture.para.row or 0) + 1)
    return {**where, "picture": picture.number + 1}


def fits(ctx: Context) -> Iterator[Finding]:
    """IMG-001: no wider than the text (or its table cell), no taller than the text height."""
    tol = ctx.tolerance("length_tolerance_mm") * TWIPS_PER_MM
    for pic in body_pictures(ctx.layout):
        width, height = ctx.doc.text_area(pic.para.section)
        where = "its table cell" if pic.para.table is not None else "the text"
        if pic.para.table is not None and pic.para.width_twips:
            width = pic.para.width_twips
        w = (pic.width_emu or 0) / EMU_PER_TWIP
        h = (pic.height_emu or 0) / EMU_PER_TWIP
        if width and w > width + tol:
            yield Finding("IMG-001", f"the picture is wider than {where}", expected=f"at most {_mm(width)}",
                          found=_mm(w), **located(ctx, pic))
        if height and h > height + tol:
            yield Finding("IMG-001", "the picture is taller than the text height of the page",
                          expected=f"at most {_mm(height)}", found=_mm(h), **located(ctx, pic))


def inline(ctx: Context) -> Iterator[Finding]:
    """IMG-002: an anchored picture keeps its place on the page while the text around it moves."""
    for pic in body_pictures(ctx.layout):
        if pic.floating:
            yield Finding("IMG-002", "the picture floats (anchored), it does not move with its text",
                          expected="in line with text", found="floating", **located(ctx, pic))


def resolution(ctx: Context) -> Iterator[Finding]:
    """IMG-003: pixels per inch at the printed size (vector pictures have no resolution to lack)."""
    least = float((ctx.profile.raw.get("pictures") or {}).get("min_dpi", DEFAULT_MIN_DPI))
    for pic in body_pictures(ctx.layout):
        dpi = pic.dpi
        if dpi is not None and dpi < least:
            w, h = pic.pixels
            yield Finding("IMG-003", "the picture prints blurred: too few pixels for its size",
                          expected=f"at least {least:.0f} dpi", found=f"{dpi:.0f} dpi ({w}×{h} px at "
                          f"{_mm((pic.width_emu or 0) / EMU_PER_TWIP)} wide)", **located(ctx, pic))


RULES = (fits, inline, resolution)
