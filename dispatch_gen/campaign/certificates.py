"""Giấy khen: one certificate per awardee, rendered as a batch, optionally merged into one PDF.

A certificate names the awardee's highest title (among those chosen in `certificates.titles`)
and cites the decision that conferred it: its number and date come from the number book once
the decision is issued, else the certificate keeps the blanks a văn thư fills by hand. Files are
named `NNN-<name in ASCII>.docx` in the order of the decision's list, so the same results give
the same files; the merged PDF holds them in that order, one page each.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import vn
from ..book import book_exists, open_book
from ..model import Document
from ..render.context import signer_sides, symbol_of
from ..profile import load_profile
from . import titles as catalogue
from .awards import Awardee, awardees, by_highest_title
from ..writers.leftovers import staging_folder
from .batch import render_batch, swap_folder
from .decision import authority, decision_document
from .documents import fill
from .load import Campaign, Results

DEFAULT_CITATION = "Đã đạt danh hiệu {title} năm {year}."
FOLDER = "giay-khen"


def chosen(results: Results) -> list[tuple[Awardee, str]]:
    """(awardee, title printed) in the decision's order; only the titles `certificates.titles` allows."""
    allowed = results.data.certificates.titles
    out = []
    for _, group in by_highest_title(awardees(results)):
        for a in group:
            titles = [t for t in a.titles if allowed is None or t in allowed]
            if titles:
                out.append((a, titles[0]))
    return out


def issued_decision(campaign: Campaign, results: Results, registry: str | Path | None) -> Document:
    """The decision as the book knows it: its number and date once issued (the book is not created)."""
    doc = decision_document(campaign, results)
    if book_exists(registry):
        with open_book(registry) as book:
            entry = book.find(doc.id)
        if entry is not None:
            date = dt.date.fromisoformat(entry.date) if entry.date else doc.date
            return doc.model_copy(update={"number": entry.number, "date": date})
    return doc


NBSP = "\u00a0"


def unbroken(text: str) -> str:
    """The award title kept on one line (no-break spaces): a certificate must not print
    “Lao động tiên / tiến” over two lines."""
    return text.replace(" ", NBSP)


def file_name(n: int, awardee: Awardee) -> str:
    return f"{n:03d}-{vn.to_ascii(awardee.name)}.docx"


def output_folder(decision: Document, results: Results, out_dir: Path) -> Path:
    """`<out>/<year of the decision>/giay-khen/`: beside the decision they follow."""
    year = decision.date.year if decision.date else results.year
    return Path(out_dir) / str(year) / FOLDER


def _recipient(a: Awardee) -> tuple[str, str]:
    if a.kind == "unit":
        return a.name, ""
    honorific = {"nam": "Ông ", "nữ": "Bà "}.get(a.gender or "", "")
    detail = ", ".join(p for p in (a.position, a.unit) if p)
    return honorific + a.name, detail


def certificate_contexts(campaign: Campaign, results: Results, decision: Document,
                         folder: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(path, context) of every certificate, lazily: the batch streams them."""
    settings = results.data.certificates
    year = results.year
    who = settings.authority or authority(decision, results)
    signer = settings.signer or decision.signers[-1]
    place = settings.place or decision.place
    date = settings.date or decision.date
    number = vn.doc_number(decision.number)
    decision_line = f"Quyết định số{number if decision.number is None else ' ' + number}/{symbol_of(decision)}"
    decision_date = vn.date_line(None, decision.date, year)
    signers = signer_sides(decision.model_copy(update={"signers": [signer]}), load_profile(decision.profile))
    stamp = f"{(date or dt.date(year, 12, 31)).isoformat()}T00:00:00Z"
    for n, (a, title) in enumerate(chosen(results), 1):
        recipient, detail = _recipient(a)
        citation = fill(settings.citation or DEFAULT_CITATION, {"title": unbroken(catalogue.quoted(title))},
                        campaign.document, year)
        yield folder / file_name(n, a), {
            "authority": vn.upper(who),
            "recipient": recipient,
            "detail": detail,
            "citation": citation,
            "decision_line": decision_line,
            "decision_date": decision_date,
            "date_line": vn.date_line(place, date, year),
            "signers": signers,
            "core": {"title": f"Giấy khen - {a.name}", "subject": f"{decision_line} {decision_date}",
                     "author": decision.lead.name, "keywords": f"{decision.id}-giay-khen-{n:03d}",
                     "created": stamp, "modified": stamp},
        }


def write_certificates(campaign: Campaign, results: Results, template: Path | bytes, out_dir: Path,
                       registry: str | Path | None = None, workers: int | None = None,
                       progress: Callable[[int], None] | None = None) -> list[Path]:
    """Render every certificate; the folder is replaced as a whole once the batch is complete.

    The batch is written into a staging folder beside the target and swapped in at the end, so a
    failed or interrupted batch leaves the previous certificates as they were, and certificates
    of an earlier run that are not made again do not linger.
    """
    decision = issued_decision(campaign, results, registry)
    folder = output_folder(decision, results, out_dir)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(folder)
    try:
        count = render_batch(template, certificate_contexts(campaign, results, decision, staging),
                             count=len(chosen(results)), workers=workers, progress=progress)
        swap_folder(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / file_name(n, a) for n, (a, _) in enumerate(chosen(results)[:count], 1)]


def merged_pdf(paths: list[Path], target: Path) -> Path:
    """One PDF of every certificate, in order, for printing in one go (LibreOffice needed)."""
    from ..writers.pdf import convert_to_pdf, merge_pdfs

    with tempfile.TemporaryDirectory(prefix="giay-khen-pdf-") as tmp:
        pdfs = convert_to_pdf(paths, tmp)
        return merge_pdfs(pdfs, target)
