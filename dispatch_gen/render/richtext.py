"""Inline emphasis typed by clerks (`**bold**`, `*italic*`, `\\*` for a literal star) as Word runs.

Each run keeps the formatting of the template run it replaces (font, size, colour) and only
toggles bold or italic, so a template edited in Word still decides how body text looks.
"""
from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from markupsafe import Markup

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<!\*)\*(?!\*)(.+?)(?<!\*)\*(?!\*)", re.S)
_TOGGLES = re.compile(r"<w:(?:b|bCs|i|iCs)(?: w:val=\"[^\"]*\")?/>")
_ANCHOR = re.compile(r"(<w:rFonts[^>]*/>|<w:rStyle[^>]*/>)")


def _absent_char(text: str) -> str:
    """A private-use character the text does not hold, to stand for `\\*` while the stars are
    paired: whatever the data holds, it cannot be taken for an escaped star (nor become one)."""
    present = set(text)
    for start, end in ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)):
        for code in range(start, end + 1):
            if chr(code) not in present:
                return chr(code)
    raise ValueError("text holds every private-use character")  # over 137,000 distinct characters


def spans(text: str) -> list[tuple[str, bool, bool]]:
    """Split marked-up text into (text, bold, italic) spans; unmatched stars stay literal."""
    esc = _absent_char(text) if "\\*" in text else ""
    if esc:
        text = text.replace("\\*", esc)
    out: list[tuple[str, bool, bool]] = []

    def italic_split(segment: str, bold: bool) -> None:
        pos = 0
        for m in _ITALIC.finditer(segment):
            if m.start() > pos:
                out.append((segment[pos:m.start()], bold, False))
            out.append((m.group(1), bold, True))
            pos = m.end()
        if pos < len(segment):
            out.append((segment[pos:], bold, False))

    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            italic_split(text[pos:m.start()], False)
        italic_split(m.group(1), True)
        pos = m.end()
    if pos < len(text):
        italic_split(text[pos:], False)
    if esc:
        out = [(t.replace(esc, "*"), b, i) for t, b, i in out]
    return [(t, b, i) for t, b, i in out if t]


def plain(text: str) -> str:
    """The text a reader sees, without markup."""
    return "".join(t for t, _, _ in spans(text))


@lru_cache(maxsize=256)
def _styled_rpr(rpr: str, bold: bool, italic: bool) -> str:
    body = rpr[len("<w:rPr>"):-len("</w:rPr>")] if rpr.startswith("<w:rPr>") else ""
    base_bold = "<w:b/>" in body
    base_italic = "<w:i/>" in body
    body = _TOGGLES.sub("", body)
    toggles = ("<w:b/><w:bCs/>" if (bold or base_bold) else "") + ("<w:i/><w:iCs/>" if (italic or base_italic) else "")
    m = _ANCHOR.search(body)
    if m:
        body = body[:m.end()] + toggles + body[m.end():]
    else:
        body = toggles + body
    return f"<w:rPr>{body}</w:rPr>" if body else ""


def runs(text: object, rpr: str = "") -> Markup:
    """Runs for `text` with emphasis applied on top of the template run's properties `rpr`."""
    if text is None:
        return Markup("")
    out = []
    for chunk, bold, italic in spans(str(text)):
        props = _styled_rpr(rpr, bold, italic)
        out.append(f'<w:r>{props}<w:t xml:space="preserve">{escape(chunk)}</w:t></w:r>')
    return Markup("".join(out))
