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
from ..model import Document, Section, Target, expand
from ..profile import Profile, load_profile, text_width_pt
from . import ooxml as ox
from .richtext import plain

CLOSING_MARK = "./."


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


def _label(numbering: str, index: int) -> str:
    return {"arabic": f"{index}.", "letters": f"{vn.letter(index)})", "dash": "-", "none": ""}[numbering]


def _target_lines(doc: Document, year: int) -> list[str]:
    texts = [target_line(t, year, doc.anniversaries) for t in doc.targets]
    return [f"- {t}{'.' if k == len(texts) - 1 else ';'}" for k, t in enumerate(texts)]


def _section(doc: Document, index: int, sec: Section, year: int) -> dict[str, Any]:
    x = lambda s: expand(s, year, doc.anniversaries)  # noqa: E731
    items = []
    for n, item in enumerate(sec.items, 1):
        label = _label(sec.numbering, n)
        lines = [f"- {x(b)}" for b in item.bullets]
        lines += [f"{vn.letter(k)}) {x(p)}" for k, p in enumerate(item.points, 1)]
        if item.targets:
            lines += _target_lines(doc, year)
        items.append({"text": f"{label} {x(item.text)}".strip(), "paragraphs": [x(p) for p in item.paragraphs],
                      "lines": lines})
    return {
        "heading": f"{vn.roman(index)}. {x(sec.heading)}",
        "paragraphs": [x(p) for p in sec.paragraphs],
        "lines": [f"- {x(b)}" for b in sec.bullets] + (_target_lines(doc, year) if sec.targets else []),
        "clauses": items,
    }


def _signer(s) -> dict[str, Any]:
    return {"authority_lines": s.authority_lines, "position": s.position, "name": s.name}


def signer_sides(doc: Document, profile: Profile) -> dict[str, Any]:
    """Place signers: the lead body's signer on the right by default (joint documents)."""
    if len(doc.signers) == 1:
        return {"left": None, "right": _signer(doc.signers[0])}
    lead_side = doc.lead_signs_on or profile.lead_position
    lead = next((s for s in doc.signers if s.issuer == doc.lead.code), doc.signers[0])
    other = next(s for s in doc.signers if s is not lead)
    sides = {"right": lead, "left": other} if lead_side == "right" else {"left": lead, "right": other}
    return {side: _signer(s) for side, s in sides.items()}


def addressee_lines(doc: Document) -> dict[str, Any] | None:
    """`Kính gửi: X.` on one line, or one `- X;` line per addressee, the last ending with `.`."""
    names = [a.rstrip(" ;.") for a in doc.addressees]
    if not names:
        return None
    if len(names) == 1:
        return {"single": f"Kính gửi: {names[0]}.", "lines": []}
    return {"single": None, "lines": [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]}


def recipient_lines(doc: Document) -> list[str]:
    recipients = list(doc.recipients)
    lines = [f"- {r.name} ({r.purpose});" if r.purpose else f"- {r.name};" for r in recipients]
    if doc.addressees and not (recipients and recipients[0].name.rstrip(" ;.").lower() == "như trên"):
        lines.insert(0, "- Như trên;")
    lines.append(f"- Lưu: {', '.join(doc.archive)}.")
    return lines


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
    issuers = [{"parent": i.parent, "name": i.header_name or i.name} for i in doc.issuers]
    issuer_lines = [(vn.upper(i["name"]), "issuing_body") for i in issuers]
    title = vn.upper(doc.title) if doc.title else None
    subtitle = x(doc.subtitle) if doc.subtitle else None
    title_lines = ([(title, "doc_type")] if title else []) + ([(subtitle, "summary")] if subtitle else [])
    closing = [x(p) for p in doc.closing]
    if closing and not closing[-1].rstrip().endswith(CLOSING_MARK):
        closing[-1] = closing[-1].rstrip() + CLOSING_MARK
    number_line = number_line_of(doc, profile)
    when = doc.date or dt.date(year, 1, 1)
    stamp = f"{when.isoformat()}T00:00:00Z"
    return {
        "issuers": issuers,
        # A drawn rule under the issuing body, or None where the profile sets a mark (`*`) there.
        "issuer_rule": _rule(profile, issuer_lines, left_col) if profile.issuer_mark == "rule" else None,
        "number_line": number_line,
        "date_line": vn.date_line(doc.place, doc.date, year),
        "title": title,
        "subtitle": subtitle,
        "title_rule": _rule(profile, title_lines, ox.text_width_twips(profile)) if title_lines else None,
        "subject": f"V/v {x(doc.subject)}" if doc.subject else None,
        "urgency_mark": _urgency(profile, doc.urgency, left_col),
        "addressees": addressee_lines(doc),
        "legal_basis": basis_lines([x(p) for p in doc.legal_basis]),
        "opening": [x(p) for p in doc.opening],
        "sections": [_section(doc, i, s, year) for i, s in enumerate(doc.sections, 1)],
        "closing": closing,
        "signers": signer_sides(doc, profile),
        "recipients": recipient_lines(doc),
        "drafter_mark": doc.drafter_mark,
        "core": {
            "title": " ".join(plain(t) for t in (doc.title or "", subtitle or "", doc.subject or "") if t).strip(),
            "subject": number_line,
            "author": doc.author or doc.lead.name,
            "keywords": doc.id,
            "created": stamp,
            "modified": stamp,
        },
    }
