"""What the results mean under the rules: warnings a council would raise before signing.

Each check returns located problems that name the unit and the person. They are warnings, not
errors, because the office may know better (a title conferred on appeal, a cap waived); with
`--strict` they stop every command before anything is written or numbered. The criteria come
from the title catalogue (the law); the caps from the results file (the agency).
"""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from .. import vn
from ..errors import Problem
from . import titles as catalogue
from .load import Results
from .results import Quota, Unit

q = catalogue.quoted


def _names(people) -> str:
    return ", ".join(p.name for p in people)


def missing_prerequisite(results: Results) -> list[Problem]:
    """A person with a title that needs another one they do not hold (CSTĐCS without LĐTT)."""
    out = []
    for i, unit in enumerate(results.units):
        for j, person in enumerate(unit.people):
            for k, name in enumerate(person.titles):
                needed = catalogue.BY_NAME[name].requires
                if needed and needed not in person.titles:
                    out.append(results.at(("units", i, "people", j, "titles", k),
                                          f"{unit.name}: {person.name}: {q(name)} without {q(needed)}"))
    return out


def _holders(unit: Unit, title: str) -> list:
    return [p for p in unit.people if title in p.titles]


def collective_criteria(results: Results) -> list[Problem]:
    """A collective title whose share of LĐTT (≥ 70 %) or required CSTĐCS the unit's people do not show."""
    out = []
    for i, unit in enumerate(results.units):
        if unit.title is None:
            continue
        title = catalogue.BY_NAME[unit.title]
        loc = ("units", i, "title")
        if title.min_share is not None:
            needed_title, share = title.min_share
            holders = _holders(unit, needed_title)
            if unit.staff and Decimal(len(holders)) < share * unit.staff:
                lacking = [p for p in unit.people if needed_title not in p.titles]
                unlisted = unit.staff - len(unit.people)
                who = _names(lacking) + (f" and {unlisted} staff not listed" if unlisted else "")
                out.append(results.at(loc, (
                    f"{unit.name}: {q(title.name)} with {len(holders)} of {unit.staff} people {q(needed_title)} "
                    f"({vn.format_percent(Decimal(len(holders)) / unit.staff)}, at least {vn.format_percent(share)} "
                    f"needed); without it: {who}")))
        if title.needs_one and not _holders(unit, title.needs_one):
            out.append(results.at(loc, f"{unit.name}: {q(title.name)} but nobody of the unit is {q(title.needs_one)}"))
    return out


def _allowed(quota: Quota, base: int) -> int:
    if quota.max_count is not None:
        return quota.max_count
    return int((quota.max_share * base).to_integral_value(rounding=ROUND_FLOOR))


def _base(quota: Quota, units: list[Unit]) -> int:
    if quota.of == "staff":
        return sum(u.staff for u in units)
    return sum(len(_holders(u, quota.of)) for u in units)


def _limit_text(quota: Quota, base: int, allowed: int) -> str:
    if quota.max_count is not None:
        return f"at most {allowed}"
    of = "staff" if quota.of == "staff" else q(quota.of)
    return f"at most {vn.format_percent(quota.max_share)} of {base} {of} = {allowed}"


def quotas_exceeded(results: Results) -> list[Problem]:
    """More holders of a title than the caps set in `quotas` allow, per unit or overall."""
    out = []
    for n, quota in enumerate(results.data.quotas):
        scopes = ([(("units", i, "name"), [u]) for i, u in enumerate(results.units)] if quota.per == "unit"
                  else [(("quotas", n), results.units)])
        for loc, units in scopes:
            base = _base(quota, units)
            allowed = _allowed(quota, base)
            holders = [(u, p) for u in units for p in _holders(u, quota.title)]
            if len(holders) > allowed:
                who = ", ".join(f"{p.name}" + (f" ({u.name})" if quota.per == "campaign" else "") for u, p in holders)
                where = units[0].name if quota.per == "unit" else "all units"
                out.append(results.at(loc, f"{where}: {len(holders)} {q(quota.title)} exceed the quota "
                                           f"({_limit_text(quota, base, allowed)}): {who}"))
    return out


CHECKS = (missing_prerequisite, collective_criteria, quotas_exceeded)


def check_results(results: Results) -> list[Problem]:
    """Spelling warnings from loading, then every check, in data order within each check."""
    found = list(results.warnings)
    for check in CHECKS:
        found.extend(check(results))
    return found
