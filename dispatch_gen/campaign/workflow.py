"""The year-end commands as functions: check, report, decision, certificates, results workbook.

Each one loads the launch and the results, runs every check first and, with `strict`, stops on
any warning before a template is read, a file written or a number taken. The report and the
decision then go through `publish` like the dispatch: a draft unless numbered, `issue` for the
next number of the book, revisions recorded on every change.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import publish
from ..errors import DataError, Problem
from ..publish import Job, Outcome
from ..render.engine import CompiledTemplate
from ..render.lookup import compiled_template as _compiled, template_source
from ..render.image import picture_extras
from .certificates import chosen, issued_decision, merged_pdf, output_folder, write_certificates
from .checks import check_results
from .awards import priced_awardees
from .decision import decision_context, decision_document, decision_problems
from .load import WORKBOOK_SUFFIXES, Campaign, Results, load_campaign, load_results
from .report import CHART_MEDIA, CHART_REL, report_context, report_document, report_problems
from .targets import TargetResult, compute_targets

DEFAULT_OUTPUT = Path("output")


@dataclass
class Produced:
    """What a command made, and the warnings it went ahead with."""

    warnings: list[Problem]
    outcome: Outcome | None = None
    paths: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Checked:
    campaign: Campaign
    results: Results
    targets: list[TargetResult]
    warnings: list[Problem]


def template_file(name: str, templates_dir: str | Path | None = None, profile: str | None = None) -> Path | bytes:
    """The template `name`: a file of the user's folder or the package's (a profile's own
    subfolder first), or the bytes laid out from the user's own profile file."""
    return template_source(name, templates_dir, profile)


def _gate(warnings: list[Problem], strict: bool, pdf: bool = False) -> None:
    """Stop before anything is written or numbered: on warnings under --strict, or when --pdf
    asks for a LibreOffice that is not installed."""
    if strict and warnings:
        raise DataError(warnings)
    if pdf:
        from ..writers.pdf import find_soffice

        find_soffice()


def check(campaign_path: str | Path, results_path: str | Path) -> Checked:
    """Load and check results against their campaign; compute the targets."""
    campaign = load_campaign(campaign_path)
    results = load_results(results_path, campaign)
    rows = compute_targets(campaign, results.units, results.year)
    return Checked(campaign, results, rows, check_results(results))


def _publish(job: Job, registry, issue: bool, date: dt.date | None) -> Outcome:
    return publish.issue(job, registry, date) if issue else publish.build(job, registry)


def _pdf(path: Path, pdf: bool) -> list[Path]:
    if not pdf:
        return []
    from ..writers.pdf import convert_to_pdf

    return convert_to_pdf([path])


def _ready(campaign_path: str | Path, results_path: str | Path, problems, strict: bool,
           pdf: bool) -> tuple[Checked, list[Problem]]:
    """Load and check; raise on errors, and on warnings under --strict, before any number is taken."""
    checked = check(campaign_path, results_path)
    errors, missing = problems(checked.campaign, checked.results)
    if errors:
        raise DataError(errors)
    warnings = checked.warnings + missing
    _gate(warnings, strict, pdf)
    return checked, warnings


def _decision_problems(campaign: Campaign, results: Results):
    errors, missing = decision_problems(campaign, results)
    if not errors:
        priced_awardees(results)  # every awarded title priced, before anything is numbered
    return errors, missing


def make_report(campaign_path: str | Path, results_path: str | Path, out_dir: str | Path = DEFAULT_OUTPUT,
                templates_dir: str | Path | None = None, registry: str | Path | None = None,
                issue: bool = False, date: dt.date | None = None, strict: bool = False,
                pdf: bool = False) -> Produced:
    """The báo cáo tổng kết (BC): a draft, or numbered through the book with `issue`."""
    checked, warnings = _ready(campaign_path, results_path, report_problems, strict, pdf)
    campaign, results = checked.campaign, checked.results
    doc = report_document(campaign, results)
    template = _compiled(doc.template, templates_dir, doc.profile)
    from .chart import chart_png  # matplotlib: loaded by the one command that draws

    png = chart_png(checked.targets, results.year)
    job = Job(doc, template, Path(out_dir),
              extra_context=lambda d: report_context(d, campaign, results, checked.targets, png),
              extras=lambda d: picture_extras(template, CHART_REL, CHART_MEDIA, png))
    spelled = _spelling(job, doc)
    _gate(spelled, strict)
    outcome = _publish(job, registry, issue, date)
    pdfs = _pdf(outcome.path, pdf)
    outcome = dataclasses.replace(outcome, pdf=pdfs[0]) if pdfs else outcome
    return Produced(warnings + spelled, outcome, [outcome.path] + pdfs)


def _spelling(job: Job, doc) -> list[Problem]:
    """A word the report prints two ways (the launch's “Chiến sỹ” beside the law's “Chiến sĩ”),
    found in the document as it will be printed, before anything is written or numbered."""
    from ..readers.docx_text import paragraphs
    from ..spelling import variants

    texts = [(f"paragraph {n}", text) for n, text in enumerate(paragraphs(job.render(doc)), 1)]
    return [Problem(doc.id, line) for line in variants(texts)]


def make_decision(campaign_path: str | Path, results_path: str | Path, out_dir: str | Path = DEFAULT_OUTPUT,
                  templates_dir: str | Path | None = None, registry: str | Path | None = None,
                  issue: bool = False, date: dt.date | None = None, strict: bool = False,
                  pdf: bool = False) -> Produced:
    """The quyết định công nhận danh hiệu (QĐ) with its phụ lục."""
    checked, warnings = _ready(campaign_path, results_path, _decision_problems, strict, pdf)
    campaign, results = checked.campaign, checked.results
    doc = decision_document(campaign, results)
    job = Job(doc, _compiled(doc.template, templates_dir, doc.profile), Path(out_dir),
              extra_context=lambda d: decision_context(d, campaign, results))
    outcome = _publish(job, registry, issue, date)
    pdfs = _pdf(outcome.path, pdf)
    outcome = dataclasses.replace(outcome, pdf=pdfs[0]) if pdfs else outcome
    return Produced(warnings, outcome, [outcome.path] + pdfs)


def make_certificates(campaign_path: str | Path, results_path: str | Path, out_dir: str | Path = DEFAULT_OUTPUT,
                      templates_dir: str | Path | None = None, registry: str | Path | None = None,
                      strict: bool = False, pdf: bool = False, workers: int | None = None,
                      progress: Callable[[int], None] | None = None,
                      on_start: Callable[[int], None] | None = None) -> Produced:
    """One giấy khen per awardee (.docx each); with `pdf`, one merged PDF to print."""
    checked = check(campaign_path, results_path)
    campaign, results = checked.campaign, checked.results
    errors, _ = decision_problems(campaign, results)
    if errors:
        raise DataError(errors)
    _gate(checked.warnings, strict, pdf)
    template = template_file("giay-khen", templates_dir, campaign.document.profile)
    CompiledTemplate(template, name=None if isinstance(template, Path) else "giay-khen.docx (laid out from the profile)")  # a broken template is reported before any file is written
    decision = issued_decision(campaign, results, registry)
    blank = "number" if decision.date else "number and date"
    notes = [] if decision.number else [
        f"{decision.id} is not issued yet: the certificates leave its {blank} blank "
        f"(issue it with `decision … --issue`, then make the certificates again)"]
    if on_start:
        on_start(len(chosen(results)))
    paths = write_certificates(campaign, results, template, Path(out_dir), registry, workers, progress)
    merged = None
    if pdf and paths:
        folder = output_folder(decision, results, Path(out_dir))
        merged = merged_pdf(paths, folder.parent / f"{folder.name}-{results.year}.pdf")
    return Produced(checked.warnings, None, paths, merged, notes)


def _unit_names(source: str | Path, campaign: Campaign) -> list[str]:
    """Unit names from a results file (YAML or workbook) or a text file of one name a line."""
    source = Path(source)
    if source.suffix.lower() in (".yaml", ".yml") + WORKBOOK_SUFFIXES:
        return [u.name for u in load_results(source, campaign).units]
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(Problem(str(source), "file not found")) from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def results_workbook(campaign_path: str | Path, target: str | Path, unit_names: list[str] = (),
                     units_from: str | Path | None = None, fill_from: str | Path | None = None) -> Path:
    """The workbook units fill in: blank (unit names pre-filled) or filled with a results file's data."""
    from . import workbook  # openpyxl: loaded by the command that writes a workbook

    campaign = load_campaign(campaign_path)
    names = list(unit_names)
    if units_from is not None:
        names += [n for n in _unit_names(units_from, campaign) if n not in names]
    if fill_from is not None:
        results = load_results(fill_from, campaign)
        return workbook.write_template(campaign.document, target, results=results.data, units=results.units)
    return workbook.write_template(campaign.document, target, unit_names=names)
