"""The blanks of a form: dotted placeholders (`……`, `.........`) and numbered blanks (`…3…`).

Decree 30's own models (Phụ lục III) are forms: the place, the number, the trích yếu and the text
are dots to fill in, some numbered by a superscript that the model's `Ghi chú` explains. A form is
not a broken document: its blanks are counted and the format around them is checked, while what
only the filled-in text can show (the width of the title, the indent of a line of dots) is not
judged. A blank is four or more dots, or an ellipsis that does not close a word (`Số: … /QĐ-…`);
`các đơn vị...` and the closing `./.` are text.
"""
from __future__ import annotations

import re

_DOTS = r"[.…](?:[ \u00a0]*[.…])*"
BLANK_RE = re.compile(_DOTS)
_LETTER = re.compile(r"[^\W\d_]")


def _width(match: str) -> int:
    return sum(3 if c == "…" else 1 for c in match if c in ".…")


def blanks(text: str) -> list[tuple[int, int]]:
    """Where the blanks of `text` are (start, end)."""
    out = []
    for m in BLANK_RE.finditer(text):
        seq = m.group(0)
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end():m.end() + 1]
        if seq.startswith(".") and after == "/":  # the closing `./.`: its first dot is the sentence's
            seq = seq[:-1].rstrip()
            if not seq:
                continue
        width = _width(seq)
        if width >= 4 or (width == 3 and "…" in seq and not _LETTER.match(before)):
            out.append((m.start(), m.start() + len(seq)))
    return out


def count(text: str) -> int:
    return len(blanks(text))


def strip(text: str, fill: str = "") -> str:
    """`text` with each blank replaced by `fill`."""
    out, at = [], 0
    for start, end in blanks(text):
        out.append(text[at:start])
        out.append(fill)
        at = end
    out.append(text[at:])
    return "".join(out)


def has_blank(text: str) -> bool:
    return bool(blanks(text))


def is_fill_line(text: str) -> bool:
    """A line that stands for text still to be typed: blanks (or tabs between words) with at most a
    few words beside them (`Căn cứ ……………;`, `Chức vụ:\t`, `\t./.`). Its alignment, indent and
    spacing are those of the text a person will type, so they are not judged."""
    inner = text.strip(" \u00a0")
    tabbed = "\t" in inner.strip("\t ") or inner.startswith("\t")
    gaps = blanks(text)
    if not gaps and not tabbed:
        return False
    rest = strip(text)
    letters = len(_LETTER.findall(rest))
    dotted = sum(e - s for s, e in gaps)
    return letters <= 24 or dotted >= letters
