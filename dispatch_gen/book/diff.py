"""Paragraph-level diff between two revisions, for `dispatch-gen diff ID`.

A dispatch is a few dozen long paragraphs, so a line diff of the XML is useless and a diff of
whole paragraphs hides a one-letter typo fix in a 400-character line. The output is therefore a
unified diff over paragraphs with, under each changed pair, a `?` line naming the words that
changed (the `?` convention of difflib.ndiff).
"""
from __future__ import annotations

import difflib
import re
from typing import Sequence

_TOKEN = re.compile(r"\w+|[^\w\s]")
_MAX_HINTS = 6


def _range(start: int, stop: int) -> str:
    """Unified-diff range of paragraphs, 1-based like difflib's."""
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def _emit(out: list[str], prefix: str, paragraph: str) -> None:
    """One paragraph; soft line breaks keep the prefix so the block stays readable."""
    for i, part in enumerate(paragraph.split("\n")):
        out.append(f"{prefix} {part}" if i == 0 else f"{prefix}   {part}")


def _word_hint(old: str, new: str) -> str | None:
    old_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(old)]
    new_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(new)]
    matcher = difflib.SequenceMatcher(
        None, [old[a:b] for a, b in old_tokens], [new[a:b] for a, b in new_tokens], autojunk=False
    )
    if matcher.ratio() < 0.5:
        return None
    changes = []

    def span(text: str, tokens: list[tuple[int, int]], i: int, j: int) -> str:
        return text[tokens[i][0]:tokens[j - 1][1]]

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            changes.append(f"«{span(old, old_tokens, i1, i2)}» → «{span(new, new_tokens, j1, j2)}»")
        elif tag == "delete":
            changes.append(f"removed «{span(old, old_tokens, i1, i2)}»")
        elif tag == "insert":
            changes.append(f"added «{span(new, new_tokens, j1, j2)}»")
    if not changes:
        return "? spacing or line breaks changed"
    if len(changes) > _MAX_HINTS:
        return f"? {len(changes)} changes in this paragraph"
    return "? " + "; ".join(changes)


def paragraph_diff(
    old: Sequence[str], new: Sequence[str], old_label: str, new_label: str, *, context: int = 1
) -> str:
    """Unified diff of two paragraph lists; an empty string when they are equal."""
    old, new = list(old), list(new)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        if not out:
            out += [f"--- {old_label}", f"+++ {new_label}"]
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@ paragraphs")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                for p in old[a1:a2]:
                    _emit(out, " ", p)
            elif tag == "replace" and a2 - a1 == b2 - b1:
                for o, n in zip(old[a1:a2], new[b1:b2]):
                    _emit(out, "-", o)
                    _emit(out, "+", n)
                    hint = _word_hint(o, n)
                    if hint:
                        out.append(hint)
            else:
                for p in old[a1:a2]:
                    _emit(out, "-", p)
                for p in new[b1:b2]:
                    _emit(out, "+", p)
    return "\n".join(out)
