"""Run every rule on a document and collect one report per file."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import DataError
from ..profile import Profile, load_profile
from . import body, elements, header, page, signature, text
from .context import Context
from .finding import Finding, Report, merge
from .layout import locate
from .reader import read_docx

RULE_MODULES = (page, elements, header, body, signature, text)


def _certificate_note(ctx: Context):
    """Say why a certificate gets so few findings: it is not held to the administrative rules."""
    yield Finding("CERT-001", "a certificate, not an administrative document: paper, font and text checked only")


# Only rules whose codes are in finding.CERTIFICATE_CODES (the `all` rows of `check --rules`).
CERTIFICATE_RULES = (_certificate_note, page.paper, elements.fonts, *text.RULES, header.template_note)
_ORDER = {"error": 0, "warning": 1, "info": 2}


def _profile(profile: Profile | str) -> Profile:
    return load_profile(profile) if isinstance(profile, str) else profile


def check_file(path: str | Path, profile: Profile | str = "decree30") -> Report:
    """Check one .docx against `profile`; raise DataError if it cannot be read."""
    prof = _profile(profile)
    doc = read_docx(path)
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


def check_files(paths: Iterable[str | Path], profile: Profile | str = "decree30") -> list[Report]:
    """Check many files; every unreadable file is reported at once in one DataError."""
    prof = _profile(profile)
    reports, problems = [], []
    for path in paths:
        try:
            reports.append(check_file(path, prof))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return reports
