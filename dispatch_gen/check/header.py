"""Header and title rules: Quốc hiệu, Tiêu ngữ, the rules under them, `Số:`, the date, tên loại."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from .. import vn
from ..profile import text_width_pt
from .context import Context
from .finding import Finding
from .layout import Found, Rule
from .text import tone_neutral

_NUMBER = re.compile(r"^(?P<label>S[ốỐ])(?P<colon>\s*:)?\s*(?P<num>[^/]*?)\s*/\s*(?P<sym>.*)$", re.I)
_DATE = re.compile(r"^(?P<place>[^,]*),?\s*ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d{4})\s*$", re.I)
_MIXED_CASE = {"QyĐ", "CTr", "TTr", "TrS"}


def national(ctx: Context) -> Iterator[Finding]:
    want = ctx.profile.header("national_title")
    f = ctx.layout.national
    if f is None:
        yield Finding("HDR-001", "Quốc hiệu not found", expected=want, found="none")
    elif vn.nfc(f.shown) != want and tone_neutral(f.shown) != tone_neutral(want):
        yield Finding("HDR-001", "Quốc hiệu differs", expected=want, found=f.shown, **ctx.where(f))
    want = ctx.profile.header("motto")
    m = ctx.layout.motto
    if f is not None and m is None:
        yield Finding("HDR-002", "Tiêu ngữ not found under the Quốc hiệu", expected=want, found="none", **ctx.where(f))
    elif m is not None and vn.nfc(m.text) != want and tone_neutral(m.text) != tone_neutral(want):
        yield Finding("HDR-002", "Tiêu ngữ differs", expected=want, found=m.text, **ctx.where(m))


def _rule_share(ctx: Context, code: str, what: str, rule: Rule | None, lines: list[Found],
                share_key: str, column: int | None, anchor: Found) -> Iterator[Finding]:
    if rule is None or rule.tag:
        return
    if rule.twips is None:
        yield Finding(code, f"no rule under the {what}", expected="a solid rule", found="none", **ctx.where(anchor))
        return
    widest = 0.0
    for f in lines:
        runs = f.runs
        if not runs or f.is_tag:
            continue
        widest = max(widest, text_width_pt(f.shown, runs[0].size or 12, bold=runs[0].bold) * 20)
    if column:
        widest = min(widest, column)
    if not widest:
        return
    spec = ctx.profile.header_spec(share_key)
    share = rule.twips / widest
    if not spec.accepts(share, ctx.tolerance("share_tolerance")):
        lo, hi = spec.range or (spec.value, spec.value)
        yield Finding(code, f"rule under the {what}: length", severity="warning",
                      expected=f"{lo:.0%}–{hi:.0%} of the line", found=f"{share:.0%}", **ctx.where(rule.para))


def rules(ctx: Context) -> Iterator[Finding]:
    L = ctx.layout
    if L.motto is not None:
        yield from _rule_share(ctx, "HDR-003", "Tiêu ngữ", L.motto_rule, [L.motto], "motto_rule_share", None, L.motto)
    if not L.issuers:
        if L.header_zone:
            yield Finding("HDR-005", "issuing body not found in the header", expected="its name, upper case, bold",
                          found="none", **ctx.where(L.header_zone[0]))
    else:
        column = L.issuers[-1].para.width_twips
        yield from _rule_share(ctx, "HDR-004", "issuing body", L.issuer_rule, L.issuers, "issuer_rule_share",
                               column, L.issuers[-1])
    if L.doc_type is None:
        if L.subject is None:
            yield Finding("TTL-001", "no tên loại (KẾ HOẠCH, THÔNG BÁO …) under the header", found="none")
    else:
        yield from _rule_share(ctx, "TTL-002", "title", L.title_rule, [L.doc_type, *L.summary], "issuer_rule_share",
                               L.doc_type.para.width_twips, L.summary[-1] if L.summary else L.doc_type)


def number(ctx: Context) -> Iterator[Finding]:
    f = ctx.layout.number
    if f is None:
        yield Finding("NUM-001", "no `Số:` line in the header", expected="Số: 01/KH-ABC", found="none")
        return
    if f.is_tag:
        return
    text = " ".join(f.text.split())
    where = ctx.where(f)
    m = _NUMBER.match(text)
    prefix = ctx.profile.raw.get("number", {}).get("prefix", "Số: ").strip()
    if not m:
        yield Finding("NUM-002", "`Số:` line is not `Số: NN/KÝ-HIỆU`", expected=f"{prefix} NN/KÝ-HIỆU", found=text, **where)
        return
    if m.group("label") != "Số" or not m.group("colon"):
        yield Finding("NUM-002", "write `Số:` with a colon", expected=prefix, found=text.split("/")[0].strip(), **where)
    num, sym = m.group("num"), m.group("sym")
    if not num.strip():
        yield Finding("NUM-004", "number left blank (a draft)", found=text, **where)
    elif not num.isdigit():
        yield Finding("NUM-002", "the number is not a number", expected="digits", found=num, **where)
    else:
        digits = int(ctx.profile.raw.get("number", {}).get("min_digits", 2))
        if len(num) < digits:
            yield Finding("NUM-003", "number without its leading zero", expected=num.zfill(digits), found=num, **where)
    if re.search(r"\s", sym) or re.search(r"\d\s+/|/\s", text):
        yield Finding("NUM-002", "ký hiệu has spaces", expected=re.sub(r"\s+", "", sym), found=sym, **where)
    groups = re.sub(r"\s+", "", sym).split("-")
    lower = [g for g in groups if g and g not in _MIXED_CASE and g != g.upper()]
    if lower:
        yield Finding("NUM-002", "ký hiệu not in upper case", expected="-".join(g if g in _MIXED_CASE else g.upper() for g in groups),
                      found=sym, **where)
    if any(not g for g in groups):
        yield Finding("NUM-002", "empty group in the ký hiệu", expected="groups joined by single '-'", found=sym, **where)


def date(ctx: Context) -> Iterator[Finding]:
    f = ctx.layout.date
    if f is None:
        yield Finding("DATE-001", "no date line in the header", expected="<Place>, ngày DD tháng M năm YYYY", found="none")
        return
    if f.is_tag:
        return
    text = " ".join(f.text.split())
    where = ctx.where(f)
    m = _DATE.match(text)
    if not m:
        yield Finding("DATE-001", "date line is not `<Place>, ngày DD tháng M năm YYYY`",
                      expected="<Place>, ngày DD tháng M năm YYYY", found=text, **where)
        return
    place, d, mo, y = m.group("place").strip(), m.group("d"), m.group("m"), int(m.group("y"))
    if not place:
        yield Finding("DATE-001", "date line has no place name", expected="<Place>, ngày …", found=text, **where)
    elif not place[0].isupper():
        yield Finding("DATE-005", "place name not capitalised", expected=place[0].upper() + place[1:], found=place, **where)
    if not d and not mo:
        yield Finding("DATE-004", "day and month left blank (a draft)", found=text, **where)
        return
    if not d or not mo:
        yield Finding("DATE-001", "day or month missing", expected="ngày DD tháng M", found=text, **where)
        return
    try:
        dt.date(y, int(mo), int(d))
    except ValueError:
        yield Finding("DATE-003", "no such date", expected="a real date", found=f"{d}/{mo}/{y}", **where)
        return
    want_d, want_m = vn.day_str(int(d)), vn.month_str(int(mo))
    if d != want_d:
        yield Finding("DATE-002", "day: leading zero only for 1–9", expected=f"ngày {want_d}", found=f"ngày {d}", **where)
    if mo != want_m:
        yield Finding("DATE-002", "month: leading zero only for months 1 and 2", expected=f"tháng {want_m}",
                      found=f"tháng {mo}", **where)


def template_note(ctx: Context) -> Iterator[Finding]:
    if ctx.template:
        yield Finding("TPL-001", "Jinja tags found: the rules on data-filled text are checked on rendered documents")


RULES = (national, rules, number, date, template_note)
