"""Text rules: Unicode NFC, one tone-mark style per document, award titles spelled as the law does.

Tone-mark placement is not regulated (`hóa` and `hoá` are both seen), but they are different
strings: a document that mixes them cannot be searched reliably, so a mix is a warning.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from .context import Context
from .finding import Finding
from .layout import literal

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"[^\W\d_]+")
_PAIRS = ("oa", "oe", "uy")
_SPELLING = ((re.compile(r"\bchiến\s+sỹ\b", re.I), "Chiến sĩ"),)


def tone_style(word: str) -> str | None:
    """'old' for hóa/thủy (mark on the first vowel), 'new' for hoá/thuỷ, None when not ambiguous.

    Only open syllables ending in oa, oe, uy are ambiguous; in `qu-y` the u is part of the consonant.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    base = "".join(c for c in decomposed if c not in _TONES)
    plain = unicodedata.normalize("NFC", base)
    if len(plain) < 2 or plain[-2:] not in _PAIRS or plain.endswith("quy") or plain.endswith("qua"):
        return None
    if len(plain) > 2 and plain[-3] in "aeiouyăâêôơư":
        return None
    marks = [i for i, c in enumerate(decomposed) if c in _TONES]
    if not marks:
        return None
    letters_before = sum(1 for c in decomposed[: marks[0]] if not unicodedata.combining(c))
    return "old" if letters_before == len(plain) - 1 else "new"


def tone_neutral(text: str) -> str:
    """`text` with each ambiguous syllable's tone mark moved to its end: HOÀ and HÒA compare equal."""
    def one(m: re.Match) -> str:
        word = m.group(0)
        if tone_style(word) is None:
            return word
        decomposed = unicodedata.normalize("NFD", word)
        marks = "".join(c for c in decomposed if c in _TONES)
        return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)) + marks
    return _WORD.sub(one, unicodedata.normalize("NFC", text))


def _paragraphs(ctx: Context):
    for p in ctx.doc.paras:
        if p.runs:
            yield p, literal(p.text)


def nfc(ctx: Context) -> Iterator[Finding]:
    for p, text in _paragraphs(ctx):
        if unicodedata.normalize("NFC", text) != text:
            bad = next((w for w in text.split() if unicodedata.normalize("NFC", w) != w), text)
            yield Finding("TXT-001", "text is not in NFC (combining marks)", expected=unicodedata.normalize("NFC", bad),
                          found=bad.encode("unicode_escape").decode("ascii"), **ctx.where(p))


def tone_marks(ctx: Context) -> Iterator[Finding]:
    seen: dict[str, list[tuple[str, object]]] = {"old": [], "new": []}
    for p, text in _paragraphs(ctx):
        for word in _WORD.findall(unicodedata.normalize("NFC", text)):
            style = tone_style(word)
            if style:
                seen[style].append((word, p))
    if seen["old"] and seen["new"]:
        minority = min(("old", "new"), key=lambda s: len(seen[s]))
        majority = "new" if minority == "old" else "old"
        examples = lambda s: ", ".join(sorted({w.lower() for w, _ in seen[s]})[:4])  # noqa: E731
        first = seen[minority][0]
        yield Finding("TXT-002", f"tone-mark styles mixed: {len(seen['old'])} old-style (hóa), "
                      f"{len(seen['new'])} new-style (hoá)", expected=f"one style, e.g. {examples(majority)}",
                      found=examples(minority), also=[p.index for _, p in seen[minority][1:]], **ctx.where(first[1]))


def spelling(ctx: Context) -> Iterator[Finding]:
    for p, text in _paragraphs(ctx):
        for pattern, right in _SPELLING:
            for m in pattern.finditer(unicodedata.normalize("NFC", text)):
                yield Finding("TXT-003", f"the law writes “{right}”", expected=right, found=m.group(0), **ctx.where(p))


RULES = (nfc, tone_marks, spelling)
