"""Commands `sign` and `verify`: ký số of an issued PDF, and the check of a received one."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click

from .. import api
from . import main

PASSPHRASE_ENV = "DISPATCH_GEN_PASSPHRASE"
PIN_ENV = "DISPATCH_GEN_PIN"

_file = click.Path(dir_okay=False, path_type=Path)


def secret_from(env: str):
    """Ask for a passphrase or PIN only when the key needs one: the environment variable if set,
    else a hidden prompt (never a command-line argument, which other users can read)."""
    def ask(what: str) -> str:
        value = os.environ.get(env)
        if value is not None:
            return value
        return click.prompt(what[:1].upper() + what[1:], hide_input=True, err=True)
    return ask


def key_options(f):
    """The key options shared by `sign` and `issue --sign`."""
    for option in reversed([
        click.option("--p12", type=_file, help="PKCS#12 file (.p12/.pfx) holding the key and certificate."),
        click.option("--key", "key_file", type=_file, help="Private key file (PEM/DER), with --cert."),
        click.option("--cert", type=_file, help="Certificate of the key (PEM/DER); with --key, or for a token "
                                                "that does not hold its certificate."),
        click.option("--chain", type=_file, multiple=True, help="Intermediate CA certificate(s) to embed (repeatable)."),
        click.option("--pkcs11-lib", type=_file, help="PKCS#11 library of the USB token (e.g. the maker's .so)."),
        click.option("--token", help="Label of the token."),
        click.option("--key-label", help="Label of the key on the token."),
        click.option("--image", type=_file, help="PNG with a transparent background: the signer's blue "
                                                  "signature (--as signer) or the red seal (--as organisation)."),
        click.option("--block", help="Which signature block (its number, or words of the name or chức vụ) "
                                     "when the document has several."),
    ]):
        f = option(f)
    return f


def key_source(p12, key_file, cert, chain, pkcs11_lib, token, key_label):
    return api.KeySource(p12=p12, key=key_file, cert=cert, chain=tuple(chain), pkcs11_lib=pkcs11_lib,
                         token=token, key_label=key_label)


def report_signed(signed) -> None:
    where = (f" at block {signed.block.index} ({signed.block.label})" if signed.block
             else " (text at the top right of page 1)" if signed.box else " (no visible image)")
    who = signed.organisation if signed.role == "organisation" and signed.organisation else signed.signer
    click.echo(f"signed as {signed.role}: {who}, {signed.time.isoformat()}{where}", err=True)
    for note in signed.notes:
        click.echo(f"note: {note}", err=True)


@main.command("sign")
@click.argument("pdf", type=_file)
@click.option("--as", "role", type=click.Choice(["signer", "organisation"]), required=True,
              help="signer: the person with authority (ô 7c); organisation: the agency's seal (ô 8), after the signer.")
@key_options
@click.option("--attachment-of", metavar="SỐ/KÝ-HIỆU",
              help="PDF is a văn bản kèm theo sent as its own file: the organisation signs it with text only "
                   "(this Số, ký hiệu and the signing time) at the top right of its first page.")
@click.option("-o", "--output", type=_file, help="Signed file (default: sign PDF in place).")
def sign_command(pdf: Path, role: str, p12, key_file, cert, chain, pkcs11_lib, token, key_label, image, block,
                 attachment_of, output) -> None:
    """Sign PDF digitally (PAdES) as the signer or the organisation, in the form of Decree 30.

    The passphrase of a key file comes from $DISPATCH_GEN_PASSPHRASE, a token's PIN from
    $DISPATCH_GEN_PIN; otherwise they are asked for.
    """
    source = key_source(p12, key_file, cert, chain, pkcs11_lib, token, key_label)
    signed = api.sign_pdf(pdf, role=role, key=source, image=image, output=output, block=block,
                          secret=secret_from(PIN_ENV if pkcs11_lib else PASSPHRASE_ENV), attachment_of=attachment_of)
    click.echo(str(signed.path))
    report_signed(signed)


@main.command("verify")
@click.argument("pdf", type=_file)
@click.option("--trust", type=_file, multiple=True,
              help="Trusted CA certificate(s), PEM or DER (repeatable; default: the system's trust store).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def verify_command(ctx: click.Context, pdf: Path, trust: tuple[Path, ...], as_json: bool) -> None:
    """Check every signature of PDF; exit 0 only when all are valid and trusted and nothing
    changed after the last one."""
    report = api.verify_pdf(pdf, list(trust))
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    ctx.exit(0 if report.ok else 1)


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _print_report(report) -> None:
    if not report.signatures:
        click.echo(f"{report.path}: no digital signature")
        return
    click.echo(f"{report.path}: {len(report.signatures)} signature(s)")
    for n, sig in enumerate(report.signatures, start=1):
        org = f" ({sig.organisation})" if sig.organisation and sig.organisation != sig.signer else ""
        click.echo(f"{n}. {sig.field} — {sig.role}: {sig.signer}{org}, signed {sig.time or 'at an unknown time'}")
        click.echo(f"   integrity: {'ok' if sig.intact else 'BROKEN'}; trusted: {_yes(sig.trusted)}"
                   + (f"; afterwards: {sig.changed_after}" if sig.changed_after else ""))
        if sig.problem:
            click.echo(f"   problem: {sig.problem}")
    if report.changed_after_last:
        click.echo("the file was changed after the last signature")
    click.echo("all signatures valid and trusted" if report.ok else "NOT all signatures are valid and trusted")
