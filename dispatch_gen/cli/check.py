"""`dispatch-gen check`: a Decree 30 compliance report for .docx files (exit 1 on errors)."""
from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..errors import DataError
from . import main


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--profile", default=None,
              help="Format profile name or YAML path (default: from the header's title: Decree 30, party, youth-union).")
@click.option("--rules", "list_rules", is_flag=True, help="List the rule codes and exit.")
@click.option("--strict", is_flag=True,
              help="For a document about to be issued: a form's blanks and a blank number or date are errors.")
def check(files: tuple[Path, ...], as_json: bool, profile: str | None, list_rules: bool, strict: bool) -> None:
    """Check FILES (.docx) against the format profile; exit 1 if any has errors."""
    from ..check.report import format_json, format_rules, format_text
    from ..profile import load_profile

    if list_rules:
        click.echo(format_rules())
        return
    if not files:
        raise click.UsageError("give at least one .docx file")
    prof = load_profile(profile) if profile else None
    reports, problems = [], []
    for path in files:
        try:
            reports.append(api.check_file(path, prof, strict=strict))
        except DataError as exc:
            problems.extend(exc.lines)
    if as_json:
        click.echo(format_json(reports, problems))
    else:
        for report in reports:
            click.echo(format_text(report))
        for line in problems:
            click.echo(f"error: {line}", err=True)
        if len(reports) > 1:
            bad = sum(1 for r in reports if not r.ok)
            click.echo(f"{len(reports)} file(s) checked, {bad} with errors")
    if problems or any(not r.ok for r in reports):
        raise SystemExit(1)
