"""Year-end commands: results template/check, report, decision, certificates."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import api
from ..errors import BlankWorkbook, DataError
from . import main
from .commands import date_opt, output_opt, pdf_opt, registry_opt, report, templates_opt

_campaign_arg = click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
_results_opt = click.option("--results", "results", required=True, type=click.Path(dir_okay=False, path_type=Path),
                            help="The units' results: a results YAML file or a filled workbook (.xlsx).")
_strict_opt = click.option("--strict", is_flag=True, help="Treat every warning as an error: nothing is written.")
_issue_opt = click.option("--issue", is_flag=True, help="Take the next free number of the book (default: a draft).")


def _warn(warnings) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)


@main.group()
def results() -> None:
    """The units' results of a campaign: the workbook they fill in, and checking what they sent."""


@results.command("template")
@_campaign_arg
@click.option("-o", "--output", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The workbook to write (.xlsx).")
@click.option("--unit", "units", multiple=True, help="A unit name to pre-fill (repeat for each unit).")
@click.option("--units", "units_from", type=click.Path(dir_okay=False, path_type=Path),
              help="Unit names from a text file (one a line) or from earlier results (.yaml/.xlsx).")
@click.option("--fill", "fill_from", type=click.Path(dir_okay=False, path_type=Path),
              help="Fill the workbook with the data of this results file.")
def results_template(campaign: Path, target: Path, units: tuple[str, ...], units_from: Path | None,
                     fill_from: Path | None) -> None:
    """Write the results workbook for CAMPAIGN: sheets, headers, unit names and title dropdowns."""
    click.echo(str(api.results_workbook(campaign, target, list(units), units_from, fill_from)))


@results.command("check")
@_campaign_arg
@_results_opt
@_strict_opt
def results_check(campaign: Path, results: Path, strict: bool) -> None:
    """Check the results against CAMPAIGN and show every target as the report will."""
    try:
        checked = api.results_check(campaign, results)
    except BlankWorkbook as blank:
        if strict:
            raise
        for line in blank.lines:
            click.echo(f"still empty: {line}", err=True)
        click.echo(f"{results}: the workbook's structure is right; {len(blank.problems)} values still to fill")
        return
    if strict and checked.warnings:
        raise DataError(checked.warnings)
    _warn(checked.warnings)
    units = checked.results.units
    click.echo(f"{results}: {len(units)} units, {sum(len(u.people) for u in units)} people")
    for t in checked.targets:
        click.echo(f"{t.number}. {t.label}: {t.count_text} = {t.ratio_text} (chỉ tiêu {t.share_text}) — {t.verdict}")


def _numbered_document(name: str, help_text: str):
    """A year-end document numbered through the book: `report` and `decision` share every option."""

    @main.command(name, help=help_text)
    @_campaign_arg
    @_results_opt
    @output_opt
    @templates_opt
    @registry_opt
    @_issue_opt
    @date_opt
    @_strict_opt
    @pdf_opt
    def command(campaign: Path, results: Path, out_dir: Path, templates_dir: Path | None, registry: str | None,
                issue: bool, date, strict: bool, pdf: bool) -> None:
        made = getattr(api, name)(campaign, results, out_dir, templates_dir, registry, issue,
                    date.date() if date else None, strict, pdf)
        _warn(made.warnings)
        report(made.outcome)

    return command


report_command = _numbered_document(
    "report", "The báo cáo tổng kết (BC) of CAMPAIGN from its results: a draft, or numbered with --issue.")
decision_command = _numbered_document(
    "decision", "The quyết định công nhận danh hiệu (QĐ) with its phụ lục: a draft, or numbered with --issue.")


@main.command("certificates")
@_campaign_arg
@_results_opt
@output_opt
@templates_opt
@registry_opt
@_strict_opt
@click.option("--pdf", is_flag=True, help="Also write one merged PDF of all certificates (needs LibreOffice).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes rendering in parallel (default: both cores for large batches).")
def certificates_command(campaign: Path, results: Path, out_dir: Path, templates_dir: Path | None,
                         registry: str | None, strict: bool, pdf: bool, workers: int | None) -> None:
    """One giấy khen (.docx, A4 landscape) per awarded unit and person; --pdf merges them for printing."""
    bars = []

    def start(count: int) -> None:
        bar = click.progressbar(length=count, label="Giấy khen", file=sys.stderr)
        bar.__enter__()
        bars.append(bar)

    try:
        made = api.certificates(campaign, results, out_dir, templates_dir, registry, strict, pdf, workers,
                                     progress=lambda n: bars[0].update(n), on_start=start)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    _warn(made.warnings)
    for note in made.notes:
        click.echo(f"note: {note}", err=True)
    folder = made.paths[0].parent if made.paths else out_dir
    click.echo(f"{folder}")
    click.echo(f"{len(made.paths)} certificates written", err=True)
    if made.pdf:
        click.echo(str(made.pdf))
