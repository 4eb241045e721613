"""Read a filled results workbook back into results data, every value bound to its cell.

Columns are found by their header text, so a unit that adds a note column (or moves one) does
not break the reading. The reader only reshapes cells into the YAML shape and converts what a
spreadsheet types differently (Có/Không, 12.0); the model and the title checks then run exactly
as for YAML, and their messages name the cell: `ket-qua.xlsx: Cá nhân!C14: …`.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError
from typing import Any

from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..errors import BlankWorkbook, DataError, Problem
from ..limits import check_zip
from . import workbook as layout
from .locate import CellLocator

_TRUE = {"có", "co", "x", "yes", "true", "1", "đúng"}
_FALSE = {"không", "khong", "no", "false", "0", "sai"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()
    return text or None


class _Sheet:
    """One sheet's header map and rows, with cell names for messages."""

    def __init__(self, wb, name: str, columns: tuple[layout.Column, ...], path: Path, problems: list[Problem]):
        self.name = name
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.letters: dict[str, str] = {}
        if name not in wb.sheetnames:
            problems.append(Problem(str(path), f"no sheet {name!r} (sheets: {', '.join(wb.sheetnames)})"))
            return
        rows = wb[name].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
        for col in columns:
            if col.key is None:
                continue
            if col.header in header:
                self.letters[col.key] = get_column_letter(header.index(col.header) + 1)
            else:
                problems.append(Problem(str(path), f"no column {col.header!r} in the header row", field=f"{name}!1"))
        index = {key: header.index(col.header) for col in columns
                 if (key := col.key) is not None and col.header in header}
        for number, values in enumerate(rows, 2):
            record = {key: values[i] if i < len(values) else None for key, i in index.items()}
            if any(_text(v) is not None for v in record.values()):
                self.rows.append((number, record))

    def cell(self, key: str, row: int) -> str:
        return f"{self.name}!{self.letters.get(key, '?')}{row}"


def _count(value: Any, where: str, path: Path, problems: list[Problem]) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if value is None:
        problems.append(Problem(str(path), "required: a whole number", field=where))
    return value


def _flag(value: Any, where: str, path: Path, problems: list[Problem]) -> bool | None:
    text = _text(value)
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    problems.append(Problem(str(path), f"{text!r} is not {layout.YES} or {layout.NO}", field=where))
    return None


def _reason(exc: Exception) -> str:
    """One line: XML parsers put the position on a second line."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{type(exc).__name__}: {text}" if isinstance(exc, (ParseError, XMLSyntaxError)) else text


def read_workbook(path: str | Path) -> tuple[dict[str, Any], CellLocator, list[Problem]]:
    """The workbook's data in the shape of a results YAML file, where each value came from, and
    the values that could not be read (to report with the model's own findings, all at once).

    A file that is not a workbook, or lacks a sheet or a column, stops here with a DataError.
    """
    path = Path(path)
    check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise DataError(Problem(str(path), "file not found")) from None
    except IsADirectoryError:
        raise DataError(Problem(str(path), "is a folder, not an Excel workbook")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, ParseError, XMLSyntaxError) as exc:
        raise DataError(Problem(str(path), f"not an Excel workbook (.xlsx): {_reason(exc)}")) from None
    structure: list[Problem] = []
    values: list[Problem] = []
    cells = CellLocator(path)
    try:
        data = _read(wb, path, cells, structure, values)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, ParseError, XMLSyntaxError) as exc:
        raise DataError(Problem(str(path), f"a sheet cannot be read: {_reason(exc)}")) from None
    finally:
        wb.close()
    if structure:
        raise DataError(structure)
    if _blank(data):
        raise BlankWorkbook(_still_empty(wb_path=path, data=data, cells=cells))
    return data, cells, values


def _blank(data: dict[str, Any]) -> bool:
    """Nothing a unit fills in is there yet: no count, title or person on any unit row."""
    return all(set(unit) <= {"name", "people"} and not unit.get("people") for unit in data.get("units", []))


def _still_empty(wb_path: Path, data: dict[str, Any], cells: CellLocator) -> list[Problem]:
    """One line a cell (or sheet) still to fill, so the office sees what the units must send back."""
    where = str(wb_path)
    units = data.get("units", [])
    if not units:
        empty = [Problem(where, "no unit listed yet (one row a unit, from row 2)", field=f"{layout.UNITS}!A2")]
    else:
        empty = [Problem(where, f"{unit['name']}: {label} still empty", field=cells.cell(("units", i, key)))
                 for i, unit in enumerate(units)
                 for key, label in (("staff", "số cán bộ công chức"), ("union_members", "số đoàn viên công đoàn"))]
    empty.append(Problem(where, "no person listed yet (one row a person, from row 2)", field=f"{layout.PEOPLE}!A2"))
    if (data.get("awards") or {}).get("base_salary") is None:
        empty.append(Problem(where, "base salary (mức lương cơ sở) still empty — needed only for the decision",
                             field=f"{layout.TITLES}!{layout.BASE_SALARY_CELL}"))
    return empty


def _read(wb, path: Path, cells: CellLocator, structure: list[Problem], problems: list[Problem]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if layout.GUIDE in wb.sheetnames:
        guide = wb[layout.GUIDE]
        data["campaign"] = _text(guide[layout.CAMPAIGN_CELL].value)
        data["year"] = _count(guide[layout.YEAR_CELL].value, f"{layout.GUIDE}!{layout.YEAR_CELL}", path, problems)
        cells.bind(("campaign",), f"{layout.GUIDE}!{layout.CAMPAIGN_CELL}")
        cells.bind(("year",), f"{layout.GUIDE}!{layout.YEAR_CELL}")
    else:
        structure.append(Problem(str(path), f"no sheet {layout.GUIDE!r} (it names the campaign and the year)"))

    units_sheet = _Sheet(wb, layout.UNITS, layout.UNIT_COLUMNS, path, structure)
    people_sheet = _Sheet(wb, layout.PEOPLE, layout.PEOPLE_COLUMNS, path, structure)
    if structure:
        return data
    units: list[dict[str, Any]] = []
    by_name: dict[str, dict[str, Any]] = {}
    for row, rec in units_sheet.rows:
        i = len(units)
        cells.bind(("units", i), units_sheet.cell("name", row))
        unit = {
            "name": _text(rec["name"]),
            "staff": _count(rec["staff"], units_sheet.cell("staff", row), path, problems),
            "union_members": _count(rec["union_members"], units_sheet.cell("union_members", row), path, problems),
            "title": _text(rec["title"]),
            "achievements": _text(rec["achievements"]),
            "people": [],
        }
        for key in ("name", "staff", "union_members", "title", "achievements"):
            cells.bind(("units", i, key), units_sheet.cell(key, row))
        units.append({k: v for k, v in unit.items() if v is not None})
        if unit["name"]:
            by_name.setdefault(unit["name"], units[-1]).setdefault("_index", i)

    for row, rec in people_sheet.rows:
        unit_name = _text(rec["unit"])
        where_unit = people_sheet.cell("unit", row)
        if unit_name is None:
            problems.append(Problem(str(path), "required: the person's unit (Đơn vị)", field=where_unit))
            continue
        unit = by_name.get(unit_name)
        if unit is None:
            close = difflib.get_close_matches(unit_name, list(by_name), n=1, cutoff=0.6)
            hint = f" — did you mean {close[0]!r}?" if close else f" (units: sheet {layout.UNITS!r})"
            problems.append(Problem(str(path), f"{unit_name!r} is not a unit of the workbook{hint}", field=where_unit))
            continue
        i, j = unit["_index"], len(unit["people"])
        titles = []
        title_cells = []
        for key in ("title", "more_titles"):
            for part in (_text(rec[key]) or "").split(layout.TITLE_SEPARATOR):
                if part.strip():
                    titles.append(part.strip())
                    title_cells.append(people_sheet.cell(key, row))
        person = {
            "name": _text(rec["name"]),
            "position": _text(rec["position"]),
            "gender": _text(rec["gender"]),
            "titles": titles,
            "study": _flag(rec["study"], people_sheet.cell("study", row), path, problems),
            "union_member": _flag(rec["union_member"], people_sheet.cell("union_member", row), path, problems),
            "achievements": _text(rec["achievements"]),
        }
        cells.bind(("units", i, "people", j), people_sheet.cell("name", row))
        for key in ("name", "position", "gender", "study", "union_member", "achievements"):
            cells.bind(("units", i, "people", j, key), people_sheet.cell(key, row))
        cells.bind(("units", i, "people", j, "titles"), people_sheet.cell("title", row))
        for k, cell in enumerate(title_cells):
            cells.bind(("units", i, "people", j, "titles", k), cell)
        unit["people"].append({k: v for k, v in person.items() if v is not None and v != []})
    for unit in units:
        unit.pop("_index", None)
    data["units"] = units
    awards = _awards(wb, path, cells, structure)
    if awards:
        data["awards"] = awards
    return data


def _awards(wb, path: Path, cells: CellLocator, problems: list[Problem]) -> dict[str, Any] | None:
    """The catalogue sheet: multiples by title and the base salary (None when the office left them blank)."""
    if layout.TITLES not in wb.sheetnames:
        return None
    sheet = _Sheet(wb, layout.TITLES, layout.TITLE_COLUMNS, path, problems)
    multiples: dict[str, Any] = {}
    for row, rec in sheet.rows:
        name, multiple = _text(rec["name"]), rec["multiple"]
        if name and multiple is not None and _text(multiple) is not None:
            multiples[name] = _text(multiple) if isinstance(multiple, str) else multiple
            cells.bind(("awards", "multiples", name), sheet.cell("multiple", row))
    base = wb[layout.TITLES][layout.BASE_SALARY_CELL].value
    cells.bind(("awards",), f"{layout.TITLES}!{layout.BASE_SALARY_CELL}")
    cells.bind(("awards", "base_salary"), f"{layout.TITLES}!{layout.BASE_SALARY_CELL}")
    if base is None and not multiples:
        return None
    if isinstance(base, float) and base.is_integer():
        base = int(base)
    return {"base_salary": base, "multiples": multiples}
