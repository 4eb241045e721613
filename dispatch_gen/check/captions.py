"""Caption rules: a caption of the text's tables and pictures is set as the builder sets it (the
profile's `caption` element: italic, centred, its size) and the captions are numbered in order
(`Bảng 1`, `Bảng 2` …; `Hình 1`, `Hình 2` …).

Only a recognised caption is judged (see `layout.captions`): a line starting `Bảng 1`, `Hình 2` …
next to its table or picture, or a short centred italic line right under it.
"""
from __future__ import annotations

from typing import Iterator

from .context import Context
from .finding import Finding
from .layout import CAPTION_LABEL, Caption
from .reader import Para

_CODES = {"table": "TBL-003", "picture": "IMG-004"}
_NAMES = {"table": "table", "picture": "picture"}


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _element(ctx: Context):
    try:
        return ctx.profile.element("caption")
    except KeyError:  # a user's profile written before captions had an element of their own
        return ctx.profile.element("annex_note")


def _where(ctx: Context, cap: Caption) -> dict:
    where = ctx.where(cap.para)
    if cap.kind == "table":
        where.update(table=cap.number + 1)
    else:
        where["picture"] = cap.number + 1
    return where


def _italic(p: Para) -> bool | None:
    runs = [r for r in p.runs if r.text.strip() and not r.raised]
    total = sum(len(r.text.strip()) for r in runs)
    if not total:
        return None
    return sum(len(r.text.strip()) for r in runs if r.italic) * 2 > total


def caption_format(ctx: Context) -> Iterator[Finding]:
    """TBL-003 / IMG-004: the caption's size, italic and alignment as the profile sets them."""
    el = _element(ctx)
    lo, hi = el.size.range or (el.size.value, el.size.value)
    for cap in ctx.layout.captions:
        p = cap.para
        want, found = [], []
        sizes = sorted({r.size for r in p.runs if r.size and r.text.strip() and not r.raised})
        bad = [s for s in sizes if not el.size.accepts(s)]
        if bad:
            want.append(f"{_n(lo)}–{_n(hi)} pt" if lo != hi else f"{_n(lo)} pt")
            found.append(", ".join(f"{_n(s)} pt" for s in bad))
        italic = _italic(p)
        if el.italic is not None and italic is not None and italic != bool(el.italic):
            want.append("italic" if el.italic else "regular")
            found.append("italic" if italic else "regular")
        align = p.props.align or "left"
        if el.align and align != el.align:
            want.append(el.align)
            found.append(align)
        if want:
            yield Finding(_CODES[cap.kind], f"the {_NAMES[cap.kind]}'s caption is not set as captions are",
                          expected=", ".join(want), found=", ".join(found), element="caption", **_where(ctx, cap))


def caption_numbers(ctx: Context) -> Iterator[Finding]:
    """TBL-003 / IMG-004: `Bảng 1`, `Bảng 2` … and `Hình 1`, `Hình 2` … in order, each kind on its own."""
    last: dict[str, int] = {}
    for cap in ctx.layout.captions:
        m = CAPTION_LABEL.match(cap.para.clean)
        if not m:
            continue
        word, number = m.group(1).capitalize(), int(m.group(2))
        key = cap.kind + ":" + word
        expected = last.get(key, 0) + 1
        if number != expected:
            yield Finding(_CODES[cap.kind], f"{word} numbers out of order", expected=f"{word} {expected}",
                          found=f"{word} {number}", element="caption", **_where(ctx, cap))
        last[key] = number


RULES = (caption_format, caption_numbers)
