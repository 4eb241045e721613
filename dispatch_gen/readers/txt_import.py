"""Read a dispatch saved as plain text (the seed's form) into a Source.

Such text has lost its layout: the header may be missing, bold is written `**like this**`, a
line is a paragraph, and a signature block is split over several lines. Quirks of the seed that
are normalised here: `Số: **31** /PĐTĐ- CTĐP-CĐC` (bold and stray spaces), a title line that holds
both the tên loại and the trích yếu.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..check.layout import AUTHORITY_RE, DATE_RE, LABEL_RE, NUMBER_RE, fold, is_upper
from .dispatch_text import Source
from .text_file import read_text


def _plain(line: str) -> str:
    return " ".join(line.replace("**", "").split())


def read_txt(path: str | Path) -> Source:
    path = Path(path)
    raw = read_text(path)
    lines = [unicodedata.normalize("NFC", x).strip() for x in raw.splitlines()]
    lines = [x for x in lines if x]
    src = Source(str(path))
    i = 0
    # header: bodies, Quốc hiệu, Tiêu ngữ, Số, date — whatever of it the text kept
    while i < len(lines):
        plain = _plain(lines[i])
        key = fold(plain)
        if NUMBER_RE.match(plain):
            src.number_line = plain
            if plain != lines[i]:
                src.notes.append(f"number line normalised from {lines[i]!r}")
        elif DATE_RE.search(plain) and src.date_line is None and len(plain) < 80:
            src.date_line = plain
        elif "CONG HOA" in key and "VIET NAM" in key or "DOC LAP" in key and "HANH PHUC" in key or set(plain) <= set("-_* "):
            pass
        elif is_upper(plain) and src.number_line is None and src.date_line is None:
            src.bodies.append((plain, False))
        else:
            break
        i += 1
    if len(src.bodies) > 1:
        src.bodies = [(t, k == 0) for k, (t, _) in enumerate(src.bodies)]
    if i < len(lines):
        src.title.append(lines[i])
        i += 1
    # body, until the first signature or Nơi nhận line
    while i < len(lines):
        plain = _plain(lines[i])
        if LABEL_RE.match(plain) or (AUTHORITY_RE.match(plain) and is_upper(plain)):
            break
        src.body.append(lines[i])
        i += 1
    # signature blocks: upper-case lines, then the name; then Nơi nhận and its dash lines
    block: list[str] = []
    in_recipients = False
    for line in lines[i:]:
        for part in line.split("\n"):
            plain = _plain(part)
            if LABEL_RE.match(plain):
                in_recipients = True
                rest = LABEL_RE.sub("", plain).strip()
                if rest:
                    src.recipients.append(rest)
                continue
            if in_recipients:
                if re.match(r"^[-–]", plain):
                    src.recipients.append(plain)
                else:
                    src.unsorted.append(f"after Nơi nhận: {plain}")
                continue
            starts = AUTHORITY_RE.match(plain) and not AUTHORITY_RE.match(block[-1]) if block else False
            if block and (not is_upper(block[-1]) and is_upper(plain) or starts):
                src.signers.append(block)
                block = []
            block.append(plain)
    if block:
        src.signers.append(block)
    return src
