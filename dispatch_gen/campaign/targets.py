"""Measure each target of the launch against the units' results: counted, never typed.

A target line of the launch (`90% tập thể đạt Lao động xuất sắc`) carries a `measure`: who is
counted (collectives, staff, union members) and what counts (holding one of some titles, or
taking part in study). The base is the head count the units report (`staff`, `union_members`,
or the number of units); the comparison with the target share is exact (Decimal), so 20% of
132 people is met by 27 and missed by 26, whatever the rounding of the printed percentage.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from .. import vn
from ..errors import DataError
from ..model import Measure, Target, expand
from . import titles as catalogue
from .load import Campaign
from .results import Person, Unit


@dataclass(frozen=True)
class TargetResult:
    """One row of the report's table: a measurable target and what the units achieved."""

    number: int
    label: str
    short: str
    share: Decimal
    achieved: int
    base: int

    @property
    def ratio(self) -> Decimal | None:
        return Decimal(self.achieved) / Decimal(self.base) if self.base else None

    @property
    def met(self) -> bool | None:
        return None if not self.base else Decimal(self.achieved) >= self.share * self.base

    @property
    def share_text(self) -> str:
        return vn.format_percent(self.share)

    @property
    def ratio_text(self) -> str:
        return vn.format_percent(self.ratio) if self.ratio is not None else "—"

    @property
    def count_text(self) -> str:
        return f"{self.achieved}/{self.base}"

    @property
    def verdict(self) -> str:
        return {True: "Đạt", False: "Không đạt", None: "Không có số liệu"}[self.met]


def _measured(campaign: Campaign) -> Iterator[tuple[tuple, Target | None, object]]:
    """(location, parent target, target or sub-target) of every target with a measure."""
    for i, t in enumerate(campaign.document.targets):
        if t.measure is not None and t.share is not None:
            yield ("targets", i), None, t
        for k, sub in enumerate(t.of_which):
            if sub.measure is not None:
                yield ("targets", i, "of_which", k), t, sub


def _titles(measure: Measure, loc: tuple, campaign: Campaign, problems: list) -> set[str]:
    """The legal names a measure counts; the launch may spell them as it likes, but must name real titles."""
    names = set()
    for k, typed in enumerate(measure.titles):
        m = catalogue.match_title(typed)
        if m.is_error:
            problems.append(campaign.locator.at(loc + ("measure", "titles", k), m.problem))
        else:
            names.add(m.title.name)
    return names


def _counts(person: Person, titles: set[str], activity: str | None) -> bool:
    if activity == "study":
        return person.study
    return bool(titles.intersection(person.titles))


def _label(campaign: Campaign, parent: Target | None, target, year: int) -> str:
    x = lambda s: expand(s, year, campaign.document.anniversaries)  # noqa: E731
    base = x((parent or target).base or "")
    text = " ".join(p for p in (base, x(target.text)) if p)
    if parent is not None:
        return f"Trong đó: {text}"
    return text[:1].upper() + text[1:]


def _short(measure: Measure, titles: set[str]) -> str:
    if measure.activity == "study":
        return "Học tập, nâng cao trình độ"
    ordered = [t for t in measure.titles if catalogue.match_title(t).title and catalogue.match_title(t).title.name in titles]
    first = catalogue.match_title(ordered[0]).title.name if ordered else ""
    return first + (" trở lên" if len(titles) > 1 else "")


def compute_targets(campaign: Campaign, units: list[Unit], year: int) -> list[TargetResult]:
    """Every measurable target of the launch, in its order, with the achieved count and base."""
    problems: list = []
    rows = []
    for loc, parent, target in _measured(campaign):
        measure = target.measure
        titles = _titles(measure, loc, campaign, problems)
        if measure.of == "collectives":
            if measure.activity:
                problems.append(campaign.locator.at(loc + ("measure", "activity"),
                                                    "an activity is measured on people, not on collectives"))
                continue
            base = len(units)
            achieved = sum(1 for u in units if u.title in titles)
        elif measure.of == "staff":
            base = sum(u.staff for u in units)
            achieved = sum(1 for u in units for p in u.people if _counts(p, titles, measure.activity))
        else:
            base = sum(u.union_members for u in units)
            achieved = sum(1 for u in units for p in u.people
                           if p.union_member and _counts(p, titles, measure.activity))
        rows.append(TargetResult(len(rows) + 1, _label(campaign, parent, target, year), _short(measure, titles),
                                 target.share, achieved, base))
    if problems:
        raise DataError(problems)
    return rows
