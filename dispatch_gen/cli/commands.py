"""Core commands: build, validate, templates build."""
from __future__ import annotations

from pathlib import Path

import click

from .. import api
from . import main

_templates_opt = click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path),
                              help="Folder of your own templates (edited in Word) instead of the defaults.")


@main.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=api.DEFAULT_OUTPUT, show_default=True, help="Output folder (one subfolder per year).")
@_templates_opt
def build(data: Path, out_dir: Path, templates_dir: Path | None) -> None:
    """Build the document described by DATA (YAML) and print its path."""
    result = api.build(data, out_dir=out_dir, templates_dir=templates_dir)
    click.echo(str(result.path))


@main.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(data: tuple[Path, ...]) -> None:
    """Check data files; report every problem at once (exit 1) or say they are valid."""
    from ..errors import DataError

    failed: list[str] = []
    for path in data:
        try:
            api.validate(path)
            click.echo(f"{path}: ok")
        except DataError as exc:
            failed.extend(exc.lines)
    if failed:
        raise DataError(failed)


@main.group()
def templates() -> None:
    """Manage the Word templates."""


@templates.command("build")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("templates"), show_default=True)
@click.option("--profile", default="decree30", show_default=True, help="Format profile name or YAML path.")
@click.argument("kinds", nargs=-1)
def templates_build(out_dir: Path, profile: str, kinds: tuple[str, ...]) -> None:
    """Regenerate the templates from the format profile (all, or the KINDS named)."""
    for path in api.build_templates(out_dir, profile, list(kinds) or None):
        click.echo(str(path))
