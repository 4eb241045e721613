"""`dispatch-gen rollover`: next year's draft of a campaign's data file."""
from __future__ import annotations

from pathlib import Path

import click

from .. import api
from . import main


@main.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", required=True, type=int, help="The new campaign year.")
@click.option("-o", "--output", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The new data file.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def rollover(data: Path, year: int, out_path: Path, force: bool) -> None:
    """Draft YEAR's data from DATA: print what changed and what a person must review."""
    result = api.rollover(data, year, out_path, force=force)
    click.echo(f"{out_path}: {year} draft written from {data}")
    click.echo("changed:")
    for line in result.changes:
        click.echo(f"  {line}")
    if result.review:
        click.echo("review (year-bound text left as typed):")
        for line in result.review:
            click.echo(f"  {line}")
