"""Commands `pdf` and `preview`: PDF export and page images through LibreOffice and Poppler."""
from __future__ import annotations

from pathlib import Path

import click

from .. import api
from . import main


@main.command("pdf")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDFs (default: beside each document).",
)
@click.option("--timeout", type=float, default=None,
              help="Seconds without progress before a conversion is stopped (default: $DISPATCH_GEN_PDF_TIMEOUT, else 120).")
def pdf_command(files: tuple[Path, ...], out_dir: Path | None, timeout: float | None) -> None:
    """Convert documents (.docx, .odt …) to PDF, all in one LibreOffice run."""
    for path in api.convert_to_pdf(files, out_dir, timeout=timeout):
        click.echo(path)


@main.command("preview")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--page", type=int, default=None, help="Only this page (1 = first).")
@click.option(
    "-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PNG images (default: beside the document).",
)
@click.option("--dpi", type=int, default=100, show_default=True, help="Resolution of the images.")
def preview_command(file: Path, page: int | None, out_dir: Path | None, dpi: int) -> None:
    """Write PNG images of a document's pages (<name>-p1.png …)."""
    for path in api.preview(file, page=page, out_dir=out_dir, dpi=dpi):
        click.echo(path)
