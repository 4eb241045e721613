"""Word's automatic numbering, turned back into the labels a reader sees (`I.`, `1.`, `a)`, `-`).

Offices often number Mục and khoản with Word's lists instead of typing `1.`: the label then lives
in numbering.xml, not in the paragraph's text. Reading documents typed that way (to check or to
import them) needs the label as printed, so this resolves it: list definitions, level formats,
start values and overrides, and counters that run in document order and restart deeper levels.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import vn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _val(el, name: str = "val") -> str | None:
    return None if el is None else el.get(f"{W}{name}")


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int
    legal: bool = False


def _letters(n: int, upper: bool) -> str:
    """Word's a, b, … z, aa, bb …: the Latin alphabet (Word does not skip f, j, w, z)."""
    letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    return letter.upper() if upper else letter


def format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return vn.roman(n)
    if fmt == "lowerRoman":
        return vn.roman(n).lower()
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class Numbering:
    """The list definitions of one document and the running counters of its lists."""

    def __init__(self, numbering_el=None, style_numbering: dict[str, tuple[str, int]] | None = None):
        self._levels: dict[str, dict[int, Level]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._style_numbering = style_numbering or {}
        if numbering_el is None:
            return
        abstract: dict[str, dict[int, Level]] = {}
        for an in numbering_el.iter(f"{W}abstractNum"):
            abstract[_val(an, "abstractNumId") or ""] = {
                int(_val(lvl, "ilvl") or 0): self._level(lvl) for lvl in an.iter(f"{W}lvl")
            }
        for num in numbering_el.iter(f"{W}num"):
            num_id = _val(num, "numId") or ""
            levels = dict(abstract.get(_val(num.find(f"{W}abstractNumId")) or "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = int(_val(override, "ilvl") or 0)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                start = _val(override.find(f"{W}startOverride"))
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.fmt, old.text, int(start), old.legal)
            self._levels[num_id] = levels

    @staticmethod
    def _level(lvl) -> Level:
        return Level(
            fmt=_val(lvl.find(f"{W}numFmt")) or "decimal",
            text=_val(lvl.find(f"{W}lvlText")) or "",
            start=int(_val(lvl.find(f"{W}start")) or 1),
            legal=lvl.find(f"{W}isLgl") is not None,
        )

    def label(self, ppr, style_id: str | None = None) -> str | None:
        """The printed label of a paragraph (advancing its list's counter), or None."""
        num_id, ilvl = None, 0
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId"))
            ilvl = int(_val(num_pr.find(f"{W}ilvl")) or 0)
        elif style_id in self._style_numbering:
            num_id, ilvl = self._style_numbering[style_id]
        if not num_id or num_id == "0" or num_id not in self._levels:
            return None
        levels = self._levels[num_id]
        if ilvl not in levels:
            return None
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else levels[ilvl].start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt == "bullet":
            text = level.text.strip()
            return text if text in ("-", "–", "+", "•", "*") else "-"
        label = level.text
        for k in range(9):
            if f"%{k + 1}" in label:
                n = counters.get(k, levels[k].start if k in levels else 1)
                fmt = "decimal" if level.legal and k < ilvl else (levels[k].fmt if k in levels else "decimal")
                label = label.replace(f"%{k + 1}", format_number(n, fmt))
        return label or None
