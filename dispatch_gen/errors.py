"""User-facing errors: each carries one line per problem, printed by the CLI without a traceback."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input: `file:line: field: message`."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class DispatchGenError(Exception):
    """Base of every error a user can cause; the CLI prints `lines` and exits 1."""

    def __init__(self, problems: list[Problem | str] | Problem | str):
        if isinstance(problems, (str, Problem)):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class DataError(DispatchGenError):
    """The data file (YAML, Excel, imported document) is invalid."""


class BlankWorkbook(DataError):
    """A results workbook as `results template` made it: the structure is right, no figure is filled in.

    Its problems are the cells still to fill; `results check` reports them as such, and every
    document made from the workbook refuses it like any other data error.
    """


class TemplateError(DispatchGenError):
    """A template is missing, broken, or uses a variable the data does not provide."""


class RegistryError(DispatchGenError):
    """The number book refused an operation (unknown series, closed year, corrupt file, …)."""


class ConverterError(DispatchGenError):
    """PDF conversion or page preview failed (LibreOffice missing, timeout, corrupt input)."""


def os_error_line(exc: OSError, doing: str | None = None) -> str:
    """`path: what went wrong` for a failed file operation (read-only, full disk, not a folder…)."""
    import errno

    hints = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EISDIR: "is a folder",
        errno.ENAMETOOLONG: "the file name is too long",
        errno.ENOENT: "no such file or folder",
        errno.EFBIG: "the file is too large for this disk",
    }
    what = hints.get(exc.errno) or exc.strerror or str(exc)
    where = exc.filename if exc.filename is not None else None
    parts = [str(where)] if where is not None else []
    if doing:
        parts.append(doing)
    parts.append(what)
    return ": ".join(parts)
