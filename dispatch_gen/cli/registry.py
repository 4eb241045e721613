"""Number book commands: registry list/reserve/void, history, diff."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .. import api
from . import main
from .commands import registry_opt


@main.group()
def registry() -> None:
    """The number book (sổ đăng ký văn bản đi)."""


@registry.command("list")
@click.option("--year", type=int, default=None)
@click.option("--series", default=None)
@click.option("--json", "as_json", is_flag=True, help="A JSON list of objects instead of a table.")
@registry_opt
def list_(year: int | None, series: str | None, as_json: bool, registry: str | None) -> None:
    """List numbers: issued, reserved and void."""
    entries = api.registry_entries(registry, year=year, series=series)
    if as_json:
        click.echo(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("(no entries)")
        return
    rows = [("Số", "Ngày", "Trạng thái", "Bản", "Mã văn bản", "Trích yếu / ghi chú")]
    for e in entries:
        label = f"{e.number:02d}/{e.symbol}" if e.symbol else f"{e.number:02d} ({e.series})"
        rows.append((label, e.date or "", e.status, str(e.revisions) if e.status == "issued" else "",
                     e.doc_id or "", e.title or e.note or ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])


@registry.command()
@registry_opt
def init(registry: str | None) -> None:
    """Create the number book, or upgrade it to this version's schema (safe to run again)."""
    where, before, after = api.init_registry(registry)
    if before == 0:
        click.echo(f"{where}: number book created (schema version {after})")
    elif before == after:
        click.echo(f"{where}: number book is up to date (schema version {after})")
    else:
        click.echo(f"{where}: number book upgraded from schema version {before} to {after}")


@registry.command()
@registry_opt
def check(registry: str | None) -> None:
    """Check the book: storage (integrity_check) and its own rules; exit 1 on any problem."""
    report = api.check_registry(registry)
    if report.ok:
        click.echo(f"{report.address}: ok ({report.entries} numbers, {report.revisions} revisions)")
        return
    for problem in report.problems:
        click.echo(f"error: {report.address}: {problem}", err=True)
    raise SystemExit(1)


@registry.command()
@click.option("-o", "--output", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write (a SQLite book).")
@click.option("--force", is_flag=True, help="Replace an existing backup file.")
@registry_opt
def backup(target: Path, force: bool, registry: str | None) -> None:
    """Write a verified copy of the book (SQLite's online backup API; safe while others use it)."""
    where, summary = api.backup_registry(target, registry, force=force)
    click.echo(str(target))
    click.echo(f"{where} → {target}: {summary}", err=True)


@registry.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a sound book too (numbers recorded since the backup are dropped).")
@registry_opt
def restore(backup_file: Path, force: bool, registry: str | None) -> None:
    """Put BACKUP back as the book; a damaged book file is kept aside, never deleted."""
    where, summary, kept = api.restore_registry(backup_file, registry, force=force)
    click.echo(f"{where}: restored from {backup_file}: {summary}")
    if kept:
        click.echo(f"note: the replaced file is kept as {kept}", err=True)


@registry.command()
@click.option("--from", "source", required=True, metavar="FILE|URL", help="The book to copy.")
@click.option("--to", "target", required=True, metavar="FILE|URL", help="The book to fill (must be empty).")
@click.option("--force", is_flag=True, help="Replace the target's contents if it is not empty.")
def copy(source: str, target: str, force: bool) -> None:
    """Copy a whole book (e.g. a SQLite file to the office's PostgreSQL server), verified."""
    src, dst, summary = api.copy_registry(source, target, force=force)
    click.echo(f"{src} → {dst}: copied and verified: {summary}")


@registry.command("print")
@click.option("--year", type=int, required=True)
@click.option("--series", default=None, help="The series to print (needed when the year has several).")
@click.option("-o", "--output", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="so-di-2024.docx, .xlsx or .pdf")
@registry_opt
def print_(year: int, series: str | None, target: Path, registry: str | None) -> None:
    """Print the Sổ đăng ký văn bản đi of a year (Decree 30, Phụ lục IV): cover, first page, one row per number."""
    click.echo(str(api.print_registry(year, target, series=series, registry=registry)))


@registry.command()
@click.option("--series", required=True)
@click.option("--year", type=int, required=True)
@click.option("--count", type=click.IntRange(1, 1000), default=1, show_default=True)
@click.option("--note", default=None, help="What the numbers are for.")
@click.option("--force", is_flag=True, help="Allow reserving in a closed (past) year.")
@registry_opt
def reserve(series: str, year: int, count: int, note: str | None, force: bool, registry: str | None) -> None:
    """Reserve numbers for documents typed outside the tool."""
    numbers = api.reserve(series, year, count=count, note=note, force=force, registry=registry)
    click.echo(", ".join(f"{n:02d}" for n in numbers))


@registry.command()
@click.argument("number", type=int)
@click.option("--series", required=True)
@click.option("--year", type=int, required=True)
@click.option("--reason", required=True)
@registry_opt
def void(number: int, series: str, year: int, reason: str, registry: str | None) -> None:
    """Void a reserved NUMBER for good (it is never reused)."""
    entry = api.void(series, year, number, reason, registry=registry)
    click.echo(f"{entry.number:02d}/{entry.year} ({entry.series}): void")


@main.command()
@click.argument("doc_id")
@registry_opt
@click.option("--export", "export_rev", type=int, default=None, help="Write the .docx of revision N.")
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File for --export (default: output/<year>/<number-ký hiệu>-revN.docx, beside the issued file).")
def history(doc_id: str, registry: str | None, export_rev: int | None, target: Path | None) -> None:
    """List the revisions of document DOC_ID (time, content hash, trigger)."""
    if export_rev is not None:
        click.echo(str(api.revision_file(doc_id, export_rev, target, registry)))
        return
    rows = [("Bản", "Thời điểm", "Mã nội dung", "Lý do")]
    rows += [(str(r.rev), r.created_at, r.content_hash[:12], r.trigger) for r in api.history(doc_id, registry)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        click.echo("  ".join(c.rjust(w) if i == 0 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
                   + "  " + r[-1])


@main.command()
@click.argument("doc_id")
@click.argument("revs", nargs=-1, type=int)
@registry_opt
def diff(doc_id: str, revs: tuple[int, ...], registry: str | None) -> None:
    """Paragraph-level diff between two revisions of DOC_ID (default: the last two)."""
    if len(revs) not in (0, 2):
        raise click.UsageError("give two revision numbers, or none for the last two")
    text = api.diff(doc_id, *(revs or (None, None)), registry=registry)
    click.echo(text if text.endswith("\n") else text + "\n", nl=False)
