"""Drafts, issuing and regeneration: rendering with the number book beside the writer.

The guarantees, in order of the steps:
1. The template is compiled and the document rendered *before* a number is final: a render
   that fails inside `book.issue()` rolls the transaction back and the number stays free.
2. The output is written and synced to a temporary file while the book's write transaction is
   open; the entry and revision 1 (with the document's bytes) commit, then the file is renamed
   into place. A killed process leaves nothing (no number, no file), or, in the instant between
   commit and rename, a number whose document is in the book: the next build restores the file.
3. A rebuild of an issued document keeps its number and date. The file is replaced first and
   the revision recorded after, so a crash between the two is healed by the next rebuild.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from . import vn
from .book import BookInterrupted, NumberBook, book_exists, open_book
from .book.base import Entry
from .book.register import register_info
from .errors import Problem, RegistryError
from .model import COPY_MARKS, Document, expand
from .readers.docx_text import paragraphs
from .render.context import document_context, number_line_of, symbol_of
from .render.engine import CompiledTemplate, RenderExtras
from .writers.atomic import Staged, write_bytes_atomic
from .writers.data_file import updated_bytes

Status = Literal["draft", "registered", "issued", "revised", "unchanged", "restored", "renumbered"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one document, for the console and for callers."""

    document: Document
    path: Path
    status: Status
    revision: int | None = None
    notes: tuple[str, ...] = ()
    pdf: Path | None = None

    @property
    def written(self) -> bool:
        return self.status != "unchanged"

    @property
    def number_line(self) -> str:
        return number_line_of(self.document)


ContextFn = Callable[[Document], dict[str, Any]]


@dataclass
class Job:
    """One document to produce: its data, template, and any values beyond the dispatch context."""

    document: Document
    template: CompiledTemplate
    out_dir: Path
    data_path: Path | None = None
    extra_context: ContextFn | None = None
    extras: Callable[[Document], RenderExtras | None] | None = None
    notes: list[str] = field(default_factory=list)
    finish: Callable[[bytes, Path], list[tuple[Path, bytes]]] | None = None
    """Files made from the issued .docx (its PDF, signed) before the book commits: given the
    .docx bytes and target, the (target, bytes) to put in place with it. A failure here rolls the
    number back like a failed render."""

    def __post_init__(self) -> None:
        if self.document.unsorted:
            self.notes.append(f"{len(self.document.unsorted)} imported line(s) under `unsorted` are not printed; "
                              "place them and delete the key")

    def render(self, document: Document) -> bytes:
        context = document_context(document)
        if self.extra_context:
            context.update(self.extra_context(document))
        extras = self.extras(document) if self.extras else None
        if context.get("pictures"):  # pictures placed in the body travel with the document
            from .render.image import pictures_extras

            extras = pictures_extras(self.template, context["pictures"])
        return self.template.render(context, extras)


def output_name(document: Document) -> str:
    """`31-PDTD-CTDP-CDC.docx` for a numbered document; `<id>-du-thao.docx` for a draft."""
    if document.number is None:
        return f"{vn.to_ascii(document.id)}-du-thao.docx"
    return vn.to_ascii(f"{vn.doc_number(document.number)}/{symbol_of(document)}") + ".docx"


def output_path(document: Document, out_dir: Path) -> Path:
    """`<out>/<year>/<name>.docx`: one folder per year, as a văn thư keeps the files."""
    year = document.date.year if document.date else document.campaign_year
    return Path(out_dir) / str(year) / output_name(document)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _existing_book(registry: str | Path | None) -> NumberBook | None:
    """The book if its file exists: a draft build must not create (or lock) anything."""
    return open_book(registry) if book_exists(registry) else None


def _issued_form(job: Job, entry: Entry) -> Document:
    date = dt.date.fromisoformat(entry.date) if entry.date else job.document.date
    if job.document.date and date and job.document.date != date:
        job.notes.append(f"date kept as issued: {date.isoformat()} (the data says {job.document.date.isoformat()})")
    return job.document.model_copy(update={"number": entry.number, "date": date, "series": entry.series})


def _recorded(job: Job, document: Document) -> bytes | None:
    """The data file with the document's number and date written in, or None when it already
    holds them (or there is no data file)."""
    if job.data_path is None:
        return None
    data = updated_bytes(job.data_path, [({"number": document.number}, "type_code"), ({"date": document.date}, "place")])
    return None if data == job.data_path.read_bytes() else data


def _stage_write_back(job: Job, document: Document) -> Staged | None:
    """The data file's write-back, written and synced beside it while the book's transaction is
    open: a data folder that is full or read-only stops the issue before the number is taken."""
    data = _recorded(job, document)
    return Staged(job.data_path, data, mode=job.data_path.stat().st_mode & 0o7777) if data is not None else None


def _commit_write_back(job: Job, staged: Staged | None) -> None:
    if staged is not None:
        staged.commit()
        job.notes.append(f"{job.data_path}: number and date recorded")


def _complete_write_back(job: Job, document: Document) -> None:
    """The book issued this id but the data file lacks its number or date: an earlier run was
    stopped between the book's commit and the data file. Write them now, and say so."""
    if job.data_path is None or (job.document.number is not None and job.document.date is not None):
        return
    data = _recorded(job, document)
    if data is not None:
        write_bytes_atomic(job.data_path, data)
        job.notes.append(f"{job.data_path}: number {document.number:02d} and date recorded from the book "
                         "(an earlier run stopped before writing them back)")


def draft(job: Job) -> Outcome:
    """Render with the blanks a văn thư fills by hand; nothing is consumed."""
    document = job.document.model_copy(update={"number": None})
    data = job.render(document)
    path = write_bytes_atomic(output_path(document, job.out_dir), data)
    return Outcome(document, path, "draft", notes=tuple(job.notes))


RETRIES = 3


def _retrying(step: Callable[[], Outcome]) -> Outcome:
    """Run an issuing step again when the book's server went away before the number was stored
    (the book has verified that nothing was consumed); rendering is repeated, never the number."""
    for attempt in range(1, RETRIES + 1):
        try:
            return step()
        except BookInterrupted:
            if attempt == RETRIES:
                raise
    raise AssertionError("unreachable")


def _allocate(job: Job, book: NumberBook, date: dt.date, number: int | None, trigger: str) -> Outcome:
    return _retrying(lambda: _allocate_once(job, book, date, number, trigger))


def _allocate_once(job: Job, book: NumberBook, date: dt.date, number: int | None, trigger: str) -> Outcome:
    doc = job.document
    staged: Staged | None = None
    beside: list[Staged] = []
    write_back: Staged | None = None
    try:
        with book.issue(series=doc.number_series, year=date.year, doc_id=doc.id, symbol=symbol_of(doc),
                        title=_title(doc), date=date, number=number, register=register_info(doc)) as alloc:
            issued = doc.model_copy(update={"number": alloc.number, "date": date})
            data = job.render(issued)
            staged = Staged(output_path(issued, job.out_dir), data)
            if job.finish:
                for target, made in job.finish(data, staged.target):
                    beside.append(Staged(target, made))
            write_back = _stage_write_back(job, issued)
            alloc.record(content_hash(data), paragraphs(data), data, trigger)
    except BaseException:
        for each in ([staged] if staged is not None else []) + beside + ([write_back] if write_back else []):
            each.discard()
        raise
    path = staged.commit()
    made = [each.commit() for each in beside]
    _commit_write_back(job, write_back)
    pdf = next((p for p in made if p.suffix == ".pdf"), None)
    _remove_draft(job, path)
    return Outcome(issued, path, "registered" if number else "issued", revision=1, notes=tuple(job.notes), pdf=pdf)


def _refused(job: Job, key: str, message: str) -> RegistryError:
    """A refusal about a key of the data, located at that key's line of the data file."""
    if job.data_path is None:
        return RegistryError(message)
    line = None
    try:
        text = job.data_path.read_text(encoding="utf-8-sig")
        found = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
        line = text.count("\n", 0, found.start()) + 1 if found else None
    except (OSError, UnicodeDecodeError):
        pass
    return RegistryError(Problem(str(job.data_path), message, line=line, field=key))


def _remove_draft(job: Job, issued_path: Path) -> None:
    """Once a document has its number, its draft (`<id>-du-thao.docx`) would only mislead: the book
    keeps every issued revision, and `build` makes a new draft from the data at any time."""
    draft_doc = job.document.model_copy(update={"number": None})
    name = output_name(draft_doc)
    years = {draft_doc.campaign_year} | ({draft_doc.date.year} if draft_doc.date else set())
    for year in sorted(years):
        path = Path(job.out_dir) / str(year) / name
        if path != issued_path and path.is_file():
            path.unlink()
            job.notes.append(f"draft {path} removed (the issued document replaces it)")


def _title(doc: Document) -> str:
    if doc.copy_of is not None:  # a bản sao: the form of copy and what it copies
        chosen = ", ".join(doc.copy_of.parts + [f"“{r}”" for r in doc.copy_of.rows])
        return f"{COPY_MARKS[doc.copy_of.kind]} {doc.copy_of.named}" + (f" ({chosen})" if chosen else "")
    x = lambda t: expand(t, doc.campaign_year, doc.anniversaries) if t else ""  # noqa: E731
    return " ".join(t for t in (vn.upper(doc.title or ""), x(doc.subtitle), x(doc.subject) and f"V/v {x(doc.subject)}") if t)


def _regenerate(job: Job, book: NumberBook, entry: Entry, renumber: bool) -> Outcome:
    doc = job.document
    if doc.number is not None and (doc.number, doc.number_series) != (entry.number, entry.series):
        raise _refused(job, "number",
            f"{doc.id}: the data says number {doc.number:02d} ({doc.number_series}) but the book issued it as "
            f"{entry.number:02d}/{entry.year} ({entry.series}); correct `number` or void and re-issue"
        )
    if doc.date is not None and doc.date.year != entry.year:
        if not renumber:
            raise _refused(job, "date",
                f"{doc.id}: issued as {entry.number:02d}/{entry.year}; a number belongs to its year, so the date "
                f"{doc.date.isoformat()} is refused (use --renumber to give it a number of {doc.date.year})"
            )
        def move() -> tuple[Document, Path]:
            staged = write_back = None
            try:
                with book.renumber(doc.id, series=doc.number_series, year=doc.date.year, date=doc.date) as alloc:
                    moved = doc.model_copy(update={"number": alloc.number})
                    data = job.render(moved)
                    staged = Staged(output_path(moved, job.out_dir), data)
                    write_back = _stage_write_back(job, moved)
                    alloc.record(content_hash(data), paragraphs(data), data, "renumber")
            except BaseException:
                for each in (staged, write_back):
                    if each is not None:
                        each.discard()
                raise
            path = staged.commit()
            _commit_write_back(job, write_back)
            return moved, path

        moved, path = _retrying(move)
        job.notes.append(f"old number {entry.number:02d}/{entry.year} is void")
        return Outcome(moved, path, "renumbered", notes=tuple(job.notes))
    issued = _issued_form(job, entry)
    _complete_write_back(job, issued)
    data = job.render(issued)
    digest = content_hash(data)
    path = output_path(issued, job.out_dir)
    latest = book.latest_revision(doc.id)
    if latest is not None and latest.content_hash == digest:
        if path.exists() and content_hash(path.read_bytes()) == digest:
            return Outcome(issued, path, "unchanged", revision=latest.rev, notes=tuple(job.notes))
        write_bytes_atomic(path, data)
        return Outcome(issued, path, "restored", revision=latest.rev, notes=tuple(job.notes))
    write_bytes_atomic(path, data)
    rev = book.add_revision(doc.id, content_hash=digest, paragraphs=paragraphs(data), docx=data, trigger="rebuild")
    return Outcome(issued, path, "revised", revision=rev.rev if rev else None, notes=tuple(job.notes))


def build(job: Job, registry: str | Path | None = None, renumber: bool = False) -> Outcome:
    """`build`: a draft when the data has no number and the id was never issued; otherwise the
    stated number is registered (first time) or the issued document regenerated."""
    doc = job.document
    if doc.number is None:
        book = _existing_book(registry)
        entry = book.find(doc.id) if book else None
        if entry is None:
            if book:
                book.close()
            return draft(job)
        with book:
            job.notes.append(
                f"the data has no number, but the book issued {doc.id} as {entry.number:02d}/{entry.year}"
                f"{' on ' + entry.date if entry.date else ''}: built under that number (a document keeps its "
                f"number for good; for a new document, give the copy a new `id`)")
            return _regenerate(job, book, entry, renumber)
    if doc.date is None:
        raise _refused(job, "date", f"{doc.id}: a numbered document needs its `date` (number {doc.number:02d} has none)")
    with open_book(registry) as book:
        entry = book.find(doc.id)
        if entry is not None:
            return _regenerate(job, book, entry, renumber)
        return _allocate(job, book, doc.date, doc.number, "register")


def _today_in(doc: Document) -> dt.date:
    """Today, when it falls in the data's year; otherwise the clerk must say which date is meant
    (a 2024 document issued silently with a 2026 date would be filed under the wrong year)."""
    today = dt.date.today()
    if doc.year is not None and doc.year != today.year:
        raise RegistryError(
            f"{doc.id}: the data is for {doc.year} and has no `date`, but today is in {today.year}: "
            f"give the date of issue with --date {doc.year}-MM-DD (or --date {today.isoformat()} to issue it "
            f"in {today.year} all the same), or set `date` in the data"
        )
    return today


def issue(job: Job, registry: str | Path | None = None, date: dt.date | None = None,
          renumber: bool = False) -> Outcome:
    """`issue`: give the document the next free number of its series in the year of its date."""
    doc = job.document
    with open_book(registry) as book:
        entry = book.find(doc.id)
        if entry is not None:
            if date is not None:
                job.document = doc = doc.model_copy(update={"date": date})
            job.notes.append(f"already issued as {entry.number:02d}/{entry.year}; regenerated under that number")
            return _regenerate(job, book, entry, renumber)
        when = date or doc.date or _today_in(doc)
        if date is not None and doc.year is not None and date.year != doc.year:
            job.notes.append(f"dated {date.isoformat()} as asked with --date, outside the data's year {doc.year}")
        outcome = _allocate(job, book, when, doc.number, "issue" if doc.number is None else "register")
    return Outcome(outcome.document, outcome.path, outcome.status, outcome.revision, tuple(job.notes), outcome.pdf)
