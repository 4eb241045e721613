"""Run every rule on a document and collect one report per file."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import DataError
from ..profile import Profile, available_profiles, load_profile
from . import body, elements, header, page, signature, text
from .context import Context
from .finding import Finding, Report, merge
from .layout import fold, locate
from .reader import DocxDoc, read_docx

RULE_MODULES = (page, elements, header, body, signature, text)


def _certificate_note(ctx: Context):
    """Say why a certificate gets so few findings: it is not held to the administrative rules."""
    yield Finding("CERT-001", "a certificate, not an administrative document: paper, font and text checked only")


# Only rules whose codes are in finding.CERTIFICATE_CODES (the `all` rows of `check --rules`).
CERTIFICATE_RULES = (_certificate_note, page.paper, elements.fonts, *text.RULES, header.template_note)
_ORDER = {"error": 0, "warning": 1, "info": 2}


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


def check_file(path: str | Path, profile: Profile | str | None = None) -> Report:
    """Check one .docx against `profile` (None: the family its header shows, see `detect_profile`);
    raise DataError if it cannot be read."""
    doc = read_docx(path)
    prof = detect_profile(doc) if profile is None else _profile(profile)
    ctx = Context(doc, locate(doc, prof), prof)
    findings: list[Finding] = []
    if ctx.layout.kind == "certificate":
        rules = CERTIFICATE_RULES
    else:
        rules = tuple(rule for module in RULE_MODULES for rule in module.RULES)
    for rule in rules:
        findings.extend(rule(ctx))
    findings = merge(findings)
    findings.sort(key=lambda f: (_ORDER[f.severity], f.paragraph or 0, f.code))
    return Report(str(path), findings, prof.name, template=doc.is_template, kind=ctx.layout.kind)


def check_files(paths: Iterable[str | Path], profile: Profile | str | None = None) -> list[Report]:
    """Check many files (each against its detected family when `profile` is None); every
    unreadable file is reported at once in one DataError."""
    prof = None if profile is None else _profile(profile)
    reports, problems = [], []
    for path in paths:
        try:
            reports.append(check_file(path, prof))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return reports
