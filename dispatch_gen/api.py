"""The importable API: what the CLI calls, and what a Python user calls directly.

    from dispatch_gen import api
    doc = api.load_document("data/phat-dong-thi-dua-2024.yaml")
    data = api.render(doc)                                  # .docx bytes
    outcome = api.build("data/phat-dong-thi-dua-2024.yaml")  # numbered through the book
    outcome = api.issue("data/ke-hoach-2025.yaml", date=datetime.date(2025, 1, 10))
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem, RegistryError

if TYPE_CHECKING:  # the real imports happen inside each function, on first use (start-up time)
    from .book.base import Entry, Revision
    from .model import Document
    from .publish import Job, Outcome
    from .render.engine import CompiledTemplate

__all__ = [
    "load_document", "validate", "validate_data", "warnings", "copy", "render", "build", "issue", "output_name", "output_path",
    "template_path", "compiled_template", "default_templates_dir", "build_templates",
    "registry_entries", "init_registry", "check_registry", "backup_registry",
    "restore_registry", "copy_registry", "print_registry", "reserve", "void", "history", "revision_file", "diff", "Outcome",
    "check_file", "check_files", "import_document", "rollover", "RolloverResult",
    "report", "decision", "certificates", "results_workbook", "results_check", "load_results",
    "convert_to_pdf", "merge_pdfs", "preview", "sign_pdf", "verify_pdf", "KeySource", "sign_issued",
    "documents", "next_number", "IssuePlan", "issue_plan", "revision_docx", "results_with_workbook",
    "read_data_text", "data_problems", "save_data_text", "StaleError",
]

DEFAULT_OUTPUT = Path("output")


def default_templates_dir() -> Path:
    """The templates that travel inside the package (a copy of the repository's `templates/`)."""
    from .render.lookup import default_templates_dir

    return default_templates_dir()


def template_path(name: str, templates_dir: str | Path | None = None, profile: str | None = None) -> Path:
    """The template `name` for a profile: `<dir>/<profile>/<name>.docx` (its family's own layout,
    e.g. `party/`, or that of a profile it extends), else `<dir>/<name>.docx`."""
    from .render.lookup import template_path

    return template_path(name, templates_dir, profile)


def compiled_template(name: str, templates_dir: str | Path | None = None,
                      profile: str | None = None) -> CompiledTemplate:
    """The compiled template `name` (for `profile`), compiled once per process; a profile given
    as a path to the user's own YAML lays the template out from that profile."""
    from .render.lookup import compiled_template

    return compiled_template(name, templates_dir, profile)


def validate(data_path: str | Path, strict: bool = False) -> Document:
    """Validate a data file; raise DataError listing every problem (with `strict`, its gaps too)."""
    return validate_data(data_path, strict)[0]


def validate_data(data_path: str | Path, strict: bool = False) -> tuple[Document, list[str]]:
    """Validate a data file; return the document and its gaps (`?`, `……`, TODO, an empty signer
    name, unsorted lines) as warning lines. Errors raise DataError; with `strict`, gaps are errors."""
    from .readers.gaps import load_checked

    document, found = load_checked(data_path, strict)
    return document, [str(p) for p in found]


def warnings(data_path: str | Path) -> list[str]:
    """`file:line: field: warning: …` for what a valid data file probably gets wrong: codes with
    lower-case letters, elements its kind requires that it leaves out."""
    from .readers.yaml_data import document_warnings_of, load_document
    from .render.kinds import kind_of

    document = load_document(data_path)
    spec = kind_of(document.template)
    return [str(p) for p in document_warnings_of(data_path, spec.requires if spec else ())] + spelling(data_path)


def spelling(data_path: str | Path) -> list[str]:
    """A word written two ways in one data file (`Chiến sỹ`/`Chiến sĩ`, `hoà`/`hòa`), both places named."""
    from .readers.yaml_data import load_yaml
    from .spelling import variants, yaml_texts

    return variants(yaml_texts(load_yaml(Path(data_path)), str(data_path)))


def render(document: Document, templates_dir: str | Path | None = None) -> bytes:
    """Render a validated document to .docx bytes as it stands (deterministic, no number book)."""
    from .render.context import document_context

    template = compiled_template(document.template, templates_dir, document.profile)
    context = document_context(document)
    extras = None
    if context.get("pictures"):
        from .render.image import pictures_extras

        extras = pictures_extras(template, context["pictures"])
    return template.render(context, extras)


def _job(data_path: str | Path, out_dir: str | Path, templates_dir: str | Path | None) -> Job:
    from .publish import Job
    from .readers.yaml_data import load_document

    document = load_document(data_path)
    if document.copy_of is not None:
        return _copy_job(document, Path(data_path), out_dir, templates_dir, None, Path(data_path))
    return Job(document, compiled_template(document.template, templates_dir, document.profile), Path(out_dir),
               Path(data_path))


def _original(document: Document, data_path: Path | None, templates_dir: str | Path | None,
              registry: str | Path | None) -> tuple[bytes, str | None]:
    """The copied document and the Số it was issued under (`215/QĐ-UBND`, None for a draft):
    rendered from its data file (`copy_of.source` names one, relative to the copy's data), else
    the last revision the number book keeps of that id, with the book's entry."""
    from . import vn
    from .errors import DataError, RegistryError
    from .readers.yaml_data import load_document
    from .render.context import symbol_of

    of = document.copy_of.source
    if of.endswith((".yaml", ".yml")):
        source = (data_path.parent if data_path else Path(".")) / of
        if not source.is_file():
            raise DataError(f"{data_path}: copy_of.source: {of!r}: no such data file ({source})")
        copied = load_document(source)
        # the copied text shows its signers' signatures as `(Đã ký)` (a copy bears no handwriting)
        signers = [s if s.note else s.model_copy(update={"note": "(Đã ký)"}) for s in copied.signers]
        issued_as = f"{vn.doc_number(copied.number)}/{symbol_of(copied)}" if copied.number else None
        return render(copied.model_copy(update={"signers": signers}), templates_dir), issued_as
    from .book import book_exists, open_book

    if not book_exists(registry):
        raise RegistryError(f"{of}: no number book to copy it from (nothing has been issued)")
    with open_book(registry) as book:
        revision = book.latest_revision(of)
        entry = book.find(of)
    if revision is None:
        raise RegistryError(f"{of}: no such document in the number book (a copy is made of an issued document)")
    return revision.docx, (f"{vn.doc_number(entry.number)}/{entry.symbol}" if entry and entry.symbol else None)


def _located(data_path: Path, key: str, message: str) -> Problem:
    """A problem about `copy_of.<key>` of a copy's data file, at that key's line."""
    from .readers.yaml_data import line_of, load_yaml

    return Problem(str(data_path), message, line=line_of(load_yaml(data_path), ("copy_of", key)),
                   field=f"copy_of.{key}")


def _copy_job(document: Document, source: Path | None, out_dir: str | Path, templates_dir: str | Path | None,
              registry: str | Path | None, data_path: Path | None) -> Job:
    from .errors import DataError
    from .publish import Job
    from .render.copies import CopyTemplate
    from .render.excerpt import excerpt_docx

    original, issued_as = _original(document, source, templates_dir, registry)
    of = document.copy_of
    if of.parts or of.rows:  # a trích sao: cut down before the book is opened, so a bad part uses no number
        try:
            original, chosen = excerpt_docx(original, of.parts, of.rows, of.source)
        except DataError as exc:
            if data_path is None:
                raise
            raise DataError([_located(data_path, "parts" if "part " in line else "rows", line)
                             for line in exc.lines]) from None
        of = of.model_copy(update={"parts": chosen.parts, "rows": chosen.rows})
    else:
        of = of.model_copy()
    of._issued_as = issued_as
    document = document.model_copy(update={"copy_of": of})
    block = compiled_template("ban-sao", templates_dir, document.profile)
    return Job(document, CopyTemplate(original, block), Path(out_dir), data_path)


def copy(doc_id: str, kind: str, data_path: str | Path, out_dir: str | Path = DEFAULT_OUTPUT,
         templates_dir: str | Path | None = None, registry: str | Path | None = None,
         date: dt.date | None = None, pdf: bool = False, parts: list[str] | tuple[str, ...] = (),
         rows: list[str] | tuple[str, ...] = ()) -> Outcome:
    """A bản sao (`kind`: sao-y, sao-luc, trich-sao) of the issued document `doc_id`: its last
    revision from the book with the copy block under it; the copying body, place, signer and Nơi
    nhận come from `data_path`. The copy takes the next number of its own series (ký hiệu SY, SL,
    TrS) and is recorded in the book as a document of its own.

    A trích sao copies the `parts` named as the document prints them (`Điều 1`, `II`, `5.2`,
    `Phụ lục I`) and/or the `rows` of its list tables naming someone (see `render.excerpt`); a part
    or row the document lacks is refused before any number is used."""
    from . import publish
    from .errors import DataError
    from .model import COPY_TYPE_CODES, CopyOf, excerpt_problems

    parts, rows = [p for p in parts], [r for r in rows]
    problems = excerpt_problems(kind, parts, rows)
    if any(not str(x).strip() for x in parts + rows):
        problems.append("a part or row is empty")
    if problems:
        raise DataError([f"copy {doc_id} --kind {kind}: {p}" for p in problems])
    from .readers.yaml_data import load_yaml, validation_problems

    # The data says who copies; what is copied comes from the command, so the data needs no
    # title, copy_of or year of its own (the copy is dated when it is issued).
    data = load_yaml(data_path)
    if isinstance(data, dict):
        data = {**data, "copy_of": {"source": doc_id, "kind": kind, "parts": parts, "rows": rows}}
        data.setdefault("template", "ban-sao")
        if not data.get("date"):
            data.setdefault("year", (date or dt.date.today()).year)
    base, found = validation_problems(Path(data_path), data)
    if found:
        raise DataError(sorted(found, key=lambda p: (p.line or 0, p.field or "")))
    copy_of = CopyOf(source=doc_id, kind=kind, parts=parts, rows=rows)
    document = base.model_copy(update={"copy_of": copy_of, "type_code": COPY_TYPE_CODES[kind],
                                       "number": None})
    job = _copy_job(document, None, out_dir, templates_dir, registry, None)
    return _with_pdf(pdf, lambda: publish.issue(job, registry, date, False))


def _with_pdf(pdf: bool, produce) -> Outcome:
    """Produce the document, then its PDF; LibreOffice is looked up first, so that a missing
    converter stops the command before a number is used. An unchanged document whose PDF is
    already there (and not older) keeps that PDF as it is."""
    if not pdf:
        return produce()
    import dataclasses

    from .writers.pdf import convert_to_pdf, find_soffice

    find_soffice()
    outcome = produce()
    target = outcome.path.with_suffix(".pdf")
    if (outcome.status == "unchanged" and target.is_file()
            and target.stat().st_mtime_ns >= outcome.path.stat().st_mtime_ns):
        return dataclasses.replace(outcome, pdf=target, notes=outcome.notes + ("PDF unchanged: nothing written",))
    (target,) = convert_to_pdf([outcome.path])
    return dataclasses.replace(outcome, pdf=target)


def build(data_path: str | Path, out_dir: str | Path = DEFAULT_OUTPUT, templates_dir: str | Path | None = None,
          registry: str | Path | None = None, renumber: bool = False, pdf: bool = False) -> Outcome:
    """Build a document: a draft without a number, else registered or regenerated in the book."""
    from . import publish

    return _with_pdf(pdf, lambda: publish.build(_job(data_path, out_dir, templates_dir), registry, renumber))


def issue(data_path: str | Path, out_dir: str | Path = DEFAULT_OUTPUT, templates_dir: str | Path | None = None,
          registry: str | Path | None = None, date: dt.date | None = None, renumber: bool = False,
          pdf: bool = False, sign: str | Path | None = None, prompt=None) -> Outcome:
    """Issue a document: next free number of its series in its year, recorded in the book and data.

    A document with gaps (`?`, `……`, TODO, an empty signer name, unsorted lines) is refused first.
    With `sign` (a signing configuration, see `dispatch_gen.sign.config`) the PDF is made and
    signed before the book commits: a wrong PIN, a bad image or a failed conversion leaves the
    number free. Secrets come from each step's environment variable, else `prompt(what)`."""
    from . import publish
    from .readers.gaps import refuse_gaps

    refuse_gaps(data_path)
    if sign is None:
        return _with_pdf(pdf, lambda: publish.issue(_job(data_path, out_dir, templates_dir), registry, date, renumber))
    from .sign.config import env_or_prompt, load_signing, open_steps
    from .writers.pdf import find_soffice

    find_soffice()
    steps = load_signing(sign)
    with open_steps(steps, env_or_prompt(prompt)) as opened:
        job = _job(data_path, out_dir, templates_dir)
        job.finish = lambda data, target: _pdf_signed(data, target, opened, job.notes)
        outcome = publish.issue(job, registry, date, renumber)
        if outcome.pdf is None:  # already issued: regenerated, not allocated
            outcome = _sign_regenerated(outcome, opened)
    return outcome


def sign_issued(data_path: str | Path, sign: str | Path, out_dir: str | Path = DEFAULT_OUTPUT,
                templates_dir: str | Path | None = None, registry: str | Path | None = None,
                prompt=None) -> Outcome:
    """Ký số of a document already issued: its file is brought up to date under its number (as
    `build` does), then its PDF made and signed as the signing configuration `sign` says. An
    unchanged document whose PDF is already signed is left as it is."""
    from . import publish
    from .book import book_exists, open_book
    from .readers.yaml_data import load_document
    from .sign.config import env_or_prompt, load_signing, open_steps
    from .writers.pdf import find_soffice

    document = load_document(data_path)
    entry = None
    if book_exists(registry):
        with open_book(registry) as book:
            entry = book.find(document.id)
    if entry is None:
        raise RegistryError(f"{document.id}: not issued yet; issue it (Cấp số) before signing")
    find_soffice()
    steps = load_signing(sign)
    with open_steps(steps, env_or_prompt(prompt)) as opened:
        outcome = publish.build(_job(data_path, out_dir, templates_dir), registry)
        return _sign_regenerated(outcome, opened)


def _pdf_signed(data: bytes, target: Path, opened, notes: list[str]) -> list[tuple[Path, bytes]]:
    """The issued .docx converted to PDF and signed, in a private folder, for the book's commit."""
    import tempfile

    from .sign.config import sign_all
    from .writers.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="dispatch-gen-sign-") as tmp:
        source = Path(tmp) / target.name
        source.write_bytes(data)
        (made,) = convert_to_pdf([source])
        signed, said = sign_all(made.read_bytes(), str(target.with_suffix(".pdf")), opened)
    notes.extend(said)
    return [(target.with_suffix(".pdf"), signed)]


def _sign_regenerated(outcome: Outcome, opened) -> Outcome:
    import dataclasses

    from .writers.atomic import write_bytes_atomic

    target = outcome.path.with_suffix(".pdf")
    if outcome.status == "unchanged" and target.is_file() and b"/ByteRange" in target.read_bytes():
        return dataclasses.replace(outcome, pdf=target,
                                   notes=outcome.notes + ("signed PDF unchanged: nothing written",))
    notes: list[str] = []
    ((path, signed),) = _pdf_signed(outcome.path.read_bytes(), outcome.path, opened, notes)
    write_bytes_atomic(path, signed)
    return dataclasses.replace(outcome, pdf=path, notes=outcome.notes + tuple(notes))


def _known_series(book, series: str) -> None:
    if not book.series_exists(series):
        known = sorted({e.series for e in book.entries()})
        raise RegistryError(f"unknown series {series!r} in {book.path} (known: {', '.join(known) or 'none yet'})")


def registry_entries(registry: str | Path | None = None, year: int | None = None,
                     series: str | None = None) -> list[Entry]:
    from .book import book_exists, open_book

    if not book_exists(registry):
        return []
    with open_book(registry) as book:
        if series is not None:
            _known_series(book, series)
        return book.entries(year=year, series=series)


def init_registry(registry: str | Path | None = None) -> tuple[str, int, int]:
    """Create the number book (a server book once for the office), or upgrade its schema:
    (the book's address without password, schema version before (0: new), version now)."""
    from .book import init_book

    return init_book(registry)


def check_registry(registry: str | Path | None = None):
    """Every problem of the number book (`CheckReport.ok` when none): storage, then the book's rules."""
    from .book.integrity import check_book

    return check_book(registry)


def backup_registry(target: str | Path, registry: str | Path | None = None, force: bool = False):
    """A verified SQLite copy of the book in `target`: (the book, its Summary)."""
    from .book.transfer import backup_book

    return backup_book(registry, target, force=force)


def restore_registry(backup: str | Path, registry: str | Path | None = None, force: bool = False):
    """Put a backup back as the book: (the book, its Summary, where the replaced file was kept)."""
    from .book.transfer import restore_book

    return restore_book(backup, registry, force=force)


def copy_registry(source: str | Path, target: str | Path, force: bool = False):
    """Copy a whole book to another (SQLite ⇄ PostgreSQL), verified: (source, target, Summary)."""
    from .book.transfer import copy_book

    return copy_book(source, target, force=force)


REGISTER_FORMATS = (".docx", ".xlsx", ".pdf")


def print_registry(year: int, target: str | Path, series: str | None = None,
                   registry: str | Path | None = None) -> Path:
    """The Sổ đăng ký văn bản đi of a year (and series) as Phụ lục IV prints it: .docx, .xlsx or .pdf."""
    from .book import book_address, book_exists, open_book
    from .book.register import cover_of, register_rows
    from .writers.atomic import write_bytes_atomic
    from .writers.register import register_docx, register_xlsx

    target = Path(target)
    kind = target.suffix.lower()
    if kind not in REGISTER_FORMATS:
        raise RegistryError(f"{target}: the register is written as .docx, .xlsx or .pdf")
    if not book_exists(registry):
        raise RegistryError(f"{book_address(registry)}: no number book here yet (nothing has been issued)")
    with open_book(registry) as book:
        entries = book.entries(year=year)
        where = book.path
    in_year = sorted({e.series for e in entries})
    if series is None:
        if len(in_year) != 1:
            raise RegistryError(f"{where}: year {year} has " + (f"several series ({', '.join(in_year)}); choose one"
                                " with --series" if in_year else "no numbers"))
        series = in_year[0]
    elif series not in in_year:
        raise RegistryError(f"{where}: no numbers of series {series!r} in {year}"
                            f" (series that year: {', '.join(in_year) or 'none'})")
    rows = register_rows(entries, year=year, series=series)
    cover = cover_of(entries, year=year, series=series)
    if kind == ".xlsx":
        return write_bytes_atomic(target, register_xlsx(cover, rows))
    data = register_docx(cover, rows)
    if kind == ".docx":
        return write_bytes_atomic(target, data)
    import tempfile

    from .writers.pdf import convert_to_pdf, find_soffice

    find_soffice()
    with tempfile.TemporaryDirectory(prefix="dispatch-gen-register-") as tmp:
        source = Path(tmp) / f"{target.stem}.docx"
        source.write_bytes(data)
        (pdf,) = convert_to_pdf([source])
        return write_bytes_atomic(target, pdf.read_bytes())


def reserve(series: str, year: int, count: int = 1, note: str | None = None, force: bool = False,
            registry: str | Path | None = None) -> list[int]:
    """Reserve numbers; a series the book has never seen, or a past year, needs `force`."""
    from .book import open_book

    with open_book(registry) as book:
        if not force:
            try:
                _known_series(book, series)
            except RegistryError as exc:
                raise RegistryError(f"{exc.lines[0]}; use --force to open a new series") from None
        return book.reserve(series=series, year=year, count=count, note=note, force=force)


def void(series: str, year: int, number: int, reason: str, registry: str | Path | None = None) -> Entry:
    from .book import open_book

    with open_book(registry) as book:
        _known_series(book, series)
        return book.void(series=series, year=year, number=number, reason=reason)


def history(doc_id: str, registry: str | Path | None = None) -> list[Revision]:
    from .book import book_address, book_exists, open_book

    if not book_exists(registry):
        raise RegistryError(f"{book_address(registry)}: no number book here yet (nothing has been issued)")
    with open_book(registry) as book:
        revisions = book.revisions(doc_id)
        where = book.path
    if not revisions:
        raise RegistryError(f"{doc_id}: no such document in the number book {where}")
    return revisions


def revision_file(doc_id: str, rev: int, target: str | Path | None = None, registry: str | Path | None = None,
                  out_dir: str | Path = DEFAULT_OUTPUT) -> Path:
    """Write the .docx of an earlier revision to `target` (the issued file stays retrievable);
    by default into the output folder beside the issued file, as `<number-ký hiệu>-rev<N>.docx`."""
    from . import vn
    from .book import open_book
    from .writers.atomic import write_bytes_atomic

    with open_book(registry) as book:
        revision = book.revision(doc_id, rev)
        if target is None:
            entry = book.find(doc_id)
            stem = (vn.to_ascii(f"{vn.doc_number(entry.number)}/{entry.symbol}") if entry and entry.symbol
                    else vn.to_ascii(doc_id))
            target = Path(out_dir) / str(entry.year if entry else "") / f"{stem}-rev{rev}.docx"
        return write_bytes_atomic(target, revision.docx)


def documents(folder: str | Path, registry: str | Path | None = None):
    """Every data file of `folder` (subfolders too) with its kind, title, year and status in the
    number book, read quickly for a list (see `catalog`); a file is validated when it is opened."""
    from .catalog import catalog

    return catalog(folder, registry_entries(registry))


def revision_docx(doc_id: str, rev: int, registry: str | Path | None = None) -> bytes:
    """The .docx bytes of a revision as the book keeps it."""
    from .book import book_address, book_exists, open_book

    if not book_exists(registry):
        raise RegistryError(f"{book_address(registry)}: no number book here yet (nothing has been issued)")
    with open_book(registry) as book:
        return book.revision(doc_id, rev).docx


def next_number(series: str, year: int, registry: str | Path | None = None) -> int:
    """The number `issue` would give next in a series and year (issued, reserved and void ones are
    all used); the book is not created or locked. Another issue in between may take it first."""
    from .book import book_exists, open_book

    if not book_exists(registry):
        return 1
    with open_book(registry) as book:
        return max((e.number for e in book.entries(year=year, series=series)), default=0) + 1


@dataclass(frozen=True)
class IssuePlan:
    """What `issue` is about to do, for a person to confirm: the number line and the date."""

    document: Document
    number: int
    date: dt.date
    number_line: str
    issued: Entry | None = None

    @property
    def already_issued(self) -> bool:
        return self.issued is not None


def issue_plan(data_path: str | Path, registry: str | Path | None = None, date: dt.date | None = None) -> IssuePlan:
    """The number and date `issue` would give the document now (or that it already has)."""
    from .book import book_exists, open_book
    from .readers.yaml_data import load_document
    from .render.context import number_line_of

    document = load_document(data_path)
    entry = None
    if book_exists(registry):
        with open_book(registry) as book:
            entry = book.find(document.id)
    if entry is not None:
        when = dt.date.fromisoformat(entry.date) if entry.date else (document.date or dt.date.today())
        number = entry.number
    else:
        when = date or document.date or dt.date.today()
        number = document.number or next_number(document.number_series, when.year, registry)
    shown = document.model_copy(update={"number": number, "date": when})
    return IssuePlan(document, number, when, number_line_of(shown), entry)


def results_with_workbook(results_path: str | Path, workbook: str | Path, target: str | Path) -> Path:
    """A results file that takes its units from `workbook` and everything else (awards, quotas,
    report and decision settings) from `results_path`: the filled workbook the units sent, used
    with the office's own settings. Written to `target`; the original file is left as it is."""
    import io

    from ruamel.yaml import YAML

    from .errors import DataError, Problem
    from .readers.yaml_data import load_yaml
    from .writers.atomic import write_bytes_atomic

    data = load_yaml(Path(results_path))
    if not isinstance(data, dict) or "campaign" not in data:
        raise DataError(Problem(str(results_path), "not a results file (it has no `campaign:` key)"))
    data.pop("units", None)
    data["units_file"] = str(Path(workbook).resolve())
    yaml = YAML(typ="rt")
    yaml.width = 4096
    buf = io.StringIO()
    yaml.dump(data, buf)
    return write_bytes_atomic(target, buf.getvalue().encode("utf-8"))


def diff(doc_id: str, rev_a: int | None = None, rev_b: int | None = None,
         registry: str | Path | None = None) -> str:
    """Paragraph-level diff between two revisions (default: the last two)."""
    from .book import paragraph_diff

    revisions = history(doc_id, registry)
    by_rev = {r.rev: r for r in revisions}
    if rev_a is None and rev_b is None:
        if len(revisions) < 2:
            raise RegistryError(f"{doc_id}: only one revision, nothing to compare")
        old, new = revisions[-2], revisions[-1]
    else:
        missing = [r for r in (rev_a, rev_b) if r not in by_rev]
        if missing:
            raise RegistryError(f"{doc_id}: no revision {missing[0]} (revisions 1–{revisions[-1].rev})")
        old, new = by_rev[rev_a], by_rev[rev_b]
    text = paragraph_diff(old.paragraphs, new.paragraphs, f"{doc_id} rev {old.rev}", f"{doc_id} rev {new.rev}")
    return text or f"{doc_id}: revisions {old.rev} and {new.rev} have the same text\n"


# Everything else is imported on first use, so that each command loads only what it uses (the
# year-end functions load matplotlib and openpyxl, `check` and `import` lxml-heavy readers, the PDF
# writer pypdf). Add a new entry here, or import inside your function: never at the top of this file.
_LAZY = {
    "load_document": ("readers.yaml_data", "load_document"),
    "Outcome": ("publish", "Outcome"),
    "output_name": ("publish", "output_name"),
    "output_path": ("publish", "output_path"),
    "build_templates": ("render.template_builder", "build_templates"),
    "check_file": ("check", "check_file"),
    "check_files": ("check", "check_files"),
    "import_document": ("readers.docx_import", "import_document"),
    "convert_to_pdf": ("writers.pdf", "convert_to_pdf"),
    "merge_pdfs": ("writers.pdf", "merge_pdfs"),
    "find_soffice": ("writers.pdf", "find_soffice"),
    "preview": ("writers.preview", "preview"),
    "report": ("campaign", "make_report"),
    "decision": ("campaign", "make_decision"),
    "certificates": ("campaign", "make_certificates"),
    "results_workbook": ("campaign", "results_workbook"),
    "results_check": ("campaign", "check"),
    "load_results": ("campaign", "load_results"),
    "rollover": ("campaign.rollover", "rollover"),
    "RolloverResult": ("campaign.rollover", "RolloverResult"),
    # Editing a data file as text (the web page's form and Nguồn tab).
    "read_data_text": ("editing", "read_data_text"),
    "load_yaml_text": ("readers.yaml_data", "load_yaml_text"),
    "data_problems": ("editing", "data_problems"),
    "save_data_text": ("editing", "save_data_text"),
    "StaleError": ("editing", "StaleError"),
    # Signing reads PDFs and images: loaded with the first signature or verification.
    "sign_pdf": ("sign", "sign_pdf"),
    "verify_pdf": ("sign", "verify_pdf"),
    "KeySource": ("sign", "KeySource"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f"{__package__}.{module}"), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
