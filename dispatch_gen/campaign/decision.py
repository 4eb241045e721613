"""The quyết định công nhận danh hiệu thi đua (QĐ): căn cứ, articles, and the list as a phụ lục.

Issued by the lead body alone (the head of the agency decides titles), so by default its header
and signer are the launch's lead issuer and that issuer's signer. The phụ lục has its own
heading, title and `(Kèm theo Quyết định số … ngày … của …)` note, which follows the decision's
number and date once the number book has given them; its table groups awardees by their highest
title and ends with the total, which the `Bằng chữ` line and Điều 2 repeat in words.
"""
from __future__ import annotations

from typing import Any

from .. import vn
from ..errors import Problem
from ..model import Document
from ..render.context import basis_lines, symbol_of
from . import titles as catalogue
from .awards import KIND_NOUN, Awardee, by_highest_title, priced_awardees
from .documents import build_document, fill, fill_own, placeholder_problems
from .load import Campaign, Results

CLOSING_MARK = "./."
ARTICLE_PLACEHOLDERS = ("collectives", "people", "total", "total_words")
DEFAULT_ARTICLES = (
    "Công nhận danh hiệu thi đua năm {year} cho {collectives} tập thể và {people} cá nhân (có danh sách kèm theo).",
    "Tiền thưởng kèm theo danh hiệu: {total} đồng (Bằng chữ: {total_words}).",
    "Thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
    "Quyết định này.",
)
LEGAL_BASIS_PLACEHOLDER = "**[Cần bổ sung: các căn cứ ban hành — mục `decision.legal_basis` của tệp kết quả]**"


def _defaults(campaign: Campaign) -> dict[str, Any]:
    launch = campaign.document
    lead = launch.lead
    signer = next((s for s in launch.signers if s.issuer == lead.code), launch.signers[-1])
    return {
        "id": f"{launch.id}-quyet-dinh",
        "template": "quyet-dinh",
        "type_code": "QĐ",
        "title": "Quyết định",
        "subtitle": "Về việc công nhận danh hiệu thi đua năm {year}",
        "issuers": [lead.model_dump(exclude_none=True)],
        "signers": [signer.model_dump(by_alias=True, exclude_none=True)],
        "recipients": [{"name": "Như Điều 3"}] + [r.model_dump(exclude_none=True) for r in launch.recipients],
        "lead_signs_on": None,
    }


def decision_document(campaign: Campaign, results: Results) -> Document:
    doc = build_document(campaign, results, "decision", results.data.decision, _defaults(campaign))
    return doc.model_copy(update={"subtitle": fill_own(doc.subtitle, {}) if doc.subtitle else None})


def authority(doc: Document, results: Results) -> str:
    """Thẩm quyền ban hành: as set, else the signer's head post and the issuing body (Cục trưởng Cục …)."""
    if results.data.decision.authority:
        return results.data.decision.authority
    signer = doc.signers[-1]
    post = signer.for_ if signer.authority in ("KT.", "Q.", "TL.", "TUQ.") and signer.for_ else signer.position
    return f"{post} {doc.lead.name}"


def decision_problems(campaign: Campaign, results: Results) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings): unknown placeholders; no căn cứ."""
    settings = results.data.decision
    fields = {k: getattr(settings, k) for k in ("subtitle", "articles", "annex_title", "legal_basis")
              if getattr(settings, k) is not None}
    errors = placeholder_problems(results, campaign.document, "decision", fields, ARTICLE_PLACEHOLDERS)
    warnings = [] if settings.legal_basis else [
        results.at(("decision", "legal_basis"), "no `decision.legal_basis` (căn cứ): the decision shows a placeholder")]
    return errors, warnings


def _row(n: int, a: Awardee) -> dict[str, str]:
    return {
        "number": str(n),
        "name": a.name,
        "position": (a.position or "") if a.kind == "person" else "",
        "unit": a.unit if a.kind == "person" else "",
        "titles": ", ".join(a.titles),
        "amount": vn.format_money(a.amount),
    }


def annex_note(doc: Document, authority_text: str, year: int) -> str:
    """`(Kèm theo Quyết định số 15/QĐ-CTĐP ngày 25 tháng 12 năm 2024 của Cục trưởng Cục …)`; blanks in a draft."""
    number = vn.doc_number(doc.number)
    number = number if doc.number is None else f" {number}"
    return (f"(Kèm theo Quyết định số{number}/{symbol_of(doc)} {vn.date_line(None, doc.date, year)} "
            f"của {authority_text})")


def decision_context(doc: Document, campaign: Campaign, results: Results) -> dict[str, Any]:
    """Authority, căn cứ, articles and the phụ lục of the decision, every figure computed."""
    settings = results.data.decision
    year = results.year
    people = priced_awardees(results)
    total = sum(a.amount for a in people)
    values = {
        "collectives": sum(1 for a in people if a.kind == "unit"),
        "people": sum(1 for a in people if a.kind == "person"),
        "total": vn.format_money(total),
        "total_words": vn.amount_in_words(total),
    }
    x = lambda t: fill(t, values, campaign.document, year)  # noqa: E731
    texts = [x(t) for t in (settings.articles or DEFAULT_ARTICLES)]
    if not texts[-1].rstrip().endswith(CLOSING_MARK):
        texts[-1] = texts[-1].rstrip().rstrip(".") + CLOSING_MARK
    groups = []
    for g, (title, members) in enumerate(by_highest_title(people), 1):
        noun = KIND_NOUN[members[0].kind]
        groups.append({
            "heading": f"{vn.roman(g)}. Danh hiệu {catalogue.quoted(title)}: {len(members)} {noun}",
            "rows": [_row(n, a) for n, a in enumerate(members, 1)],
        })
    who = authority(doc, results)
    title = x(settings.annex_title or "Danh sách tập thể, cá nhân được công nhận danh hiệu thi đua năm {year}")
    return {
        "authority": vn.upper(who),
        "legal_basis": basis_lines([x(t) for t in settings.legal_basis]) if settings.legal_basis
        else [LEGAL_BASIS_PLACEHOLDER],
        "articles": [{"label": f"Điều {i}.", "text": t} for i, t in enumerate(texts, 1)],
        "annex": {
            "heading": "Phụ lục",
            "title": vn.upper(title),
            "note": annex_note(doc, who, year),
            "groups": groups,
            "total": vn.format_money(total),
            "total_words": vn.amount_in_words(total) + ".",
            "total_amount": total,
        },
    }
