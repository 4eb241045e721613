"""Who is recognised, under which titles, and the cash award of each: the decision's list.

An awardee is a unit with a collective title or a person with at least one title. The award is
multiple × base salary (both data), rounded up to `round_up_to` đồng; a person holding several
titles gets the highest award (`pay: highest`, as for one achievement under the law) or the sum
(`pay: each`). Amounts are whole đồng (int), so the total is an exact sum of the rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Literal

from ..errors import DataError
from . import titles as catalogue
from .load import Results
from .results import Awards

KIND_NOUN = {"unit": "tập thể", "person": "cá nhân"}


@dataclass(frozen=True)
class Awardee:
    """A unit or a person recognised this year, with titles ordered highest first."""

    kind: Literal["unit", "person"]
    name: str
    unit: str
    titles: tuple[str, ...]
    position: str | None = None
    gender: str | None = None
    amount: int = 0

    @property
    def highest(self) -> str:
        return self.titles[0]


def _ordered(titles: list[str]) -> tuple[str, ...]:
    return tuple(sorted(titles, key=lambda t: -catalogue.BY_NAME[t].rank))


def award_amount(titles: tuple[str, ...], awards: Awards) -> int:
    """Whole đồng for one awardee, by the pay rule and the rounding of the results file."""
    step = Decimal(awards.round_up_to)

    def one(title: str) -> int:
        raw = awards.multiples[title] * awards.base_salary
        return int((raw / step).to_integral_value(rounding=ROUND_CEILING) * step)

    amounts = [one(t) for t in titles]
    return max(amounts) if awards.pay == "highest" else sum(amounts)


def awardees(results: Results, awards: Awards | None = None) -> list[Awardee]:
    """Units first, then people, each in the order of the results; amounts when `awards` is given."""
    out = []
    for unit in results.units:
        if unit.title:
            out.append(Awardee("unit", unit.name, unit.name, (unit.title,)))
        for person in unit.people:
            if person.titles:
                out.append(Awardee("person", person.name, unit.name, _ordered(person.titles),
                                   person.position, person.gender))
    if awards is None:
        return out
    return [Awardee(a.kind, a.name, a.unit, a.titles, a.position, a.gender, award_amount(a.titles, awards))
            for a in out]


def priced_awardees(results: Results) -> list[Awardee]:
    """Awardees with their amounts; every awarded title must have a multiple in the results file."""
    awards = results.data.awards
    if awards is None:
        raise DataError(results.at(("awards",), "the decision needs `awards` (base_salary and multiples) "
                                                "to compute the tiền thưởng"))
    if awards.base_salary is None:
        raise DataError(results.at(("awards", "base_salary"), "the decision needs the base salary "
                                                              "(mức lương cơ sở) to compute the tiền thưởng"))
    plain = awardees(results)
    missing: dict[str, int] = {}
    for a in plain:
        for t in a.titles:
            if t not in awards.multiples:
                missing[t] = missing.get(t, 0) + 1
    if missing:
        raise DataError([results.at(("awards", "multiples"), f"no multiple for {catalogue.quoted(t)} "
                                                             f"(held by {n} {'awardees' if n > 1 else 'awardee'})")
                         for t, n in missing.items()])
    return awardees(results, awards)


def by_highest_title(awardees_: list[Awardee]) -> list[tuple[str, list[Awardee]]]:
    """Groups of the list: collective titles first, then people's, each from the highest title down."""
    order = sorted({a.highest for a in awardees_},
                   key=lambda t: (catalogue.BY_NAME[t].kind != "unit", -catalogue.BY_NAME[t].rank))
    return [(t, [a for a in awardees_ if a.highest == t]) for t in order]
