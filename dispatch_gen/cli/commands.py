"""Core commands: build, validate, templates build."""
from __future__ import annotations

from pathlib import Path

import click

from .. import api
from . import main

templates_opt = click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path),
                             help="Folder of your own templates (edited in Word) instead of the defaults.")
registry_opt = click.option("--registry", metavar="FILE|URL", default=None,
                            help="Number book: a .sqlite file or postgresql://user@host/db "
                                 "(default: $DISPATCH_GEN_REGISTRY or data/registry.sqlite).")
output_opt = click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                           default=api.DEFAULT_OUTPUT, show_default=True, help="Output folder (one subfolder per year).")
_renumber_opt = click.option("--renumber", is_flag=True, help="Allow moving an issued document to another year's number.")
pdf_opt = click.option("--pdf", is_flag=True, help="Also write the PDF beside the .docx (needs LibreOffice).")
date_opt = click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        help="Date of issue (YYYY-MM-DD); default: the data's date, else today.")

_SAID = {
    "draft": "draft (no number used)",
    "registered": "registered its number in the book",
    "issued": "issued",
    "revised": "content changed: new revision {rev} recorded",
    "unchanged": "unchanged: nothing written",
    "restored": "file restored from the book (content unchanged)",
    "renumbered": "renumbered",
}


def report(outcome) -> None:
    """Print the path first (scripts read it), then what happened, on stderr."""
    click.echo(str(outcome.path))
    if outcome.pdf:
        click.echo(str(outcome.pdf))
    said = _SAID[outcome.status].format(rev=outcome.revision)
    if outcome.status == "unchanged" and outcome.pdf and not any(n.startswith("PDF unchanged") for n in outcome.notes):
        said = "unchanged: .docx not written; PDF made from it"
    click.echo(f"{outcome.number_line} — {said}", err=True)
    for note in outcome.notes:
        click.echo(f"note: {note}", err=True)


@main.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@output_opt
@templates_opt
@registry_opt
@_renumber_opt
@pdf_opt
def build(data: Path, out_dir: Path, templates_dir: Path | None, registry: str | None, renumber: bool, pdf: bool) -> None:
    """Build the document described by DATA (YAML) and print its path.

    Without a number it is a draft (nothing is consumed); with one, or once issued, it is kept
    under its number and every change is recorded as a revision.
    """
    report(api.build(data, out_dir=out_dir, templates_dir=templates_dir, registry=registry,
                     renumber=renumber, pdf=pdf))


@main.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@date_opt
@output_opt
@templates_opt
@registry_opt
@_renumber_opt
@pdf_opt
@click.option("--sign", "signing", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Signing configuration (YAML: signer and organisation keys and images): make the PDF and "
                   "sign it before the number is recorded (implies --pdf).")
def issue(data: Path, date, out_dir: Path, templates_dir: Path | None, registry: str | None, renumber: bool,
          pdf: bool, signing: Path | None) -> None:
    """Issue DATA: take the next free number of its series, record it, write the final document."""
    prompt = (lambda what: click.prompt(what[:1].upper() + what[1:], hide_input=True, err=True)) if signing else None
    report(api.issue(data, out_dir=out_dir, templates_dir=templates_dir, registry=registry,
                     date=date.date() if date else None, renumber=renumber, pdf=pdf or bool(signing),
                     sign=signing, prompt=prompt))


@main.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True,
              help="Gaps (`?`, `……`, TODO, an empty signer name, unsorted lines) are errors, as for `issue`.")
def validate(data: tuple[Path, ...], strict: bool) -> None:
    """Check data files; report every problem at once (exit 1) or say they are valid.

    Gaps left to fill are warnings: such a file is valid for a draft but not `ok` to issue."""
    from ..errors import DataError

    failed: list[str] = []
    for path in data:
        try:
            _, gaps = api.validate_data(path, strict)
            kind_warnings = api.warnings(path)
        except DataError as exc:
            failed.extend(exc.lines)
            continue
        for line in gaps + kind_warnings:
            click.echo(f"warning: {line}", err=True)
        click.echo(f"{path}: valid, {len(gaps)} gap(s) to fill before issuing" if gaps else f"{path}: ok")
    if failed:
        raise DataError(failed)


@main.command("copy")
@click.argument("doc_id")
@click.option("--kind", type=click.Choice(["sao-y", "sao-luc", "trich-sao"]), default="sao-y", show_default=True,
              help="Form of copy (mẫu 3.1): SAO Y, SAO LỤC or TRÍCH SAO.")
@click.option("--data", "data_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Who makes the copy: issuers, place, signers, recipients (YAML, as a document's).")
@click.option("--part", "parts", multiple=True, metavar="PART",
              help="Trích sao: a part to copy, as printed (Điều 1, II, 5.2, Phụ lục I); repeat for more.")
@click.option("--row", "rows", multiple=True, metavar="NAME",
              help="Trích sao: a row of the list (phụ lục) to copy, by a cell's text (e.g. a name); repeat for more.")
@date_opt
@output_opt
@templates_opt
@registry_opt
@pdf_opt
def copy_(doc_id: str, kind: str, data_path: Path, parts: tuple[str, ...], rows: tuple[str, ...], date,
          out_dir: Path, templates_dir: Path | None, registry: Path | None, pdf: bool) -> None:
    """A bản sao of the issued document DOC_ID: its text with the copy block under it, numbered
    in the copying body's own series and recorded in the book. A trích sao copies the head, the
    parts and rows chosen, and the signature and Nơi nhận."""
    report(api.copy(doc_id, kind, data_path, out_dir=out_dir, templates_dir=templates_dir, registry=registry,
                    date=date.date() if date else None, pdf=pdf, parts=parts, rows=rows))


@main.group()
def templates() -> None:
    """Manage the Word templates."""


@templates.command("build")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("templates"), show_default=True)
@click.option("--profile", default=None,
              help="Format profile name or YAML path (default: Decree 30, plus a subfolder per family laid out otherwise).")
@click.argument("kinds", nargs=-1)
def templates_build(out_dir: Path, profile: str | None, kinds: tuple[str, ...]) -> None:
    """Regenerate the templates from the format profiles (all, or the KINDS named)."""
    for path in api.build_templates(out_dir, profile, list(kinds) or None):
        click.echo(str(path))
