"""Element rules: each located element's font, size, weight, style, case, alignment and spacing.

Every expected value is read from the profile's element table, the one the template builder
lays documents out from: a change there changes both the templates and what `check` accepts.
"""
from __future__ import annotations

from typing import Iterator

from .. import vn
from ..profile import TWIPS_PER_MM, Element, Spec
from .context import Context
from .finding import ERROR, WARNING, Finding
from . import blanks
from .layout import ARTICLE_RE, Found, is_upper, literal

_CM = TWIPS_PER_MM * 10
_BODY = ("body", "legal_basis", "heading", "article")


def _n(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _span(spec: Spec, unit: str) -> str:
    lo, hi = spec.range or (spec.value, spec.value)
    if hi is None:
        return f"≥ {_n(lo)} {unit}"
    return f"{_n(lo)} {unit}" if lo == hi else f"{_n(lo)}–{_n(hi)} {unit}"


def _share(found: Found, attr: str) -> bool | None:
    """Whether most of the element's visible characters are bold (or italic)."""
    runs = found.runs
    total = sum(len(r.text.strip()) for r in runs)
    if not total:
        return None
    on = sum(len(r.text.strip()) for r in runs if getattr(r, attr))
    return on * 2 > total


def fonts(ctx: Context) -> Iterator[Finding]:
    want = ctx.profile.font
    paras = list(ctx.doc.paras) + [p for sec in ctx.doc.sections[:1] for ps in sec.headers.values() for p in ps]
    for p in paras:
        for font in sorted({r.font for r in p.runs if r.text.strip() and r.font and r.font != want}):
            yield Finding("FONT-001", "font is not the profile's", expected=want, found=font, **ctx.where(p))


def _label_only(ctx: Context, name: str) -> bool:
    """The profile makes only the element's label bold (`Điều 1.`), not its whole text."""
    return (ctx.profile.raw.get("elements", {}).get(name) or {}).get("bold_part") == "label"


def _article(ctx: Context, f: Found, el: Element) -> Iterator[Finding]:
    """`Điều N.` bold; the text after it regular, as body text (Decree 30's sample decisions)."""
    runs = [r for pc in f.pieces for r in pc.runs]
    text = "".join(r.text for r in runs)
    m = ARTICLE_RE.match(text.lstrip())
    if m:
        cut = len(text) - len(text.lstrip()) + m.end()
    elif f.is_tag and runs:
        cut = len(runs[0].text)  # `{{ article.label }}` alone in its run
    else:
        return
    label, rest, at = [], [], 0
    for r in runs:
        for ch in r.text:
            if not ch.isspace():
                (label if at < cut else rest).append(r.bold)
            at += 1
    where = ctx.where(f)
    if label and sum(label) * 2 <= len(label):
        yield Finding("FMT-002", f"{el.name}: the label `Điều N.` bold", expected="bold", found="regular",
                      element=el.name, **where)
    tail = literal(text[cut:]).strip()
    is_title = vn.is_article_title(tail)  # `Điều 1. Phạm vi điều chỉnh`: bold throughout
    if rest and sum(rest) * 2 > len(rest) and not is_title:
        yield Finding("FMT-002", f"{el.name}: the text after `Điều N.` regular", expected="regular", found="bold",
                      element=el.name, **where)


def _format(ctx: Context, f: Found, el: Element) -> Iterator[Finding]:
    where = ctx.where(f)
    name = el.name
    label_only = _label_only(ctx, name)
    # Dots alone stand for text to be typed: its size, weight, style and case are the filled-in text's.
    blank_only = not blanks.strip(f.plain).strip(" \t:;,./-()") and blanks.has_blank(f.plain)
    sizes = sorted({r.size for r in f.runs if r.size}) if not blank_only else []
    bad = [s for s in sizes if not el.size.accepts(s)]
    if bad:
        yield Finding("FMT-001", f"{name}: font size", expected=_span(el.size, "pt"),
                      found=", ".join(f"{_n(s)} pt" for s in bad), element=name, **where)
    for code, attr, want in (("FMT-002", "bold", el.bold), ("FMT-003", "italic", el.italic)):
        if want is None or (code == "FMT-002" and label_only) or blank_only:
            continue
        found = _share(f, attr)
        if found is not None and found != bool(want):
            yield Finding(code, f"{name}: {'' if want else 'not '}{attr}", expected=attr if want else "regular",
                          found=attr if found else "regular", element=name, **where)
    if el.upper and not blank_only and literal(f.text).strip() and not all(r.caps for r in f.runs) and not is_upper(f.text):
        yield Finding("FMT-004", f"{name}: upper case", expected="UPPER CASE", found="mixed case", element=name, **where)
    # The profile sets the addressee lines left; a single `Kính gửi: X.` is centred in practice
    # (and by our builder), so the addressee's alignment is not judged.
    if el.align and el.align_checked and f.whole and name != "addressee" and not blanks.is_fill_line(f.para.plain):
        found_align = f.para.props.align or "left"
        if found_align != el.align:
            severity = ERROR if name in _BODY else WARNING
            yield Finding("FMT-005", f"{name}: alignment", severity=severity, expected=el.align,
                          found=found_align, element=name, **where)


def _paragraph(ctx: Context, f: Found, el: Element, next_before: float | None) -> Iterator[Finding]:
    """Indent, space after and line spacing of a body paragraph; `next_before` is the space before the
    next body paragraph (None: the last one, whose space after is the signature's, not a gap)."""
    where = ctx.where(f)
    props = f.para.props
    if blanks.is_fill_line(f.para.plain):
        return
    if el.first_line_indent_cm is not None:
        cm = (props.first_line or 0) / _CM
        if not el.first_line_indent_cm.accepts(cm, ctx.tolerance("indent_tolerance_cm")):
            yield Finding("FMT-006", f"{el.name}: first-line indent", expected=_span(el.first_line_indent_cm, "cm"),
                          found=f"{_n(cm)} cm", element=el.name, **where)
    if el.space_after_pt is not None and next_before is not None:
        gap = (props.after or 0) + next_before
        if not el.space_after_pt.accepts(gap, ctx.tolerance("spacing_tolerance_pt")):
            yield Finding("FMT-007", f"{el.name}: space between paragraphs", expected=_span(el.space_after_pt, "pt"),
                          found=f"{_n(gap)} pt", element=el.name, **where)
    if el.line_spacing is not None and props.line and (props.line_rule or "auto") == "auto":
        multiple = props.line / 240
        if not el.line_spacing.accepts(multiple, 0.005):
            yield Finding("FMT-008", f"{el.name}: line spacing", expected=_span(el.line_spacing, "lines"),
                          found=f"{_n(multiple)} lines", element=el.name, **where)


def elements(ctx: Context) -> Iterator[Finding]:
    paras = ctx.doc.paras
    position = {id(p): i for i, p in enumerate(paras)}
    last_body = ctx.layout.body[-1].para if ctx.layout.body else None
    blank_line = float(ctx.profile.element("body").size.value)
    for f in ctx.layout.elements():
        try:
            el = ctx.profile.element(f.role)
        except KeyError:
            continue
        yield from _format(ctx, f, el)
        if _label_only(ctx, f.role):
            yield from _article(ctx, f, el)
        if f.role in _BODY:
            i = position[id(f.para)]
            nxt = next((q for q in paras[i + 1:] if not q.is_control), None)
            before = None if (nxt is None or f.para is last_body) else (nxt.props.before or 0)
            if before is not None and nxt.is_empty:
                before += blank_line  # an empty paragraph between them is a line of space
            yield from _paragraph(ctx, f, el, before)


RULES = (fonts, elements)
