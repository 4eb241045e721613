"""Header and title rules: Quốc hiệu, Tiêu ngữ, the rules under them, `Số:`, the date, tên loại."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from .. import vn
from ..profile import Spec, text_width_pt
from . import blanks
from .context import Context
from .finding import Finding
from .layout import Found, Rule
from .text import tone_neutral

_NUMBER = re.compile(r"^(?P<label>S[ốỐ])(?P<colon>\s*:)?\s*(?P<num>[^/]*?)\s*/\s*(?P<sym>.*)$", re.I)
_DATE = re.compile(r"^(?P<place>[^,]*),?\s*ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d{4})\s*$", re.I)
_FORM_DATE = re.compile(r"^(_|[^,_]+)\s*,?\s*ngày\s*(_|\d+)\s*tháng\s*(_|\d+)\s*năm\s*(_|\d{4})$", re.I)
def national(ctx: Context) -> Iterator[Finding]:
    want = ctx.profile.header("national_title")
    label = ctx.profile.national_label
    f = ctx.layout.national
    if f is None:
        yield Finding("HDR-001", f"{label} not found", expected=want, found="none")
    elif vn.nfc(f.shown) != want and tone_neutral(f.shown) != tone_neutral(want):
        yield Finding("HDR-001", f"{label} differs", expected=want, found=f.shown, **ctx.where(f))
    want = ctx.profile.motto
    m = ctx.layout.motto
    if want is None:
        if m is not None:
            yield Finding("HDR-002", f"a Tiêu ngữ, which this family's documents do not carry ({ctx.profile.name})",
                          expected="none", found=m.text, **ctx.where(m))
    elif f is not None and m is None:
        yield Finding("HDR-002", "Tiêu ngữ not found under the Quốc hiệu", expected=want, found="none", **ctx.where(f))
    elif m is not None and vn.nfc(m.text) != want and tone_neutral(m.text) != tone_neutral(want):
        yield Finding("HDR-002", "Tiêu ngữ differs", expected=want, found=m.text, **ctx.where(m))


def _rule_share(ctx: Context, code: str, what: str, rule: Rule | None, lines: list[Found],
                share_key: str, column: int | None, anchor: Found, spec: Spec | None = None) -> Iterator[Finding]:
    if rule is None or rule.tag:
        return
    if rule.twips is None:
        yield Finding(code, f"no rule under the {what}", expected="a solid rule", found="none", **ctx.where(anchor))
        return
    widest = 0.0
    for f in lines:
        runs = f.runs
        if blanks.has_blank(f.plain):
            return  # a form: the line's width is the filled-in text's
        if not runs or f.is_tag:
            continue
        widest = max(widest, text_width_pt(f.shown, runs[0].size or 12, bold=runs[0].bold) * 20)
    if column:
        widest = min(widest, column)
    if not widest:
        return
    spec = spec or ctx.profile.header_spec(share_key)
    share = rule.twips / widest
    if not spec.accepts(share, ctx.tolerance("share_tolerance")):
        lo, hi = spec.range or (spec.value, spec.value)
        yield Finding(code, f"rule under the {what}: length", severity="warning",
                      expected=f"{lo:.0%}–{hi:.0%} of the line", found=f"{share:.0%}", **ctx.where(rule.para))


def rules(ctx: Context) -> Iterator[Finding]:
    L = ctx.layout
    if L.motto is not None and ctx.profile.motto is not None:
        yield from _rule_share(ctx, "HDR-003", "Tiêu ngữ", L.motto_rule, [L.motto], "motto_rule_share", None, L.motto)
    spec = ctx.profile.national_rule
    if spec is not None and L.national is not None:
        yield from _rule_share(ctx, "HDR-006", ctx.profile.national_label, L.national_rule, [L.national], "",
                               None, L.national, spec=spec)
    if not L.issuers:
        if L.header_zone:
            yield Finding("HDR-005", "issuing body not found in the header", expected="its name, upper case, bold",
                          found="none", **ctx.where(L.header_zone[0]))
    elif ctx.profile.issuer_mark == "rule":
        column = L.issuers[-1].para.width_twips
        yield from _rule_share(ctx, "HDR-004", "issuing body", L.issuer_rule, L.issuers, "issuer_rule_share",
                               column, L.issuers[-1])
    else:
        yield from _issuer_mark(ctx)
    if L.doc_type is None:
        if L.subject is None:
            yield Finding("TTL-001", "no tên loại (KẾ HOẠCH, THÔNG BÁO …) under the header", found="none")
    else:
        yield from _rule_share(ctx, "TTL-002", "title", L.title_rule, [L.doc_type, *L.summary], "issuer_rule_share",
                               L.doc_type.para.width_twips, L.summary[-1] if L.summary else L.doc_type)


def _issuer_mark(ctx: Context) -> Iterator[Finding]:
    """Families that close the issuing body's block with a text mark (`*`, `***`), not a rule."""
    L, want = ctx.layout, ctx.profile.issuer_mark
    mark = L.issuer_mark
    if mark is None:
        if L.issuer_rule is not None and L.issuer_rule.twips:
            found = "a drawn rule"
        else:
            found = "none"
        yield Finding("HDR-007", f"no `{want}` under the issuing body", expected=want, found=found,
                      **ctx.where(L.issuers[-1]))
    elif mark.text.replace(" ", "") != want.replace(" ", ""):
        yield Finding("HDR-007", "wrong mark under the issuing body", expected=want, found=mark.text.strip(),
                      **ctx.where(mark))


def urgency(ctx: Context) -> Iterator[Finding]:
    """Ô 10b: an urgency mark (KHẨN, THƯỢNG KHẨN, HỎA TỐC) stands in a box; its size, weight and
    case are the element's (FMT rules)."""
    mark = ctx.layout.urgency
    if mark is not None and not mark.para.props.boxed:
        yield Finding("HDR-008", "urgency mark not boxed", expected="a box round the mark", found="no box",
                      element="urgency", **ctx.where(mark))


def _shape(profile, number: str = "NN", type_code: str = "LOẠI", issuers: str = "CƠ-QUAN") -> str:
    """The profile's Số line with placeholders: `Số: NN/KÝ-HIỆU`, `Số NN-LOẠI/CƠ-QUAN`."""
    if profile.symbol_format == "{type}-{issuers}":
        symbol = "KÝ-HIỆU" if number == "NN" else f"{type_code}-{issuers}"
    else:
        symbol = profile.symbol_format.format(type=type_code, issuers=issuers)
    return profile.number_format.format(number=number, symbol=symbol)


def _number_re(profile) -> re.Pattern:
    """`Số[:] <number> <separator> <ký hiệu>`, the separator from the profile's pattern (`/` or `-`)."""
    fmt = profile.number_format
    sep = fmt[fmt.index("{number}") + len("{number}"):fmt.index("{symbol}")].strip() or "/"
    if sep == "/":
        return _NUMBER
    return re.compile(r"^(?P<label>S[ốỐ])(?P<colon>\s*:)?\s*(?P<num>[^/%s]*?)\s*%s\s*(?P<sym>.*)$"
                      % (re.escape(sep), re.escape(sep)), re.I)


def number(ctx: Context) -> Iterator[Finding]:
    f = ctx.layout.number
    profile = ctx.profile
    prefix = profile.raw.get("number", {}).get("prefix", "Số: ").strip()
    if f is None:
        yield Finding("NUM-001", f"no `{prefix}` line in the header", expected=_shape(profile, "01", "KH", "ABC"),
                      found="none")
        return
    if f.is_tag:
        return
    text = " ".join(f.plain.split())
    where = ctx.where(f)
    if blanks.has_blank(text):
        # A form: the number and the parts of the ký hiệu left as blanks are counted with the
        # form's blanks (FORM-001); the label is still checked.
        colon = ":" in profile.number_format[:profile.number_format.index("{number}")]
        label = re.match(r"^(S[ốỐ])(\s*:)?", text, re.I)
        if label and (label.group(1) != "Số" or bool(label.group(2)) != colon):
            yield Finding("NUM-002", "write `Số:` with a colon" if colon else "write `Số` without a colon",
                          expected=prefix, found=label.group(0), **where)
        return
    m = _number_re(profile).match(text)
    if not m:
        yield Finding("NUM-002", f"`{prefix}` line is not `{_shape(profile)}`", expected=_shape(profile),
                      found=text, **where)
        return
    colon = ":" in profile.number_format[:profile.number_format.index("{number}")]
    if m.group("label") != "Số" or bool(m.group("colon")) != colon:
        yield Finding("NUM-002", "write `Số:` with a colon" if colon else "write `Số` without a colon",
                      expected=prefix, found=text.split("/")[0].split("-")[0].strip(), **where)
    num, sym = m.group("num"), m.group("sym")
    if not num.strip():
        yield Finding("NUM-004", "number left blank (a draft)", found=text, **where)
    elif not num.isdigit():
        yield Finding("NUM-002", "the number is not a number", expected="digits", found=num, **where)
    else:
        digits = int(profile.raw.get("number", {}).get("min_digits", 2))
        if len(num) < digits:
            yield Finding("NUM-003", "number without its leading zero", expected=num.zfill(digits), found=num, **where)
    joints = r"\d\s+/|/\s" if _number_re(profile) is _NUMBER else r"\d\s+[-/]|[-/]\s"
    if re.search(r"\s", sym) or re.search(joints, text):
        yield Finding("NUM-002", "ký hiệu has spaces", expected=re.sub(r"\s+", "", sym), found=sym, **where)
    bare = re.sub(r"\s+", "", sym)
    between = profile.symbol_format[len("{type}"):profile.symbol_format.index("{issuers}")] \
        if profile.symbol_format.startswith("{type}") else "-"
    if between == "/" and bare.count("/") != 1:
        yield Finding("NUM-002", "ký hiệu is not `LOẠI/CƠ-QUAN`", expected=profile.symbol_format.format(type="LOẠI", issuers="CƠ-QUAN"),
                      found=sym, **where)
    groups = re.split(r"[-/]", bare) if between == "/" else bare.split("-")
    mixed = set(profile.mixed_case_codes)  # written that way on purpose: `QĐ-TTg`, `TTr-…`
    lower = [g for g in groups if g and g not in mixed and g != g.upper()]
    if lower:
        yield Finding("NUM-002", "ký hiệu not in upper case",
                      expected=re.sub(r"[^-/]+", lambda g: g.group(0) if g.group(0) in mixed else g.group(0).upper(), bare),
                      found=sym, **where)
    if any(not g for g in groups):
        yield Finding("NUM-002", "empty group in the ký hiệu", expected="groups joined by single '-'", found=sym, **where)


def date(ctx: Context) -> Iterator[Finding]:
    f = ctx.layout.date
    if f is None and not ctx.layout.dated:
        return
    if f is None:
        yield Finding("DATE-001", "no date line in the header", expected="<Place>, ngày DD tháng M năm YYYY", found="none")
        return
    if f.is_tag:
        return
    text = " ".join(f.plain.split())
    where = ctx.where(f)
    if blanks.has_blank(text):
        # A form's date line: `…, ngày …… tháng …… năm ……`, blanks where the place and date go.
        shape = " ".join(blanks.strip(text, " _ ").split())
        if not _FORM_DATE.match(shape):
            yield Finding("DATE-001", "date line is not `<Place>, ngày DD tháng M năm YYYY`",
                          expected="<Place>, ngày DD tháng M năm YYYY", found=text, **where)
        return
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


RULES = (national, rules, urgency, number, date, template_note)
