"""`dispatch-gen serve` (the web page for the office) and `dispatch-gen users` (who may sign in)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataError
from . import main
from .commands import templates_opt


@main.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"),
              show_default=True, help="The data folder whose YAML files the page lists and edits.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than this computer's needs --users.")
@click.option("--port", type=click.IntRange(0, 65535), default=8470, show_default=True)
@click.option("--registry", default=None,
              help="Number book (default: $DISPATCH_GEN_REGISTRY or registry.sqlite in the data folder).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Output folder (one subfolder per year).")
@templates_opt
@click.option("--users", "users_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Users file (made with `dispatch-gen users add NAME`): sign-in required.")
@click.option("--max-upload", type=click.IntRange(1, 1024), default=20, show_default=True,
              help="Largest upload, in MB.")
@click.option("--https-proxy", is_flag=True,
              help="Behind an HTTPS reverse proxy: trust its X-Forwarded-Proto and send Secure cookies.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--signing", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Signing configuration (as for issue --sign): offer Ký số on issued documents; its "
                   "passphrases and PINs are read from the server's environment.")
def serve(data_dir: Path, host: str, port: int, registry: str | None, out_dir: Path, templates_dir: Path | None,
          users_file: Path | None, max_upload: int, https_proxy: bool, threads: int, signing: Path | None) -> None:
    """Start the web page: documents, edit with preview, Cấp số, history, year-end."""
    import logging

    from ..web import serve as run
    from ..web.safety import is_loopback

    if not is_loopback(host) and users_file is None:
        raise DataError(f"--host {host}: listening beyond this computer needs --users FILE "
                        "(make it with `dispatch-gen users add NAME`)")
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: no such data folder")
    if signing is not None:
        from ..sign.config import load_signing

        load_signing(signing)  # a broken configuration stops the server before it starts
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run(data=data_dir, host=host, port=port, registry=registry, output=out_dir, templates=templates_dir,
        users_file=users_file, max_upload_mb=max_upload, https_proxy=https_proxy, threads=threads, signing=signing)


@main.group()
def users() -> None:
    """The people who may sign in to `serve` (passwords stored as Argon2 hashes)."""


_file_opt = click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
                         default=Path("users.txt"), show_default=True, help="The users file.")


@users.command("add")
@click.argument("name")
@_file_opt
@click.password_option("--password", prompt="Mật khẩu", confirmation_prompt="Nhập lại mật khẩu",
                       help="The password (asked for when not given).")
def users_add(name: str, path: Path, password: str) -> None:
    """Add NAME (or set a new password for NAME)."""
    from ..web.users import add_user

    add_user(path, name, password)
    click.echo(f"{path}: {name} added")


@users.command("remove")
@click.argument("name")
@_file_opt
def users_remove(name: str, path: Path) -> None:
    """Remove NAME."""
    from ..web.users import remove_user

    remove_user(path, name)
    click.echo(f"{path}: {name} removed")


@users.command("list")
@_file_opt
def users_list(path: Path) -> None:
    from ..web.users import read_users

    for name in read_users(path):
        click.echo(name)
