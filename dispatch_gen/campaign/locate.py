"""Where a piece of results data lives in the file a person edits: a YAML line or a workbook cell.

Checks speak in data locations (`('units', 2, 'people', 3, 'titles', 0)`); a locator turns one into
the line a user can act on: `ket-qua.yaml:57: units[2].people[3].titles[0]: …` or
`ket-qua.xlsx: Cá nhân!C14: …`. Results may come from both at once (a YAML file whose units are
in a workbook), so locators can be routed by the first part of the location.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ..errors import Problem
from ..readers.yaml_data import field_path, line_of


class Locator(Protocol):
    def at(self, loc: tuple, message: str) -> Problem:
        """A problem located at `loc`."""


class YamlLocator:
    """Lines of a YAML file, from ruamel's round-trip positions."""

    def __init__(self, path: Path, data: Any):
        self.path, self.data = path, data

    def at(self, loc: tuple, message: str) -> Problem:
        return Problem(str(self.path), message, line=line_of(self.data, loc), field=field_path(loc) or None)

    def relocate(self, problem: Problem) -> Problem:
        return problem


class CellLocator:
    """Cells of a workbook, bound by the reader as it reads each value."""

    def __init__(self, path: Path):
        self.path = path
        self._cells: dict[str, str] = {}

    def bind(self, loc: tuple, cell: str) -> None:
        self._cells[field_path(loc)] = cell

    def cell(self, loc: tuple) -> str | None:
        """The cell of `loc`, or of its nearest bound parent (a row for a whole person)."""
        parts = list(loc)
        while parts:
            found = self._cells.get(field_path(parts))
            if found:
                return found
            parts.pop()
        return None

    def at(self, loc: tuple, message: str) -> Problem:
        return Problem(str(self.path), message, field=self.cell(loc))

    def relocate(self, problem: Problem) -> Problem:
        """Turn a problem located by field path (from model validation) into a cell."""
        loc = _parse_field(problem.field or "")
        return Problem(str(self.path), problem.message, field=self.cell(loc) if loc else None)


class RoutedLocator:
    """Units from a workbook, everything else from the YAML file that names it."""

    def __init__(self, main: YamlLocator, units: CellLocator):
        self.main, self.units = main, units

    def at(self, loc: tuple, message: str) -> Problem:
        return (self.units if loc[:1] == ("units",) else self.main).at(loc, message)


def _parse_field(field: str) -> tuple:
    """'units[2].people[3].titles[0]' -> ('units', 2, 'people', 3, 'titles', 0)."""
    out: list[Any] = []
    for part in field.replace("]", "").split("."):
        name, *indices = part.split("[")
        if name:
            out.append(name)
        out.extend(int(i) for i in indices if i.isdigit())
    return tuple(out)
