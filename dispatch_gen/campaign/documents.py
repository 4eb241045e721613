"""Turn a document section of the results file (`report:`, `decision:`) into a Decree 30 `Document`.

The report and the decision are issued by the office that launched the campaign, so whatever a
section leaves out is taken from the launch document: issuing bodies, place, signers, Nơi nhận,
profile, anniversaries. The result is an ordinary `Document` (same header, Số, date, signature and
Nơi nhận blocks as the dispatch) that the number book can issue and revise; its problems are
reported at the section's keys in the results file.

Texts may use the launch's placeholders ({year}, {anniversary:KEY} …) and the ones each document
defines (`{launch}`, the decision's `{total}` …); an unknown placeholder is an error, not a
silent literal in an issued document.
"""
from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from .. import vn
from ..errors import DataError, Problem
from ..model import PLACEHOLDER, Document, between_braces, consistency_problems, expand
from ..render.context import symbol_of
from .load import Campaign, Results
from .results import DocumentSettings

CAMPAIGN_PLACEHOLDERS = ("year", "previous_year", "next_year", "anniversary")


def launch_reference(campaign: Document) -> str:
    """`số 31/PĐTĐ-CTĐP-CĐC ngày 12 tháng 01 năm 2024`: how later documents cite the launch."""
    number = vn.doc_number(campaign.number).strip()
    ref = f"số {number}/{symbol_of(campaign)}" if number else f"ký hiệu {symbol_of(campaign)}"
    return ref + (f" {vn.date_line(None, campaign.date)}" if campaign.date else "")


def fill_own(text: str, values: dict[str, Any]) -> str:
    """Resolve only this document's placeholders; `{{`, `}}` and the launch's ones stay for `expand`.

    Used on texts that `document_context` expands later (opening, closing, trích yếu), so that a
    text is expanded exactly once.
    """
    def sub(m: re.Match) -> str:
        name, key = m.group(1), m.group(2)
        return str(values[name]) if key is None and name in values else m.group(0)

    return between_braces(text, lambda segment: PLACEHOLDER.sub(sub, segment), "{{", "}}")


def fill(text: str, values: dict[str, Any], campaign: Document, year: int) -> str:
    """Resolve this document's placeholders, then the launch's ({year}, {anniversary:KEY} …)."""
    return expand(fill_own(text, values), year, campaign.anniversaries)


def placeholder_problems(results: Results, campaign: Document, section: str, fields: dict[str, Any],
                         known: tuple[str, ...]) -> list[Problem]:
    """Every unknown placeholder in a section's texts, at its key."""
    problems = []
    allowed = CAMPAIGN_PLACEHOLDERS + known
    for name, value in fields.items():
        texts = value if isinstance(value, list) else [value]
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                continue
            loc = (section, name, i) if isinstance(value, list) else (section, name)
            for m in PLACEHOLDER.finditer(text.replace("{{", "").replace("}}", "")):
                ph, key = m.group(1), m.group(2)
                if ph not in allowed:
                    shown = ", ".join("{" + k + "}" for k in allowed if k != "anniversary")
                    problems.append(results.at(loc, f"unknown placeholder {m.group(0)} (known here: {shown}, {{anniversary:KEY}})"))
                elif ph == "anniversary" and key not in campaign.anniversaries:
                    problems.append(results.at(loc, f"{m.group(0)}: the launch document defines no anniversary {key!r}"))
    return problems


def build_document(campaign: Campaign, results: Results, section: str, settings: DocumentSettings,
                   defaults: dict[str, Any]) -> Document:
    """The section's document: launch values ← `defaults` for this kind ← what the section says."""
    launch = campaign.document
    base: dict[str, Any] = {
        "profile": launch.profile,
        "issuers": [i.model_dump(by_alias=True, exclude_none=True) for i in launch.issuers],
        "place": launch.place,
        "year": results.year,
        "signers": [s.model_dump(by_alias=True, exclude_none=True) for s in launch.signers],
        "lead_signs_on": launch.lead_signs_on,
        "recipients": [r.model_dump(exclude_none=True) for r in launch.recipients],
        "archive": list(launch.archive),
        "anniversaries": {k: a.model_dump(exclude_none=True) for k, a in launch.anniversaries.items()},
        "author": launch.author,
    }
    base.update(defaults)
    own = settings.model_dump(by_alias=True, exclude_none=True, include=set(DocumentSettings.model_fields))
    base.update(own)
    base = {k: v for k, v in base.items() if v is not None}
    try:
        doc = Document.model_validate(base)
    except ValidationError as exc:
        raise DataError([results.at((section,) + tuple(e["loc"]), e["msg"]) for e in exc.errors()]) from None
    problems = [results.at((section,) + loc, msg) for loc, msg in consistency_problems(doc)
                if loc[:1] not in (("opening",), ("closing",), ("subtitle",))]
    if problems:
        raise DataError(problems)
    return doc
