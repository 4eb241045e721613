"""The legal names of the emulation titles (danh hiệu thi đua) and how typed names map to them.

Units type titles by hand, so "Chiến sỹ thi đua cơ sở", "lao động Tiên tiến" or "hoá"/"hóa"
variants arrive next to the legal spelling. A typed name is matched on a spelling key that
ignores case, marks and the i/y variant: a match under another spelling is counted as the legal
title (and the spelling is reported as a warning), no match at all is an error with a
"did you mean" hint. The criteria a title carries come from Luật Thi đua, khen thưởng 2022 and
Nghị định 98/2023/NĐ-CP; caps an agency sets itself are data (`quotas` in the results file).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["person", "unit"]


@dataclass(frozen=True)
class Title:
    """A title of the law, its holder and the criteria a checker can see in the results."""

    name: str
    kind: Kind
    rank: int
    requires: str | None = None
    """Another title the same person must hold (CSTĐCS needs LĐTT)."""
    min_share: tuple[str, Decimal] | None = None
    """A collective: at least this share of its staff must hold that title."""
    needs_one: str | None = None
    """A collective: at least one of its people must hold that title."""
    suggested_multiple: Decimal | None = None
    """The multiple of the base salary in force in 2024, offered when a workbook is made."""


LTT = "Lao động tiên tiến"
CSTDCS = "Chiến sĩ thi đua cơ sở"
_SEVENTY = Decimal("0.7")

CATALOGUE: tuple[Title, ...] = (
    Title(LTT, "person", 1, suggested_multiple=Decimal("0.3")),
    Title(CSTDCS, "person", 2, requires=LTT, suggested_multiple=Decimal("1.0")),
    Title("Chiến sĩ thi đua cấp bộ", "person", 3, suggested_multiple=Decimal("3.0")),
    Title("Chiến sĩ thi đua cấp tỉnh", "person", 3, suggested_multiple=Decimal("3.0")),
    Title("Chiến sĩ thi đua toàn quốc", "person", 4, suggested_multiple=Decimal("4.5")),
    Title("Tập thể lao động tiên tiến", "unit", 1, min_share=(LTT, _SEVENTY), suggested_multiple=Decimal("0.8")),
    Title("Tập thể lao động xuất sắc", "unit", 2, min_share=(LTT, _SEVENTY), needs_one=CSTDCS,
          suggested_multiple=Decimal("1.5")),
    Title("Cờ thi đua cấp bộ", "unit", 3, suggested_multiple=Decimal("8.0")),
    Title("Cờ thi đua cấp tỉnh", "unit", 3, suggested_multiple=Decimal("8.0")),
    Title("Cờ thi đua của Chính phủ", "unit", 4, suggested_multiple=Decimal("12.0")),
)
BY_NAME = {t.name: t for t in CATALOGUE}
KIND_WORD = {"person": "a person's title", "unit": "a collective's title"}


def spelling_key(text: str) -> str:
    """Lower case, no marks, đ→d, y→i, single spaces, no quotes: 'Chiến sỹ' and 'chien si' meet."""
    text = unicodedata.normalize("NFC", text).casefold().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\"'“”‘’]", "", text).replace("y", "i")
    return re.sub(r"\s+", " ", text).strip()


_BY_KEY = {spelling_key(t.name): t for t in CATALOGUE}


@dataclass(frozen=True)
class Match:
    """The outcome of reading one typed title."""

    typed: str
    title: Title | None
    problem: str | None = None
    """Why the name was refused (error) or how its spelling differs (warning)."""

    @property
    def is_error(self) -> bool:
        return self.title is None

    @property
    def is_variant(self) -> bool:
        return self.title is not None and self.problem is not None


def quoted(name: str) -> str:
    """Titles are written in curly quotes in Vietnamese text: “Lao động tiên tiến”."""
    return f"“{name}”"


def match_title(typed: str, kind: Kind | None = None) -> Match:
    """Map a typed name to a legal title of `kind` (None: any kind)."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", typed)).strip()
    title = BY_NAME.get(text) or _BY_KEY.get(spelling_key(text))
    if title is not None and kind is not None and title.kind != kind:
        return Match(typed, None, f"{quoted(title.name)} is {KIND_WORD[title.kind]}, not {KIND_WORD[kind]}")
    if title is None:
        pool = [t for t in CATALOGUE if kind is None or t.kind == kind]
        keys = {spelling_key(t.name): t.name for t in pool}
        close = difflib.get_close_matches(spelling_key(text), list(keys), n=1, cutoff=0.5)
        hint = f" — did you mean {quoted(keys[close[0]])}?" if close else ""
        return Match(typed, None, f"{typed!r} is not a known title{hint}")
    if title.name != text:
        return Match(typed, title, f"spelled {typed!r}; the legal name is {quoted(title.name)}")
    return Match(typed, title)


def names(kind: Kind) -> list[str]:
    """Legal names of one kind, in the catalogue's order (for dropdowns)."""
    return [t.name for t in CATALOGUE if t.kind == kind]


def highest(titles: list[str]) -> str | None:
    """The title of highest rank among legal names (the one a certificate names)."""
    known = [BY_NAME[t] for t in titles if t in BY_NAME]
    return max(known, key=lambda t: t.rank).name if known else None
