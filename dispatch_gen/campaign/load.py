"""Load a results file (YAML or .xlsx) for a campaign: validated, titles legal, every problem located.

Three kinds of finding come out of loading, each with the line or cell it concerns:
- errors (a DataError listing all of them): schema problems, an unknown title, a title of the
  wrong kind, more people than staff, a unit named twice, results of another campaign;
- spelling warnings: a title written otherwise than the law (“Chiến sỹ …”), counted as the
  legal title;
- nothing else: the checks of what the figures mean are in `checks.py`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..model import Document
from ..readers.yaml_data import load_document, load_yaml, validation_problems
from . import titles as catalogue
from .locate import Locator, RoutedLocator, YamlLocator
from .results import ResultsFile, Unit

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Campaign:
    """The launch document the results answer, with its file for locating its own problems."""

    path: Path
    document: Document
    raw: Any

    @property
    def locator(self) -> YamlLocator:
        return YamlLocator(self.path, self.raw)


def load_campaign(path: str | Path) -> Campaign:
    path = Path(path)
    return Campaign(path, load_document(path), load_yaml(path))


@dataclass
class Results:
    """Validated results with legal title names, and where each value came from."""

    path: Path
    data: ResultsFile
    locator: Locator
    warnings: list[Problem] = field(default_factory=list)

    @property
    def units(self) -> list[Unit]:
        return self.data.units or []

    @property
    def year(self) -> int:
        return self.data.year

    def at(self, loc: tuple, message: str) -> Problem:
        return self.locator.at(loc, message)


def _validate(path: Path, raw: Any, relocate) -> tuple[ResultsFile | None, list[Problem]]:
    model, problems = validation_problems(path, raw, ResultsFile)
    return model, [relocate(p) for p in problems]  # type: ignore[return-value]


def _read(path: Path) -> tuple[ResultsFile, Locator]:
    """The results model as written, before any title is looked up."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from .workbook_reader import read_workbook  # openpyxl: loaded when a workbook is read

        raw, cells, unread = read_workbook(path)
        model, problems = _validate(path, raw, cells.relocate)
        if unread or problems:
            raise DataError(unread + problems)
        return model, cells  # type: ignore[return-value]
    raw = load_yaml(path)
    yaml_loc = YamlLocator(path, raw)
    model, problems = _validate(path, raw, yaml_loc.relocate)
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.line or 0, p.field or "")))
    assert model is not None
    if model.units_file is None:
        return model, yaml_loc
    book = (path.parent / model.units_file)
    if book.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise DataError(yaml_loc.at(("units_file",), f"{model.units_file!r} is not an Excel workbook (.xlsx)"))
    if not book.is_file():
        raise DataError(yaml_loc.at(("units_file",), f"{book} not found (the path is relative to this file)"))
    from .workbook_reader import read_workbook

    raw_units, cells, unread = read_workbook(book)
    units_only, problems = _validate(book, {"campaign": model.campaign, "year": model.year, "units": raw_units["units"]},
                                     cells.relocate)
    if unread or problems:
        raise DataError(unread + problems)
    mismatch = [cells.at((key,), f"{raw_units.get(key)!r} differs from {path.name} ({getattr(model, key)!r})")
                for key in ("campaign", "year") if raw_units.get(key) != getattr(model, key)]
    if mismatch:
        raise DataError(mismatch)
    merged = model.model_copy(update={"units": units_only.units, "units_file": None})  # type: ignore[union-attr]
    return merged, RoutedLocator(yaml_loc, cells)


def _canonical(results: ResultsFile, locator: Locator) -> tuple[ResultsFile, list[Problem], list[Problem]]:
    """Map every typed title to its legal name; unknown ones are errors, variants warnings."""
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def legal(typed: str, kind, loc: tuple, who: str) -> str | None:
        m = catalogue.match_title(typed, kind)
        if m.is_error:
            errors.append(locator.at(loc, m.problem))
            return None
        if m.is_variant:
            warnings.append(locator.at(loc, f"{who}{m.problem}"))
        return m.title.name

    units = []
    for i, unit in enumerate(results.units or []):
        title = legal(unit.title, "unit", ("units", i, "title"), f"{unit.name}: ") if unit.title else None
        people = []
        for j, person in enumerate(unit.people):
            names: list[str] = []
            for k, typed in enumerate(person.titles):
                name = legal(typed, "person", ("units", i, "people", j, "titles", k), f"{unit.name}: {person.name}: ")
                if name is None:
                    continue
                if name in names:
                    warnings.append(locator.at(("units", i, "people", j, "titles", k),
                                               f"{unit.name}: {person.name}: {catalogue.quoted(name)} is given twice"))
                    continue
                names.append(name)
            people.append(person.model_copy(update={"titles": names}))
        units.append(unit.model_copy(update={"title": title, "people": people}))

    update: dict[str, Any] = {"units": units}
    if results.awards is not None:
        multiples = {}
        for typed, multiple in results.awards.multiples.items():
            name = legal(typed, None, ("awards", "multiples", typed), "")
            if name is not None:
                multiples[name] = multiple
        update["awards"] = results.awards.model_copy(update={"multiples": multiples})
    quotas = []
    for q, quota in enumerate(results.quotas):
        title = legal(quota.title, None, ("quotas", q, "title"), "")
        of = quota.of if quota.of == "staff" else legal(quota.of, None, ("quotas", q, "of"), "")
        if title and of:
            quotas.append(quota.model_copy(update={"title": title, "of": of}))
    update["quotas"] = quotas
    if results.certificates.titles is not None:
        chosen = [legal(t, None, ("certificates", "titles", k), "") for k, t in enumerate(results.certificates.titles)]
        update["certificates"] = results.certificates.model_copy(update={"titles": [t for t in chosen if t]})
    return results.model_copy(update=update), errors, warnings


def _consistency(results: ResultsFile, locator: Locator, campaign: Campaign | None) -> list[Problem]:
    problems = []
    names = Counter(u.name for u in results.units or [])
    for i, unit in enumerate(results.units or []):
        if names[unit.name] > 1:
            problems.append(locator.at(("units", i, "name"), f"unit {unit.name!r} is listed {names[unit.name]} times"))
        if len(unit.people) > unit.staff:
            problems.append(locator.at(("units", i, "staff"),
                                       f"{unit.name}: {len(unit.people)} people listed but the staff count is {unit.staff}"))
        members = sum(p.union_member for p in unit.people)
        if members > unit.union_members:
            problems.append(locator.at(("units", i, "union_members"),
                                       f"{unit.name}: {members} listed people are union members but the count is {unit.union_members}"))
    if campaign is not None:
        doc = campaign.document
        if results.campaign != doc.id:
            problems.append(locator.at(("campaign",), f"{results.campaign!r} is not the campaign given "
                                                      f"({campaign.path} has id {doc.id!r})"))
        if results.year != doc.campaign_year:
            problems.append(locator.at(("year",), f"{results.year} is not the year of the campaign ({doc.campaign_year})"))
    return problems


def load_results(path: str | Path, campaign: Campaign | None = None) -> Results:
    """Read, validate and normalise a results file; raise DataError listing every problem."""
    path = Path(path)
    model, locator = _read(path)
    model, errors, warnings = _canonical(model, locator)
    errors += _consistency(model, locator, campaign)
    if errors:
        raise DataError(errors)
    return Results(path, model, locator, warnings)
