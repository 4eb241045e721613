"""Turn a validated document into the values a template shows: the Vietnamese formatting step.

Placeholders are resolved, labels (I., 1., a), -) and target lines composed, the number and
date lines formatted by Decree 30's rules, and the drawn rules sized from the text they sit
under. Templates then only place these values; they compute nothing.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from .. import vn
from ..model import COPY_MARKS, Document, Target, expand
from ..profile import Profile, load_profile, text_width_pt
from . import ooxml as ox
from .body import BodyWriter, section_entries
from .kinds import kind_of

from .parts import (annex_context, body_picture, body_table, centred_opening, confirmation_lines, own_parts,
                    telegram_lines)
from .richtext import plain

CLOSING_MARK = "./."


def closed(text: str) -> str:
    """The last paragraph of a text ends with `./.`: `…thực hiện.` → `…thực hiện./.`."""
    text = text.rstrip()
    if text.endswith(CLOSING_MARK):
        return text
    return (text[:-1] if text.endswith((".", ";", ",")) else text) + CLOSING_MARK


def _rule(profile: Profile, lines: list[tuple[str, str]], column_twips: int) -> Markup:
    """A rule `issuer_rule_share` as long as the widest of `lines` (text, element), within the column."""
    widest = 0.0
    for text, element in lines:
        el = profile.element(element)
        widest = max(widest, text_width_pt(plain(text), el.size.value, bold=bool(el.bold)) * 20)
    width = round(min(widest, column_twips) * profile.header_spec("issuer_rule_share").value)
    return Markup(ox.rule_paragraph(width, column_twips, profile.header("rule_weight_eighths"), profile.font))


def _urgency(profile: Profile, mark: str | None, column_twips: int) -> Markup | None:
    """Ô 10b: the urgency mark in a box as wide as the word, under the Số line."""
    if not mark:
        return None
    el = profile.element("urgency")
    fmt = ox.RunFormat(profile.font, el.size.value, bold=bool(el.bold))
    width = round((text_width_pt(vn.upper(mark), el.size.value, bold=bool(el.bold)) + 12) * 20)
    return Markup(ox.boxed_paragraph(vn.upper(mark), fmt, width, column_twips, profile.header("rule_weight_eighths")))


def target_line(t: Target, year: int, anniversaries) -> str:
    """`90% tập thể đạt …`, with `, trong đó 20% …` for the parts of a target."""
    x = lambda s: expand(s, year, anniversaries)  # noqa: E731
    if t.share is None:
        return x(t.text)
    line = " ".join(p for p in (vn.format_percent(t.share), x(t.base or ""), x(t.text)) if p)
    for sub in t.of_which:
        line += f", trong đó {vn.format_percent(sub.share)} {x(sub.text)}"
    return line


def basis_lines(lines: list[str]) -> list[str]:
    """Căn cứ lines: a line typed without a final mark gets `;`, the last one `.`.

    Punctuation the data typed is kept as typed (a `,` before the action is correct; a wrong
    mark is the checker's to report, not ours to change).
    """
    out = []
    for i, text in enumerate(lines):
        text = text.rstrip()
        out.append(text if text.endswith((";", ".", ",")) else text + ("." if i == len(lines) - 1 else ";"))
    return out


def _target_lines(doc: Document, year: int) -> list[str]:
    texts = [target_line(t, year, doc.anniversaries) for t in doc.targets]
    return [f"- {t}{'.' if k == len(texts) - 1 else ';'}" for k, t in enumerate(texts)]


def _signer(s) -> dict[str, Any]:
    note = s.note.strip().removeprefix("(").removesuffix(")").strip() if s.note else None
    return {"authority_lines": s.authority_lines, "position": s.position, "name": s.name, "note": note, "pad": []}


def _level(sides: dict[str, Any]) -> dict[str, Any]:
    """Two blocks side by side sign at one height: the block with fewer title lines (`KT. GIÁM ĐỐC`
    / position beside `TM. BAN CHẤP HÀNH` / `KT. CHỦ TỊCH` / position) gets blank lines under its
    position, so that the two names stand on one line."""
    lines = {k: len(s["authority_lines"]) + 1 + bool(s["note"]) for k, s in sides.items()}
    most = max(lines.values())
    return {k: {**s, "pad": list(range(most - lines[k]))} for k, s in sides.items()}


def signer_sides(doc: Document, profile: Profile, in_order: bool = False) -> dict[str, Any]:
    """Place signers: the lead body's signer on the right by default (joint documents); `in_order`
    (a biên bản's thư ký and chủ tọa): left to right as typed. No signer: no signature block."""
    if not doc.signers:
        return {"left": None, "right": None}
    if len(doc.signers) == 1:
        return {"left": None, "right": _signer(doc.signers[0])}
    if in_order:
        return _level({"left": _signer(doc.signers[0]), "right": _signer(doc.signers[1])})
    lead_side = doc.lead_signs_on or profile.lead_position
    lead = next((s for s in doc.signers if s.issuer == doc.lead.code), doc.signers[0])
    other = next(s for s in doc.signers if s is not lead)
    sides = {"right": lead, "left": other} if lead_side == "right" else {"left": lead, "right": other}
    return _level({side: _signer(s) for side, s in sides.items()})


def addressee_lines(doc: Document) -> dict[str, Any] | None:
    """`Kính gửi: X.` on one line, or one `- X;` line per addressee, the last ending with `.`."""
    names = [a.rstrip(" ;.") for a in doc.addressees]
    if not names:
        return None
    if len(names) == 1:
        return {"single": f"Kính gửi: {names[0]}.", "lines": []}
    return {"single": None, "lines": [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]}


def recipient_lines(doc: Document) -> list[str]:
    """Nơi nhận: the recipients, `- Như trên;` first where there is a Kính gửi, `- Lưu: …` last;
    nothing at all when the data names no recipient and no archive (validate warns)."""
    recipients = list(doc.recipients)
    if not recipients and not doc.archive:
        return []
    lines = [f"- {r.name} ({r.purpose});" if r.purpose else f"- {r.name};" for r in recipients]
    if doc.addressees and not (recipients and recipients[0].name.rstrip(" ;.").lower() == "như trên"):
        lines.insert(0, "- Như trên;")
    if doc.archive:
        lines.append(f"- Lưu: {', '.join(doc.archive)}.")
    elif lines:
        lines[-1] = lines[-1].rstrip(";") + "."
    return lines


_UNITS = {"TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG"}
_UNITS_2 = {("THÀNH", "PHỐ"), ("THỊ", "XÃ"), ("THỊ", "TRẤN"), ("ĐẶC", "KHU")}


def _good_break(words: list[str], i: int) -> bool:
    """A break before `words[i]` that keeps a place with its unit (`ỦY BAN NHÂN DÂN` / `TỈNH
    TUYÊN QUANG`), or one after a comma."""
    if words[i - 1].endswith(","):
        return True
    if tuple(words[i:i + 2]) in _UNITS_2:
        return True
    return words[i] in _UNITS and words[i - 1] != "THỊ"


def header_name(text: str, element, width_pt: float) -> str:
    """A header name as printed: a line break typed in it is kept; a name too long for its
    column is broken, on as few lines as the column needs, before an administrative unit
    (`TỈNH`, `HUYỆN`, `THÀNH PHỐ` … with its place name) or after a comma where such a break
    fits; else where the column would break it, except that a lone word on the last line takes
    the word before it along (widths from the profile's font metrics)."""
    from itertools import combinations

    if "\n" in text:
        return "\n".join(part.strip() for part in text.split("\n"))
    words = text.split()
    size, bold = element.size.value, bool(element.bold)
    width = lambda ws: text_width_pt(" ".join(ws), size, bold=bold)  # noqa: E731
    if len(words) < 3 or width(words) <= width_pt:
        return text
    lines: list[list[str]] = [[]]
    for w in words:  # greedy: how many lines the column needs
        if lines[-1] and width(lines[-1] + [w]) > width_pt:
            lines.append([])
        lines[-1].append(w)
    greedy = [sum(len(ws) for ws in lines[:k]) for k in range(1, len(lines))]
    goods = [i for i in range(1, len(words)) if _good_break(words, i)]
    for count in (len(lines), len(lines) + 1):  # one line more rather than a place name split
        best = None
        for cuts in combinations(goods, count - 1):
            parts = [words[a:b] for a, b in zip((0, *cuts), (*cuts, len(words)))]
            if any(len(ws) == 1 or width(ws) > width_pt for ws in parts):
                continue
            score = max(width(ws) for ws in parts)
            if best is None or score < best[0]:
                best = (score, list(cuts), parts)
        if best is not None:
            return text if best[1] == greedy else "\n".join(" ".join(ws) for ws in best[2])
    if len(lines[-1]) > 1 or len(lines[-2]) < 3:
        return text  # the column's own wrap leaves no word alone (or no better break exists)
    # Carry the last word of the line above down to the lone word (`… GIÁO DỤC` / `NGHỀ NGHIỆP`).
    lines[-1].insert(0, lines[-2].pop())
    return "\n".join(" ".join(ws) for ws in lines)


def symbol_of(doc: Document, profile: Profile | None = None) -> str:
    """The ký hiệu as the document's profile composes it: `PĐTĐ-CTĐP-CĐC`, or the Party's `KH/ĐU`."""
    profile = profile or load_profile(getattr(doc, "profile", None) or "decree30")
    codes = [i.code for i in doc.issuers] + ([doc.drafting_unit] if doc.drafting_unit else [])
    return vn.symbol(doc.type_code, codes, profile.symbol_format)


def number_line_of(doc: Document, profile: Profile | None = None) -> str:
    """The Số line in the profile's pattern: `Số: 05/KH-UBND`, `Số 05-KH/ĐU`, `Số: 12-KH/ĐTN-VP`."""
    profile = profile or load_profile(getattr(doc, "profile", None) or "decree30")
    return vn.number_line(doc.number, symbol_of(doc, profile), profile.number_format)


def document_context(doc: Document, profile: Profile | None = None) -> dict[str, Any]:
    """Everything the dispatch template shows, formatted."""
    profile = profile or load_profile(doc.profile)
    year = doc.campaign_year
    x = lambda s: expand(s, year, doc.anniversaries)  # noqa: E731
    header_total = ox.twips_mm(profile.header("table_width_mm"))
    left_col = round(header_total * profile.header_spec("left_width_pct").value / 100)
    column_pt = left_col / 20
    issuers = [{"parent": header_name(vn.upper(i.parent), profile.element("parent_body"), column_pt) if i.parent else None,
                "name": header_name(vn.upper(i.header_name or i.name), profile.element("issuing_body"), column_pt)}
               for i in doc.issuers]
    issuer_lines = [(line, "issuing_body") for i in issuers for line in i["name"].split("\n")]
    title = vn.upper(doc.title) if doc.title else None
    subtitle = x(doc.subtitle) if doc.subtitle else None
    title_lines = ([(title, "doc_type")] if title else []) + ([(subtitle, "summary")] if subtitle else [])
    spec = kind_of(doc.template)
    pictures: list[tuple[str, str, bytes]] = []
    writer = BodyWriter(doc.numbering, x, table=lambda t: body_table(profile, t),
                        image=lambda i: body_picture(doc, profile, i, pictures))
    opening, closing = own_parts(doc, x)
    targets = lambda: _target_lines(doc, year)  # noqa: E731
    section_entries(doc.sections, writer, targets)
    writer.articles(doc.articles)
    closing += [x(p) for p in doc.closing]
    if closing:
        closing[-1] = closed(closing[-1])
    elif writer.out and writer.out[-1]["kind"] in ("body", "article") and (doc.articles or doc.template != "phat-dong"):
        last = writer.out[-1]  # the body ends with its last Điều or line (`phat-dong` prints its text as typed)
        last["text"] = last[last["kind"]] = closed(last["text"])
    number_line = number_line_of(doc, profile)
    action = doc.action or (spec.action if spec and doc.articles else None)
    when = doc.date or dt.date(year, 1, 1)
    stamp = f"{when.isoformat()}T00:00:00Z"
    return {
        "issuers": issuers,
        # A drawn rule under the issuing body, or None where the profile sets a mark (`*`) there.
        "issuer_rule": _rule(profile, issuer_lines, left_col) if profile.issuer_mark == "rule" else None,
        "number_line": number_line,
        "date_line": vn.date_line(doc.place, doc.date, year) if not spec or spec.date_in_header else None,
        "title": title,
        "subtitle": subtitle,
        "title_rule": _rule(profile, title_lines, ox.text_width_twips(profile)) if title_lines else None,
        "subject": f"V/v {x(doc.subject)}" if doc.subject else None,
        "urgency_mark": _urgency(profile, doc.urgency, left_col),
        "addressees": addressee_lines(doc),
        "authority": vn.upper(x(doc.authority)) if doc.authority else None,
        "telegram": telegram_lines(doc, x),
        "legal_basis": basis_lines([x(p) for p in doc.legal_basis] + ([x(doc.proposal)] if doc.proposal else [])),
        "action": vn.upper(action) if action else None,
        "opening_centred": centred_opening(doc),
        "opening": opening + [x(p) for p in doc.opening],
        "body": writer.out,
        "closing": closing,
        "annexes": [annex_context(doc, profile, a, x, number_line, writer.image, targets) for a in doc.annexes],
        "copy_mark": COPY_MARKS[doc.copy_of.kind] if doc.copy_of else None,
        "pictures": pictures,
        "signers": signer_sides(doc, profile, bool(spec and spec.signers_in_order)),
        "confirmation": confirmation_lines(doc, x),
        "recipients": recipient_lines(doc),
        "drafter_mark": doc.drafter_mark,
        "contact": [x(line) for line in doc.contact],
        "core": {
            "title": " ".join(plain(t) for t in (doc.title or "", subtitle or "", doc.subject or "") if t).strip(),
            "subject": number_line,
            "author": doc.author or doc.lead.name,
            "keywords": doc.id,
            "created": stamp,
            "modified": stamp,
        },
    }
