"""The `dispatch-gen` command line: a thin shell over `dispatch_gen.api`.

Each submodule registers the commands of one feature on `main`; every command only parses
options, calls one library function and prints its result. User errors become one line per
problem on stderr and exit status 1, never a traceback.
"""
from __future__ import annotations

import sys

import click

from ..errors import DispatchGenError, os_error_line
from ..signals import Terminated, exit_status, terminating_like_ctrl_c


class _Group(click.Group):
    """A click group that turns our errors into plain messages and a non-zero exit status."""

    def invoke(self, ctx: click.Context):
        try:
            with terminating_like_ctrl_c():
                return super().invoke(ctx)
        except DispatchGenError as exc:
            for line in exc.lines:
                click.echo(f"error: {line}", err=True)
            ctx.exit(1)
        except OSError as exc:
            click.echo(f"error: {os_error_line(exc)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM, SIGHUP: everything started is stopped
            click.echo("interrupted" if not isinstance(exc, Terminated) else f"stopped by signal {exc.signum}",
                       err=True)
            ctx.exit(exit_status(exc))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dispatch-gen")
def main() -> None:
    """Vietnamese official documents (Nghị định 30/2020/NĐ-CP) from structured data."""


def _register() -> None:
    from . import commands  # noqa: F401  (registers the core commands)
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        if mod.name not in ("commands",):
            importlib.import_module(f"{__name__}.{mod.name}")


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
