"""The documents one file holds: each is checked against its own kind.

A file may hold one document, or several one after another: the models of Phụ lục III (each under
its caption `Mẫu 1.1 - Nghị quyết (cá biệt)`), a decision followed by the văn bản it issues (with a
header of its own), a phụ lục sent as a file of its own. A new part starts at a model's caption
and at a header that follows a document's text (the Quốc hiệu, in the first row of its own table
or on its own line, with the Tiêu ngữ under it). A phụ lục that follows its document stays in that
document's part: it is checked there, as its phụ lục (see `layout._annexes`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..profile import Profile
from . import blanks
from .layout import ANNEX_FOLD, NUMBER_RE, fold
from .reader import DocxDoc, Para

# A model's caption in a collection of models: `Mẫu 1.1 - …`, `Mẫu số 01/…`, `Mẫu văn bản (…)`.
CAPTION_RE = re.compile(r"^Mẫu\s+(\d+(\.\d+)*\b|số\s+\S+|văn bản\b)", re.I)


@dataclass
class Part:
    """One document of a file: its paragraphs, the caption it stands under, and its kind."""

    paras: list[Para]
    caption: list[Para] = field(default_factory=list)
    kind: str = "document"  # "annex": a phụ lục on its own (no header, signature or Nơi nhận)
    number: int = 1

    @property
    def name(self) -> str:
        if self.caption:
            return " ".join(" ".join(p.plain.split()) for p in self.caption) or f"part {self.number}"
        first = next((p for p in self.paras if not p.is_empty and not p.is_control), None)
        text = " ".join(first.plain.split()) if first is not None else ""
        return f"part {self.number}" + (f" ({text[:40]})" if text else "")


def _is_caption(p: Para) -> bool:
    return p.table is None and len(p.clean) < 200 and bool(CAPTION_RE.match(p.plain.strip()))


def _national_keys(profile: Profile) -> tuple[str, str | None]:
    motto = profile.motto
    return fold(profile.header("national_title")), fold(motto) if motto else None


def _header_starts(doc: DocxDoc, profile: Profile) -> list[int]:
    """Positions where a header begins: the Quốc hiệu (or the family's tiêu đề) with the Tiêu ngữ
    under it, in a two-column header table (its first paragraph) or on a line of its own."""
    nat, motto = _national_keys(profile)
    paras = doc.paras
    starts = []
    for i, p in enumerate(paras):
        if p.col is not None and p.col > 1:
            continue  # a cell of a wide table: a sample, not a header
        pieces = [fold(pc.text) for pc in p.pieces]
        k = next((j for j, t in enumerate(pieces) if t == nat), None)
        if k is None:
            continue
        if motto is not None:
            after = pieces[k + 1:] + [fold(pc.text) for q in paras[i + 1:i + 4]
                                      if (q.table, q.row, q.col) == (p.table, p.row, p.col) for pc in q.pieces]
            if not any(t == motto for t in after[:2]):
                continue
        if p.table is not None:
            i = next(j for j, q in enumerate(paras) if q.table == p.table)
        starts.append(i)
    return sorted(set(starts))


def _numbered(paras: list[Para], i: int) -> bool:
    """The header starting at `i` has a `Số` line of its own: a document, not the văn bản kèm theo of
    the one before it (whose header repeats the issuing body and the Quốc hiệu but takes the
    decision's number: it is read as that decision's phụ lục)."""
    first = paras[i]
    zone = [q for q in paras[i:] if q.table == first.table] if first.table is not None else paras[i:i + 8]
    return any(NUMBER_RE.match(pc.text) for q in zone for pc in q.pieces)


def find_parts(doc: DocxDoc, profile: Profile) -> list[Part]:
    """Cut `doc` into its documents (one part for an ordinary file)."""
    paras = doc.paras
    captions = [i for i, p in enumerate(paras) if _is_caption(p)]
    # The first header is the file's own document, whatever stands above it (typed headers put the
    # issuing body on the line above the Quốc hiệu); a later numbered one starts a new document.
    starts = _header_starts(doc, profile)
    headed = {id(paras[i]) for i in starts}
    later = [i for i in starts[1:] if _numbered(paras, i)]
    marks = sorted(set(captions) | set(later))
    bounds: list[int] = []
    for pos in marks:
        if bounds and all(q.is_empty or q.is_control or k in captions
                          for k, q in enumerate(paras[bounds[-1]:pos], bounds[-1])):
            continue  # the header under a caption: the same part
        bounds.append(pos)
    if not bounds or bounds[0] != 0:
        bounds.insert(0, 0)
    parts = []
    for n, (a, b) in enumerate(zip(bounds, bounds[1:] + [len(paras)]), 1):
        chunk = paras[a:b]
        if not any(not q.is_empty and not q.is_control for q in chunk):
            continue
        lead = []
        for q in chunk:
            if q.is_empty or q.is_control:
                continue
            if _is_caption(q):
                lead.append(q)
                continue
            break
        taken = {id(q) for q in lead}
        body = [q for q in chunk if id(q) not in taken]
        part = Part(body, lead, number=len(parts) + 1)
        first = next((q for q in body if not q.is_empty and not q.is_control), None)
        if first is not None and first.table is None and first.pieces \
                and ANNEX_FOLD.match(fold(blanks.strip(first.pieces[0].plain))) \
                and not any(id(q) in headed for q in body):
            part.kind = "annex"
        parts.append(part)
    return parts or [Part(list(paras))]


def sub_document(doc: DocxDoc, part: Part) -> DocxDoc:
    """The part as a document of its own (its paragraphs keep their numbers in the file)."""
    mine = {id(p) for p in part.paras}
    return DocxDoc(doc.path, part.paras, doc.sections, doc.tables, doc.table_info,
                   [pic for pic in doc.pictures if id(pic.para) in mine])
