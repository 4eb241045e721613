"""Read a dispatch saved as plain text into a Source, the way a web page or a PDF copy gives it.

Such text has lost its layout. The header's two columns come flattened onto one line (cells
separated by `|`, by a run of spaces, or by a single space: `Số: 454/UBND-NCTH Vị Thanh, ngày …`)
or split over lines (`THỦ` / `TƯỚNG CHÍNH PHỦ`, `Hà` / `Nội, ngày 21 tháng 03` / `năm 2016`); PDF
copies break every paragraph where the page's line ended; page numbers, the copy's running heads
and typed rules (`-------`, `***`, `|`) stand between the lines. This reader cuts the header into
cells and places each, joins broken lines, drops what only the copy added (each drop is noted),
and hands the document's lines, sorted by element, to the shared recogniser. Bold typed as
`**…**` (the seed's form) is kept as emphasis.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..check.layout import AUTHORITY_LOOSE, DATE_RE, LABEL_RE, NUMBER_RE, fold, is_upper
from .dispatch_text import (URGENCY, Source, group_bodies, is_action, is_basis, is_doc_type,
                            is_structural, national_title_of, split_fold_anchor)
from .text_file import read_text

_PAGE = re.compile(r"^(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?$|^(?:Trang|Page)\s+\d+(?:\s*(?:/|of|trên)\s*\d+)?$"
                   r"|^(?:You are on page|Vous êtes sur la page)\s*\d+\s*(?:of|sur)\s*\d+$", re.I)
_CELL_GAP = re.compile(r"\s*\|\s*|\t+|\s{3,}")
# `Số: 454/UBND-NCTH`, `Số : 4144 /GDĐT – VP`, `Số 142/TB-VG`, `Số: 31 /PĐTĐ- CTĐP-CĐC`: the ký hiệu is
# made of dash-joined groups; what follows it on the line (a flattened date, a place) is another cell.
_NUMBER_CELL = re.compile(r"^(?P<head>S[ốỐ]\s*:?)\s*(?P<num>\d+|[.…]*)\s*(?P<sep>[/-])\s*"
                          r"(?P<sym>[^\s,–-]+(?:\s*[-–]\s*[^\s,–-]+)*)(?:\s+(?P<rest>.*))?$")
_DATE_END = re.compile(r"\bnăm\s+\d{4}", re.I)
_DATE_START = re.compile(r",\s*ngày\s+(?:\d|[.…])", re.I)
_SUBJECT = re.compile(r"^V/v\b", re.I)
_ADDRESSEE = re.compile(r"^Kính\s+gửi\b", re.I)
_NOTE = re.compile(r"^\((?:đã ký|ký|chữ ký|ký tên|ký, ghi rõ|đã ký và đóng dấu)[^()]*\)$", re.I)
_DASH = re.compile(r"^[-–—+•]\s*")
_ARCHIVE = re.compile(r"^[-–—]?\s*Lưu\s*:", re.I)
_TERMINAL = (".", ";", ":", "!", "?")
_OPENERS = ("“", '"', "(", "‘", "[")


@dataclass
class Line:
    """One non-blank line of the file: its text (spaces collapsed) and where it stood."""

    text: str
    raw: str
    no: int
    blank_before: bool


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _lines(raw: str) -> list[Line]:
    out: list[Line] = []
    blank = False
    for no, line in enumerate(raw.splitlines(), 1):
        line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
        if not line.strip():
            blank = True
            continue
        out.append(Line(" ".join(line.split()), line, no, blank))
        blank = False
    return out


def _is_rule(text: str) -> bool:
    """A typed rule or separator (`-------`, `***`, `|`, a stray `;`): no letter, no digit."""
    return not any(c.isalnum() for c in text) and text not in ("./.", "/.")


def _drop_copy_marks(lines: list[Line], src: Source) -> list[Line]:
    """Page numbers, typed rules and running heads (a line repeated three times or more) are the
    copy's, not the document's."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.text] = counts.get(line.text, 0) + 1
    kept: list[Line] = []
    page_break = False
    for line in lines:
        if _is_rule(line.text):
            continue
        if _PAGE.match(line.text):
            src.notes.append(f"line {line.no}: page number {line.text!r} dropped")
            page_break = True
        elif counts[line.text] >= 3 and len(line.text) >= 8:
            src.notes.append(f"line {line.no}: running head {line.text!r} dropped")
            page_break = True
        else:
            if page_break and kept:  # the blank lines around a page's foot and head do not end a paragraph
                line = Line(line.text, line.raw, line.no, False)
            kept.append(line)
            page_break = False
    return kept


def cells(raw: str) -> list[str]:
    """The cells of a line whose table columns were flattened: split at `|`, tabs and runs of spaces,
    then before a Quốc hiệu or Tiêu ngữ that follows other text after a single space."""
    out = []
    for part in _CELL_GAP.split(raw.strip()):
        part = " ".join(part.split())
        while part:
            head, tail = split_fold_anchor(part)
            if head and not _is_rule(head):
                out.append(head)
            part = tail
    return out


def _header_start(lines: list[Line]) -> int:
    """Index of the first header line; lines above it are the copy's (a site's name, a viewer's line)."""
    for i, line in enumerate(lines[:8]):
        first = cells(line.raw)[0] if cells(line.raw) else line.text
        first = _plain(first)
        if NUMBER_RE.match(first) or national_title_of(first) or (is_upper(first) and sum(c.isalpha() for c in first) >= 2):
            return i
    return 0


def _number_cell(cell: str) -> tuple[str, str | None] | None:
    """`Số: 454/UBND-NCTH Vị Thanh, ngày …` -> (`Số: 454/UBND-NCTH`, `Vị Thanh, ngày …`)."""
    m = _NUMBER_CELL.match(_plain(cell))
    if not m:
        return None
    sym = re.sub(r"\s*[-–]\s*", "-", m.group("sym"))
    head = "Số:" if ":" in m.group("head") else "Số"
    return f"{head} {m.group('num')}{m.group('sep')}{sym}".replace("  ", " "), m.group("rest")


def _date_text(text: str) -> str:
    """`HIỆP HOÀ, NGÀY 30 THÁNG 10 NĂM 2020` -> `Hiệp Hoà, ngày 30 tháng 10 năm 2020`."""
    text = re.sub(r"\b(NGÀY|THÁNG|NĂM)\b", lambda m: m.group(1).lower(), text)
    place, _, rest = text.partition(",")
    if is_upper(place):
        place = place.title()
    return f"{place},{rest}" if rest else place


def _read_header(lines: list[Line], start: int, src: Source) -> int:
    """Place the header's cells (bodies, Quốc hiệu, Số, date, V/v, urgency); return where it ends."""
    queue: list[tuple[str, int]] = []  # (cell, line index)
    i = start
    body_lines: list[str] = []
    pending_place: str | None = None
    subject: list[str] = []
    seen_number = seen_date = False
    while i < len(lines):
        line = lines[i]
        line_cells = cells(line.raw)
        first = _plain(line_cells[0]) if line_cells else ""
        if is_doc_type(first) or _ADDRESSEE.match(first) or is_basis(first) or is_structural(first) \
                or (len(first) > 90 and not is_upper(first) and not DATE_RE.search(first) and not _SUBJECT.match(first)):
            break
        queue.extend((c, i) for c in line_cells)
        i += 1
    k = 0
    while k + 1 < len(queue):  # `CỘNG` / `HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`: a title broken over two lines
        joined = f"{_plain(queue[k][0])} {_plain(queue[k + 1][0])}"
        if national_title_of(joined) and not national_title_of(_plain(queue[k][0])):
            queue[k:k + 2] = [(joined, queue[k][1])]
        k += 1
    k = 0
    while k < len(queue):
        cell, at = queue[k]
        text = _plain(cell)
        k += 1
        if re.fullmatch(r"S[ốỐ]\s*:?", text) and k < len(queue):  # `Số:` / `80/NQ-CP` on the next line
            text = f"{text} {_plain(queue[k][0])}"
            k += 1
        if national_title_of(text):
            src.national_title = national_title_of(text)
            continue
        if fold(text).replace(" ", "").replace("-", "").replace("–", "") == "DOCLAPTUDOHANHPHUC":
            continue
        if fold(text) in {fold(u) for u in URGENCY}:
            src.urgency = next(u for u in URGENCY if fold(u) == fold(text))
            continue
        number = _number_cell(text) if NUMBER_RE.match(text) and not seen_number else None
        if number:
            src.number_line, rest = number
            seen_number = True
            if src.number_line != text:
                src.notes.append(f"number line normalised from {text!r} to {src.number_line!r}")
            if rest and DATE_RE.search(rest):
                queue.insert(k, (rest, at))
            elif rest:
                pending_place = rest
            continue
        if (DATE_RE.search(text) or _DATE_START.search(text)) and not seen_date:
            if pending_place:
                text = f"{pending_place} {text}"
                pending_place = None
            while not _DATE_END.search(text) and k < len(queue) and len(_plain(queue[k][0])) < 20:
                text = f"{text} {_plain(queue[k][0])}"
                k += 1
            src.date_line = _date_text(text)
            seen_date = True
            continue
        if k < len(queue) and not is_upper(text) and len(text) <= 20 and not any(c.isdigit() for c in text) \
                and re.search(r",\s*ngày\b", _plain(queue[k][0]), re.I) and not seen_date:
            pending_place = f"{pending_place} {text}" if pending_place else text  # `Hà` / `Nội, ngày …`
            continue
        if _SUBJECT.match(text) or (subject and not is_upper(text)):
            subject.append(text)
            continue
        if is_upper(text) and not seen_number and not seen_date and not subject:
            body_lines.append(text)
            continue
        if seen_number and not is_upper(text) and not DATE_RE.search(text):
            subject.append(text)  # a trích yếu typed without `V/v` (`Về cho học sinh nghỉ học`)
            continue
        src.unsorted.append(f"header, line {lines[at].no}: {text}")
        src.review.append(f"line {lines[at].no}: {text!r} in the header was not understood (see unsorted)")
    if pending_place:
        src.unsorted.append(f"header: {pending_place}")
        src.review.append(f"{pending_place!r} in the header was not understood (see unsorted)")
    if subject:
        joined = " ".join(subject)
        src.subject = joined if _SUBJECT.match(joined) else f"V/v {joined}"
        if not _SUBJECT.match(joined):
            src.review.append(f"trích yếu {joined!r} has no `V/v`: it will be printed with one")
    src.bodies = group_bodies(body_lines)
    return i


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """Join the lines a PDF copy broke: a line continues the previous one when that one does not
    end a sentence and this one is no new element, and either it starts in lower case (or with a
    digit or an opening quote) or the previous line ran to the page's width."""
    if not lines:
        return lines
    lengths = sorted(len(line.text) for line in lines)
    width = lengths[int(len(lengths) * 0.9) - 1] if len(lengths) >= 5 else max(lengths)
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        plain, before = _plain(line.text), _plain(prev.text)
        starts_low = plain[:1].islower() or plain[:1].isdigit() or plain.startswith(_OPENERS)
        full = len(before) >= 0.75 * width and width >= 50
        if not line.blank_before and not before.endswith(_TERMINAL) and not is_structural(plain) \
                and not _is_tail(plain) and not is_action(plain) and (starts_low or full) \
                and not (is_upper(plain) and not is_upper(before)) \
                and not (is_upper(before) and not is_upper(plain) and not plain[:1].islower()) \
                and not re.fullmatch(r"\(.*\)", plain):
            out[-1] = Line(f"{prev.text} {line.text}", f"{prev.raw} {line.raw}", prev.no, prev.blank_before)
        else:
            out.append(line)
    return out


def _is_tail(text: str) -> bool:
    return bool(LABEL_RE.match(text) or (AUTHORITY_LOOSE.match(text) and is_upper(text)))


def _is_name(text: str) -> bool:
    """A signer's name: a few capitalised words, no digits (`Trần Thành Lập`, `PGS.TS. Phạm Văn A`)."""
    words = _plain(text).split()
    return 2 <= len(words) <= 7 and not any(c.isdigit() for c in text) and not is_upper(text) \
        and all(w[:1].isupper() for w in words) and not text.endswith((":", ";", ","))


def _title(lines: list[Line], i: int, src: Source) -> int:
    """The tên loại and the trích yếu under it; for a decision, the thẩm quyền line before the căn cứ."""
    if i >= len(lines) or not is_doc_type(_plain(lines[i].text)):
        return i
    first = lines[i].text
    src.title.append(first)
    i += 1
    own_subject = len(_plain(first).split()) > 3 and is_upper(_plain(first))
    start = i
    while i < len(lines):
        text = _plain(lines[i].text)
        if is_basis(text) or is_structural(text) or _ADDRESSEE.match(text) or is_action(text) or _is_tail(text):
            break
        low = text[:1].islower()
        if is_upper(text) or low:
            pass
        elif i == start and not own_subject and len(text) < 160 and not text.endswith((".", ":", ";")) \
                and not _opening(text):
            pass
        elif i > start and len(text) <= 40 and not _opening(text) and not text.endswith((".", ":", ";")):
            pass
        else:
            break
        src.title.append(lines[i].text)
        i += 1
    decision = fold(_plain(first)).startswith(("QUYET DINH", "NGHI QUYET", "NGHI DINH", "THONG TU", "CHI THI"))
    if decision and len(src.title) > 2 and i < len(lines) and is_upper(_plain(src.title[-1])) \
            and (is_basis(_plain(lines[i].text)) or is_action(_plain(lines[i].text))):
        src.authority = _plain(src.title.pop())
    return i


def _opening(text: str) -> bool:
    return bool(re.match(r"^(Thực hiện|Căn cứ|Theo|Xét|Ngày\s+\d|Để|Nhằm|Hôm nay|Trong|Sau khi|Qua)\b", text))


def _addressees(lines: list[Line], i: int, src: Source) -> int:
    if i >= len(lines) or not _ADDRESSEE.match(_plain(lines[i].text)):
        return i
    src.addressees.append(_plain(lines[i].text))
    i += 1
    while i < len(lines) and _DASH.match(_plain(lines[i].text)) and not _ARCHIVE.match(_plain(lines[i].text)):
        src.addressees.append(_plain(lines[i].text))
        i += 1
    return i


def _tail(lines: list[Line], src: Source, annex_at: list[int]) -> None:
    """Signature blocks, notes, names, Nơi nhận and Lưu, whichever order the copy gives them."""
    block: list[str] = []
    in_recipients = False
    for k, line in enumerate(lines):
        if annex_at and k >= annex_at[0]:
            break
        for cell in cells(line.raw):
            text = _plain(cell)
            if LABEL_RE.match(text):
                in_recipients = True
                rest = LABEL_RE.sub("", text).strip(" :")
                if rest:
                    src.recipients.append(rest)
                continue
            if _DASH.match(text) or _ARCHIVE.match(text):
                if in_recipients or _ARCHIVE.match(text) or not block:
                    src.recipients.append(re.sub(r"^[–—•]", "-", text))
                    in_recipients = True
                    continue
            if _NOTE.match(text):
                block.append(text)
                continue
            if is_upper(text):
                if block and (AUTHORITY_LOOSE.match(text) and not all(AUTHORITY_LOOSE.match(b) for b in block)
                              or _is_name(block[-1])):
                    src.signers.append(block)
                    block = []
                block.append(text)
                continue
            if _is_name(text) and block:
                block.append(text)
                continue
            if in_recipients and src.recipients and re.fullmatch(r"[A-ZĐ]{1,6}\.?\(\d+\)", text):
                src.recipients.append(text)
                continue
            src.unsorted.append(f"line {line.no}: {text}")
            src.review.append(f"line {line.no}: {text!r} after the body was not understood (see unsorted)")
    if block:
        src.signers.append(block)


def read_txt(path: str | Path) -> Source:
    path = Path(path)
    src = Source(str(path))
    lines = _drop_copy_marks(_lines(read_text(path)), src)
    start = _header_start(lines)
    for line in lines[:start]:
        src.notes.append(f"line {line.no}: {line.text!r} above the header dropped (a running head of the copy)")
    i = _read_header(lines, start, src)
    i = _title(lines, i, src)
    i = _addressees(lines, i, src)
    rest = lines[i:]
    # where the signatures and Nơi nhận begin: the first Nơi nhận or authority line, or an upper-case
    # line after the closing `./.`; what comes after them and starts with a tên loại is a phụ lục
    tail_at = len(rest)
    for k, line in enumerate(rest):
        text = _plain(line.text)
        first = _plain(cells(line.raw)[0]) if cells(line.raw) else text
        if _is_tail(first) or (k and _plain(rest[k - 1].text).endswith("./.") and is_upper(first)
                               and not is_structural(first)):
            tail_at = k
            break
    body, tail = _join_wrapped(rest[:tail_at]), rest[tail_at:]
    annex_at = [k for k, line in enumerate(tail) if k and is_doc_type(_plain(line.text))][:1]
    src.body = [line.text for line in body]
    _tail(tail, src, annex_at)
    if annex_at:
        annex = _join_wrapped(tail[annex_at[0]:])
        src.annex = [line.text for line in annex]
    return src
