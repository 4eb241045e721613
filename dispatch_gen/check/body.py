"""Body rules: the closing `./.`, Mục / khoản / điểm numbering in order, the căn cứ lines' punctuation."""
from __future__ import annotations

import re
from typing import Iterator

from .. import vn
from .context import Context
from .finding import Finding
from .layout import ROMAN_HEAD

_CLAUSE = re.compile(r"^(\d+)\.\s")
_POINT = re.compile(r"^([a-zđ]{1,3})\)\s")
_ROMANS = {vn.roman(n): n for n in range(1, 200)}
CLOSING_MARK = "./."


def closing(ctx: Context) -> Iterator[Finding]:
    body = ctx.layout.body
    if not body or ctx.excerpt:
        return
    last = body[-1]
    if last.is_tag:
        return
    text = last.text.rstrip()
    if not text.endswith(CLOSING_MARK):
        yield Finding("BODY-001", "the body does not end with `./.`", expected="…./.", found=text[-12:],
                      **ctx.where(last))


def numbering(ctx: Context) -> Iterator[Finding]:
    section, clause, point = 0, 0, None
    skips = ctx.excerpt  # a trích sao leaves parts out: a number may skip forward, never back
    ok = lambda found, expected: found == expected or (skips and found > expected)  # noqa: E731
    grouped = False  # just after a sub-head (`* Đối với học sinh:`), where khoản may start again at 1.
    for f in ctx.layout.body:
        text = f.text.strip()
        where = ctx.where(f)
        subhead, grouped = grouped, False
        if text.endswith(":") and not _CLAUSE.match(text) and not _POINT.match(text) and f.role != "heading":
            grouped = True
        if f.role == "division":
            section, clause, point = 0, 0, None  # Mục and khoản numbers start again in each Phần, Chương
            continue
        if f.role == "article":
            clause, point = 0, None  # khoản run within their Điều
            continue
        m = ROMAN_HEAD.match(text) if f.role == "heading" else None
        if m:
            n = _ROMANS.get(m.group(1))
            if n is not None and not ok(n, section + 1):
                yield Finding("BODY-002", "Mục numeral out of order", expected=f"{vn.roman(section + 1)}.",
                              found=f"{m.group(1)}.", **where)
            section, clause, point = (n or section + 1), 0, None
            continue
        m = _CLAUSE.match(text)
        if m:
            n = int(m.group(1))
            if not ok(n, clause + 1) and not (n == 1 and subhead):
                yield Finding("BODY-003", "khoản number out of order", expected=f"{clause + 1}.", found=f"{n}.", **where)
            clause, point = n, 0
            continue
        m = _POINT.match(text)
        if m:
            label = m.group(1)
            base = label[0]
            if base in "fjwz":
                yield Finding("BODY-004", "điểm letter outside the Vietnamese alphabet", expected="a b c d đ e g h …",
                              found=f"{label})", **where)
                continue
            if len(set(label)) == 1 and base in vn.LETTERS:
                index = (len(label) - 1) * len(vn.LETTERS) + vn.LETTERS.index(base) + 1
                expected = (point or 0) + 1
                if not ok(index, expected):
                    yield Finding("BODY-005", "điểm letter out of order", expected=f"{vn.letter(expected)})",
                                  found=f"{label})", **where)
                point = index


def legal_basis(ctx: Context) -> Iterator[Finding]:
    """Căn cứ lines, one per line: each ends with `;`, the last with `.` (or `,` before the action)."""
    blocks: list[list] = [[]]
    for f in ctx.layout.body:
        if f.role == "legal_basis":
            blocks[-1].append(f)
        elif blocks[-1]:
            blocks.append([])
    for block in blocks:
        # A lone `Căn cứ …, chúng tôi …` sentence is running text; a block of lines, or one before
        # `QUYẾT ĐỊNH:`, is the căn cứ part of the document.
        if not block or (len(block) == 1 and ctx.layout.action is None):
            continue
        for k, f in enumerate(block):
            if f.is_tag:
                continue
            text = f.text.rstrip()
            last = k == len(block) - 1
            ends = (".", ",") if last else (";",)
            if not text.endswith(ends):
                yield Finding("BODY-006", "căn cứ line ends wrongly", expected=" or ".join(f"`{e}`" for e in ends),
                              found=f"`{text[-1:]}`", **ctx.where(f))


RULES = (closing, numbering, legal_basis)
