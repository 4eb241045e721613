"""Page rules: paper, margins, and page numbers (centred in the top margin, none on page 1)."""
from __future__ import annotations

import re
from typing import Iterator

from ..profile import TWIPS_PER_MM
from .context import Context
from .finding import Finding

_PAGE_FIELD = re.compile(r"\bPAGE\b")


def _mm(twips: int | None) -> float | None:
    return None if twips is None else twips / TWIPS_PER_MM


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def paper(ctx: Context) -> Iterator[Finding]:
    tol = ctx.tolerance("length_tolerance_mm")
    want_w, want_h = ctx.profile.page("width_mm").value, ctx.profile.page("height_mm").value
    for n, sec in enumerate(ctx.doc.sections, 1):
        w, h = _mm(sec.width_twips), _mm(sec.height_twips)
        if w is None or h is None:
            continue
        where = f" (section {n})" if len(ctx.doc.sections) > 1 else ""
        portrait = abs(w - want_w) <= tol and abs(h - want_h) <= tol
        landscape = abs(w - want_h) <= tol and abs(h - want_w) <= tol
        if not (portrait or landscape):
            yield Finding("PAGE-001", f"paper is not A4{where}", expected=f"{want_w}×{want_h} mm",
                          found=f"{_fmt(w)}×{_fmt(h)} mm")
            continue
        if landscape:
            yield Finding("PAGE-001", f"landscape page{where}: Decree 30 allows it only for wide tables",
                          severity="info", found="landscape")
            continue
        for side in ("top", "bottom", "left", "right"):
            spec = ctx.profile.page(f"margin_{side}_mm")
            found = _mm(sec.margins_twips.get(side))
            if found is not None and not spec.accepts(found, tol / 2):
                lo, hi = spec.range or (spec.value, spec.value)
                yield Finding("PAGE-002", f"{side} margin out of range{where}", expected=f"{_fmt(lo)}–{_fmt(hi)} mm",
                              found=f"{_fmt(found)} mm")


def page_numbers(ctx: Context) -> Iterator[Finding]:
    if not ctx.doc.sections:
        return
    sec = ctx.doc.sections[0]
    numbered = {kind: [p for p in paras if _PAGE_FIELD.search(p.fields)] for kind, paras in sec.headers.items()}
    in_footer = any(_PAGE_FIELD.search(p.fields) for paras in sec.footers.values() for p in paras)
    first_shows = numbered.get("first") if sec.title_page else numbered.get("default")
    if first_shows and not ctx.profile.page_number_on_first_page:
        yield Finding("PAGE-003", "page 1 shows a page number", expected="a different, empty first-page header",
                      found="titlePg set, number in the first-page header" if sec.title_page else "no different first page")
    shown = [p for kind in ("default", "even") for p in numbered.get(kind) or []]
    if not shown:
        if in_footer:
            yield Finding("PAGE-005", "page numbers are in the footer", expected="centred in the top margin",
                          found="footer")
        else:
            yield Finding("PAGE-004", "pages after the first are not numbered", expected="a PAGE field in the header",
                          found="none")
        return
    spec = ctx.profile.page_number_size
    want_align = ctx.profile.raw.get("page_number", {}).get("align", "center")
    for p in shown:
        sizes = sorted({r.size for r in p.runs if r.size})
        bad = [s for s in sizes if not spec.accepts(s)]
        if bad:
            lo, hi = spec.range or (spec.value, spec.value)
            yield Finding("PAGE-006", "page number size", expected=f"{_fmt(lo)}–{_fmt(hi)} pt",
                          found=", ".join(f"{_fmt(s)} pt" for s in bad))
        if (p.props.align or "left") != want_align:
            yield Finding("PAGE-007", "page number is not centred", expected=want_align, found=p.props.align or "left")


RULES = (paper, page_numbers)
