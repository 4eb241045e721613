"""Where a signature block sits on the page, read from the PDF's own text.

A Decree 30 signature block (ô 7a–7c) is one or more UPPER-case lines (quyền hạn, chức vụ),
then the space left for the signature, then the signer's name in Proper Case, all centred on
one axis. LibreOffice decides the layout, so the block is found in the finished PDF rather than
predicted from the .docx: any PDF laid out this way can be signed, ours or another office's.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_GAP_LINES = 1.8
"""The empty space between the chức vụ and the name, in line heights, that marks a block."""
_AXIS_TOLERANCE = 0.35
"""How far (as a share of the wider line) a name may sit off its position line's centre."""


@dataclass(frozen=True)
class Line:
    page: int  # 0-based
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class SignatureBlock:
    """One signature block: its page, the chức vụ lines above and the name line below."""

    index: int  # 1-based, in reading order
    page: int  # 0-based
    position: tuple[str, ...]
    name: str
    axis: float  # the centre line of the block, in PDF points from the left edge
    top: float  # bottom of the last chức vụ line (where the signature space starts)
    bottom: float  # top of the name line (where it ends)
    width: float  # the widest line of the block
    size: float  # font size of the name line

    @property
    def label(self) -> str:
        return f"{' / '.join(self.position)} — {self.name}"


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def is_upper(text: str) -> bool:
    letters = _letters(text)
    return bool(letters) and letters == letters.upper()


_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]*$")


def looks_like_name(text: str) -> bool:
    """`Đoàn Mạnh Trường`: 2–7 words, each a capitalised word of letters only."""
    words = text.split()
    if not 2 <= len(words) <= 7:
        return False
    return all(_NAME_WORD.match(w) and w[0].isupper() and not w.isupper() for w in words)


def text_lines(pdf) -> list[Line]:
    """Every text line of the PDF with its box, page by page (pdfminer's layout analysis)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextLine

    lines: list[Line] = []

    def walk(obj, page: int) -> None:
        if isinstance(obj, LTTextLine):
            text = unicodedata.normalize("NFC", obj.get_text()).strip()
            sizes = [c.size for c in obj if isinstance(c, LTChar)]
            if text and sizes:
                lines.append(Line(page, *obj.bbox, text=text, size=max(sizes)))
        elif hasattr(obj, "__iter__"):
            for child in obj:
                walk(child, page)

    source = str(pdf) if isinstance(pdf, (str, Path)) else pdf
    for number, page in enumerate(extract_pages(source, laparams=LAParams(line_margin=0.1))):
        walk(page, number)
    return lines


def _same_axis(a: Line, b: Line) -> bool:
    return abs(a.centre - b.centre) <= _AXIS_TOLERANCE * max(a.width, b.width, 1.0)


def find_blocks(lines: list[Line]) -> list[SignatureBlock]:
    """The signature blocks among `lines`, in reading order (page, top to bottom, left to right)."""
    found: list[tuple[int, float, float, Line, list[Line]]] = []
    for name in lines:
        if not looks_like_name(name.text):
            continue
        above = sorted((ln for ln in lines if ln.page == name.page and ln.y0 > name.y1 and _same_axis(ln, name)),
                       key=lambda ln: ln.y0)
        if not above or not is_upper(above[0].text):
            continue
        nearest = above[0]
        if nearest.y0 - name.y1 < _GAP_LINES * name.size:
            continue
        position = [nearest]
        for ln in above[1:]:
            if not is_upper(ln.text) or ln.y0 - position[-1].y1 > 0.8 * ln.size:
                break
            position.append(ln)
        position.reverse()
        found.append((name.page, -nearest.y0, name.centre, name, position))
    found.sort(key=lambda f: (f[0], round(f[1] / 4), f[2]))
    blocks = []
    for index, (page, _, _, name, position) in enumerate(found, start=1):
        every = [*position, name]
        blocks.append(SignatureBlock(
            index=index, page=page, position=tuple(ln.text for ln in position), name=name.text,
            axis=sum(ln.centre for ln in every) / len(every), top=position[-1].y0, bottom=name.y1,
            width=max(ln.width for ln in every), size=name.size,
        ))
    return blocks


def signature_blocks(pdf: str | Path) -> list[SignatureBlock]:
    return find_blocks(text_lines(pdf))


def fold(text: str) -> str:
    """Compare names as a person would: NFC, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
