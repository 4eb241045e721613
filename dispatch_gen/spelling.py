"""One spelling per word in a document: `Chiến sỹ` beside `Chiến sĩ`, `hoà` beside `hòa`, `thuỷ` beside
`thủy` are both accepted Vietnamese, but a document that mixes them looks careless.

Words are compared by a canonical form (the tone mark on the main vowel of `oa`, `oe`, `uy`, and
`sĩ`/`kĩ` for `sỹ`/`kỹ`); a canonical word written two ways is reported with the first place of
each spelling, so that a person picks one. Which one is right is not ours to say.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

_WORD = re.compile(r"[^\W\d_]+")
_Y_I = {"sỹ": "sĩ", "kỹ": "kĩ"}


def _move_tone(word: str) -> str:
    """`hoà` → `hòa`, `thuỷ` → `thủy`, `khoẻ` → `khỏe`: the mark on the first vowel of a final
    oa/oe/uy (the newer placement), so that both placements compare equal."""
    decomposed = unicodedata.normalize("NFD", word)
    m = re.search(r"([oOuU])([aAeEyY])([\u0300\u0301\u0309\u0303\u0323])$", decomposed)
    if not m:
        return word
    moved = decomposed[: m.start()] + m.group(1) + m.group(3) + m.group(2)
    return unicodedata.normalize("NFC", moved)


def canonical(word: str) -> str:
    low = unicodedata.normalize("NFC", word).lower()
    low = _Y_I.get(low, low)
    return _move_tone(low)


def variants(texts: Iterable[tuple[str, str]]) -> list[str]:
    """Lines naming each word written two ways: `A: spelling varies: “sỹ” here, “sĩ” at B; …`.

    `texts` are (place, text) pairs: a field and line of a data file, a paragraph of a document.
    """
    first: dict[str, dict[str, str]] = {}
    for place, text in texts:
        for m in _WORD.finditer(unicodedata.normalize("NFC", text)):
            word = m.group(0).lower()
            first.setdefault(canonical(word), {}).setdefault(word, place)
    out = []
    for spellings in first.values():
        if len(spellings) > 1:
            (word, where), *others = spellings.items()
            also = ", ".join(f"“{w}” at {place}" for w, place in others)
            out.append(f"{where}: spelling varies: “{word}” here, {also}; write the word one way throughout")
    return out


def yaml_texts(data, path: str) -> Iterable[tuple[str, str]]:
    """(place, text) of every string in a round-trip-loaded YAML file: `file:line: field`."""
    from .readers.yaml_data import field_path, line_of

    def walk(node, loc):
        if isinstance(node, str):
            line = line_of(data, loc)
            yield f"{path}:{line}: {field_path(loc)}" if line else f"{path}: {field_path(loc)}", node
        elif isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, loc + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, loc + (i,))

    yield from walk(data, ())
