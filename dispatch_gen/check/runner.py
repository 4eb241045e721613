"""Run every rule on a document and collect one report per file."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..errors import DataError
from ..profile import Profile, available_profiles, load_profile
from . import blanks, body, captions, elements, header, page, pictures, signature, tables, text
from .context import Context
from .finding import ERROR, Finding, Report, merge
from .layout import fold, locate
from .parts import find_parts, sub_document
from .reader import DocxDoc, read_docx

RULE_MODULES = (page, elements, header, body, tables, pictures, captions, signature, text)


def _certificate_note(ctx: Context):
    """Say why a certificate gets so few findings: it is not held to the administrative rules."""
    yield Finding("CERT-001", "a certificate, not an administrative document: paper, font and text checked only")


def _register_columns(ctx: Context):
    """A register (Phụ lục IV) is a table: at least its minimum columns, numbered (1), (2), … in order."""
    from .layout import register_numbering

    yield Finding("REG-001", "a register (sổ đăng ký văn bản, Phụ lục IV): paper, font, text and its columns checked")
    numbers = register_numbering(ctx.doc)
    want = [f"({i})" for i in range(1, max(len(numbers), REGISTER_MIN_COLUMNS) + 1)]
    if numbers != want:
        yield Finding("REG-002", "the register's table has its column numbers under the titles",
                      expected=" ".join(want), found=" ".join(numbers) or "none")


REGISTER_MIN_COLUMNS = 10  # Phụ lục IV, I.2 and VI.2: "Tối thiểu gồm 10 nội dung"
REGISTER_RULES = (_register_columns, page.paper, elements.fonts, *text.RULES)

# Only rules whose codes are in finding.CERTIFICATE_CODES (the `all` rows of `check --rules`).
CERTIFICATE_RULES = (_certificate_note, page.paper, elements.fonts, *text.RULES, header.template_note)
_ORDER = {"error": 0, "warning": 1, "info": 2}
# A form's blanks, and a draft's blank number and date, fail a document about to be issued.
STRICT_CODES = frozenset({"FORM-001", "NUM-004", "DATE-004"})


def form_blanks(ctx: Context) -> Iterator[Finding]:
    """One line for all the blanks of a form (Decree 30's own models are forms)."""
    notes = {id(p) for p in ctx.layout.notes}
    n, first = 0, None
    for p in ctx.doc.paras:
        if id(p) in notes or p.is_control:
            continue
        k = blanks.count(p.plain)
        if k and first is None:
            first = p
        n += k
    if n:
        yield Finding("FORM-001", f"form with {n} blank{'s' if n > 1 else ''}: to be filled in before it is issued",
                      **ctx.where(first))


def _rules(kind: str) -> tuple:
    """The rules a part of this kind is held to."""
    if kind == "certificate":
        return CERTIFICATE_RULES
    if kind == "register":
        return REGISTER_RULES
    every = tuple(rule for module in RULE_MODULES for rule in module.RULES) + (form_blanks,)
    if kind == "annex":
        # A phụ lục on its own: no header, number, date, signature or Nơi nhận of its own.
        return (*page.RULES, *elements.RULES, *tables.RULES, *pictures.RULES, *captions.RULES, *text.RULES, body.numbering,
                header.template_note, form_blanks)
    if kind == "attached":
        # Issued with a decision: its header and title, but the decision's number, date and signature.
        return tuple(r for r in every if r not in (header.number, header.date, signature.signers,
                                                   signature.recipients))
    return every


def _profile(profile: Profile | str) -> Profile:
    return load_profile(profile) if isinstance(profile, str) else profile


def detect_profile(doc: DocxDoc) -> Profile:
    """The family a document belongs to, by the national title its header shows: `ĐẢNG CỘNG SẢN
    VIỆT NAM` is a Party document, `ĐOÀN TNCS HỒ CHÍ MINH` the Đoàn's; else Decree 30 (a trade
    union's header is the state's, so it is checked as one)."""
    shown = {fold(piece.text) for p in doc.paras[:40] for piece in p.pieces}
    for name in ["decree30", *(n for n in available_profiles() if n != "decree30")]:
        prof = load_profile(name)
        if fold(prof.header("national_title")) in shown:
            return prof
    return load_profile("decree30")


def check_file(path: str | Path, profile: Profile | str | None = None, strict: bool = False) -> Report:
    """Check one .docx against `profile` (None: the family its header shows, see `detect_profile`);
    each document the file holds (see `parts.find_parts`) is checked against its own kind and its
    findings name it. `strict`: a form's blanks and a draft's blank number or date are errors.
    Raise DataError if the file cannot be read."""
    doc = read_docx(path)
    prof = detect_profile(doc) if profile is None else _profile(profile)
    parts = find_parts(doc, prof)
    several = len(parts) > 1 or any(p.caption for p in parts)
    findings: list[Finding] = []
    kinds = []
    for k, part in enumerate(parts):
        sub = sub_document(doc, part) if several else doc
        ctx = Context(sub, locate(sub, prof, part.kind), prof)
        kinds.append(ctx.layout.kind)
        rules = _rules(ctx.layout.kind)
        if k:  # the paper and the page numbers are the file's: said once
            rules = tuple(r for r in rules if r not in page.RULES)
        mine: list[Finding] = []
        for rule in rules:
            mine.extend(rule(ctx))
        if several:
            for f in mine:
                f.part = part.name
        findings.extend(mine)
    if strict:
        for f in findings:
            if f.code in STRICT_CODES:
                f.severity = ERROR
    findings = merge(findings)
    findings.sort(key=lambda f: (_ORDER[f.severity], f.paragraph or 0, f.code))
    kind = kinds[0] if len(set(kinds)) == 1 else "several"
    return Report(str(path), findings, prof.name, template=doc.is_template, kind=kind,
                  parts=[p.name for p in parts] if several else [])


def check_files(paths: Iterable[str | Path], profile: Profile | str | None = None,
                strict: bool = False) -> list[Report]:
    """Check many files (each against its detected family when `profile` is None); every
    unreadable file is reported at once in one DataError."""
    prof = None if profile is None else _profile(profile)
    reports, problems = [], []
    for path in paths:
        try:
            reports.append(check_file(path, prof, strict))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return reports
