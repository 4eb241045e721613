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


class TemplateError(DispatchGenError):
    """A template is missing, broken, or uses a variable the data does not provide."""


class RegistryError(DispatchGenError):
    """The number book refused an operation (unknown series, closed year, corrupt file, …)."""


class ConverterError(DispatchGenError):
    """PDF conversion or page preview failed (LibreOffice missing, timeout, corrupt input)."""
