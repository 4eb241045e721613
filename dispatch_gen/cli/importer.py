"""`dispatch-gen import`: an existing dispatch (.docx or .txt) as a YAML data file."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataError, DispatchGenError
from .. import api
from . import main


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The YAML data file to write.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--profile", default=None, help="Format profile name or YAML path (default: the family the header shows).")
def import_(source: Path, out_path: Path, force: bool, profile: str) -> None:
    """Read SOURCE (an old dispatch) and write our data format; print what was recognised."""
    try:
        result = api.import_document(source, out_path, force=force, profile=profile)
    except (DispatchGenError, click.ClickException, OSError):
        raise  # an OSError (read-only, full disk …) is one line from the command group
    except Exception as exc:  # noqa: BLE001  (any other failure is our bug: one line, no traceback)
        detail = " ".join(str(exc).split())[:200]
        raise DataError(f"{source}: import failed ({type(exc).__name__}: {detail}); this is a bug in "
                        "dispatch-gen, please report it with the file") from None
    click.echo(f"{out_path}: written from {source}")
    for line in result.summary:
        click.echo(f"  {line}")
    for line in result.review:
        click.echo(f"  review: {line}")
    if result.unsorted:
        click.echo(f"  {len(result.unsorted)} line(s) kept under CHƯA XẾP ĐƯỢC (unsorted) at the end of the file")
    if result.problems:
        raise DataError(result.problems)
