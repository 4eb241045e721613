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
    certificate = ctx.layout.kind == "certificate"
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
        if certificate:
            # Its own design: landscape if the profile says so, margins not regulated.
            if portrait and (ctx.profile.raw.get("certificate") or {}).get("landscape", True):
                yield Finding("PAGE-001", f"a certificate is printed on A4 landscape{where}",
                              expected=f"{want_h}×{want_w} mm", found=f"{_fmt(w)}×{_fmt(h)} mm (portrait)")
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


def _numbered(ctx: Context, n: int, what: str) -> Iterator[Finding]:
    """Page numbers of section `n` (0-based): in the header, centred, sized, none on its first page."""
    sec = ctx.doc.sections[n]
    numbered = {kind: [p for p in paras if _PAGE_FIELD.search(p.fields)] for kind, paras in sec.headers.items()}
    in_footer = any(_PAGE_FIELD.search(p.fields) for paras in sec.footers.values() for p in paras)
    first_shows = numbered.get("first") if sec.title_page else numbered.get("default")
    if first_shows and not ctx.profile.page_number_on_first_page:
        yield Finding("PAGE-003", f"{what}page 1 shows a page number", expected="a different, empty first-page header",
                      found="titlePg set, number in the first-page header" if sec.title_page else "no different first page")
    shown = [p for kind in ("default", "even") for p in numbered.get(kind) or []]
    if not shown:
        if in_footer:
            yield Finding("PAGE-005", f"{what}page numbers are in the footer", expected="centred in the top margin",
                          found="footer")
        else:
            yield Finding("PAGE-004", f"{what}pages after the first are not numbered", expected="a PAGE field in the header",
                          found="none")
        return
    spec = ctx.profile.page_number_size
    want_align = ctx.profile.raw.get("page_number", {}).get("align", "center")
    for p in shown:
        sizes = sorted({r.size for r in p.runs if r.size})
        bad = [s for s in sizes if not spec.accepts(s)]
        if bad:
            lo, hi = spec.range or (spec.value, spec.value)
            yield Finding("PAGE-006", f"{what}page number size", expected=f"{_fmt(lo)}–{_fmt(hi)} pt",
                          found=", ".join(f"{_fmt(s)} pt" for s in bad))
        if (p.props.align or "left") != want_align:
            yield Finding("PAGE-007", f"{what}page number is not centred", expected=want_align,
                          found=p.props.align or "left")


def page_numbers(ctx: Context) -> Iterator[Finding]:
    """The document's first section, and each phụ lục's section (numbered on its own, so it has a page 1)."""
    if not ctx.doc.sections:
        return
    yield from _numbered(ctx, 0, "")
    restarts = ctx.profile.raw.get("page_number", {}).get("annex_restarts", True)
    checked = {0}
    for k, annex in enumerate(ctx.layout.annexes, 1):
        what = "phụ lục" + (f" {k}" if len(ctx.layout.annexes) > 1 else "") + ": "
        where = ctx.where(annex.heading or annex.start)
        n = annex.section
        if not restarts or annex.before is None:
            continue  # a phụ lục in a file of its own: its pages are the file's (section 0, checked above)
        if annex.before is not None and annex.before.section == n:
            yield Finding("PAGE-008", f"{what}not in a section of its own, so its pages cannot be numbered on their own",
                          expected="a section break before the phụ lục, page numbers from 1",
                          found="same section as the text before it", **where)
            continue
        if n >= len(ctx.doc.sections):
            continue
        start = ctx.doc.sections[n].page_start
        if start != 1:
            yield Finding("PAGE-008", f"{what}page numbering does not restart at 1", expected="pages numbered from 1",
                          found="continued from the text before" if start is None else f"from {start}", **where)
        if n not in checked:
            checked.add(n)
            yield from _numbered(ctx, n, what)


RULES = (paper, page_numbers)
