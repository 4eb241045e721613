"""Trích sao: the part of an issued document that a bản trích sao copies.

Decree 30 (art. 2 khoản 12, art. 25 khoản 3 điểm b) defines the trích sao as an exact copy of part
of the content, made by "tạo lập lại đầy đủ thể thức, phần nội dung văn bản cần trích sao": every
element of the format is written again, the content only in part. So the excerpt keeps

- the head: header table (issuer, Quốc hiệu, Số, place and date), tên loại and trích yếu, the thẩm
  quyền line, căn cứ and `Theo đề nghị …`, and the action line (`QUYẾT ĐỊNH:`) when a chosen part
  lies after it;
- the chosen parts, in the document's order whatever order they were asked in: a Điều (`Điều 1`),
  a section (`II`, `2`), a sub-section (`5.2`, or `II.1` for a `1.` under `II.`) with its parent's
  heading line, a phụ lục (`Phụ lục`, `Phụ lục II`) or a văn bản kèm theo (by its tên loại,
  `QUY CHẾ`);
- the original's signature block and its Nơi nhận, both elements of the format (ô 7, ô 9);
- of a list table (a phụ lục of a commendation decision), the rows naming someone (`rows`): the
  header row(s), the group row above each (`I. Danh hiệu …`), and the rows one of whose cells reads
  the name; the total row and the lines after the table (`Bằng chữ: …`) sum up the whole list and
  are left out.

Kept paragraphs and rows are copied from the issued document.xml as they are, byte for byte; the
text between them is cut out, nothing is written in its place. A part or row the document does not
have is one line naming it and what the document has — raised before the number book is opened.
"""
from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from ..check.layout import ARTICLE_RE, ATTACHED_NOTE, DIVISION_RE, LABEL_RE, ROMAN_HEAD
from ..check.layout import fold as _fold
from ..errors import DataError

_TAG = re.compile(r"<(/?)(w:[A-Za-z]+)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
# The elements are known as the checker knows them (check/layout.py); only what it has no need
# for is here: an Arabic or decimal section number, a phụ lục's heading, a list's total row.
ARABIC = re.compile(r"^(\d+)\.\s")
DECIMAL = re.compile(r"^(\d+(?:\.\d+)+)\.?\s")
ANNEX = re.compile(r"^Phụ\s+lục\b.*$", re.I)
TOTAL = re.compile(r"^TONG\b")
MAX_LISTED = 12


def fold(text: str) -> str:
    """As the checker folds text (upper case, no marks), without a trailing dot: `điều 1.` is `DIEU 1`."""
    return _fold(text).rstrip(".: ")


def same_name(text: str) -> str:
    """A cell's text as a name is compared: NFC, case and spaces ignored, marks kept (Hà ≠ Hạ)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass
class Element:
    """A top-level element of the body (or a row of a table): where it is in the XML, its text."""

    start: int
    end: int
    tag: str
    xml: str

    @property
    def text(self) -> str:
        return html.unescape("".join(_TEXT.findall(self.xml))).strip()

    @property
    def lines(self) -> list[str]:
        """The text of each paragraph in the element (a table's cells included)."""
        return [html.unescape("".join(_TEXT.findall(chunk))).strip() for chunk in self.xml.split("</w:p>")]

    @property
    def section_break(self) -> bool:
        return self.tag == "w:p" and "<w:sectPr" in self.xml

    @property
    def page_break(self) -> bool:
        return self.tag == "w:p" and 'w:type="page"' in self.xml and not self.text


def children(xml: str, start: int, end: int) -> list[Element]:
    """The elements directly inside xml[start:end], in order."""
    out: list[Element] = []
    depth, begin = 0, start
    for m in _TAG.finditer(xml, start, end):
        closing, tag, empty = m.group(1), m.group(2), m.group(3)
        if closing:
            depth -= 1
            if depth == 0:
                out.append(Element(begin, m.end(), tag, xml[begin:m.end()]))
        elif empty:
            if depth == 0:
                out.append(Element(m.start(), m.end(), tag, m.group(0)))
        else:
            if depth == 0:
                begin = m.start()
            depth += 1
    return out


def inner(element: Element) -> tuple[int, int]:
    """The span of an element's content inside its own xml."""
    return element.xml.index(">") + 1, element.xml.rindex("<")


@dataclass
class Part:
    label: str                 # as the document prints it: `Điều 1`, `II`, `5.2`, `II.1`, `Phụ lục I`
    elements: list[Element]
    parent: "Part | None" = None
    heading: list[Element] = field(default_factory=list)  # a Chương / Mục heading above a Điều
    annex: bool = False


@dataclass
class Layout:
    head: list[Element]
    action: Element | None
    parts: list[Part]          # the main text's parts and sub-parts, then the phụ lục
    tail: list[Element]        # signature block, Nơi nhận (and the section break before the phụ lục)
    annex_break: Element | None
    page_break: Element | None
    final: Element             # the body's last section properties

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.parts]


def _is_action(e: Element) -> bool:
    t = e.text
    letters = [c for c in t if c.isalpha()]
    return (e.tag == "w:p" and t.endswith(":") and bool(letters) and all(c == c.upper() for c in letters)
            and len(t.split()) <= 4 and not ROMAN_HEAD.match(t))


def _sections(main: list[Element]) -> tuple[int, list[Part]]:
    """Numbered sections (`I.` with `1.` under it, or `1.` with `1.1.` under it): (first index, parts)."""
    paras = [(i, e) for i, e in enumerate(main) if e.tag == "w:p" and e.text]
    romans = [(i, ROMAN_HEAD.match(e.text).group(1)) for i, e in paras if ROMAN_HEAD.match(e.text)]
    if romans:
        top = romans
        sub = [(i, ARABIC.match(e.text).group(1)) for i, e in paras if ARABIC.match(e.text)]
    else:
        top = [(i, ARABIC.match(e.text).group(1)) for i, e in paras if ARABIC.match(e.text)]
        sub = [(i, DECIMAL.match(e.text).group(1)) for i, e in paras if DECIMAL.match(e.text)]
    if not top:
        return len(main), []
    parts: list[Part] = []
    bounds = [i for i, _ in top] + [len(main)]
    for (start, label), end in zip(top, bounds[1:]):
        section = Part(label, main[start:end])
        parts.append(section)
        subs = [(i, lab) for i, lab in sub if start < i < end]
        sub_bounds = [i for i, _ in subs] + [end]
        for (s, lab), e in zip(subs, sub_bounds[1:]):
            name = lab if "." in lab else f"{label}.{lab}"
            parts.append(Part(name, main[s:e], parent=section))
    return top[0][0], parts


def _articles(main: list[Element]) -> tuple[int, list[Part]]:
    """Điều, each with the Chương / Mục heading (and its title line) it stands under."""
    starts = {i for i, e in enumerate(main) if e.tag == "w:p" and ARTICLE_RE.match(e.text)}
    if not starts:
        return len(main), []
    divisions = {i for i, e in enumerate(main) if e.tag == "w:p" and DIVISION_RE.match(e.text)}
    first = min([d for d in divisions if d < min(starts)] + [min(starts)])
    parts: list[Part] = []
    heading: list[Element] = []
    current: Part | None = None
    i = first
    while i < len(main):
        e = main[i]
        if i in divisions:
            title = i + 1 < len(main) and i + 1 not in starts and i + 1 not in divisions
            heading = main[i:i + 2] if title else [e]
            current = None
            i += len(heading)
            continue
        if i in starts:
            current = Part("Điều " + re.search(r"\d+", e.text).group(0), [e], heading=heading)
            parts.append(current)
        elif current is not None:
            current.elements.append(e)
        i += 1
    return first, parts


def _annex_label(segment: list[Element]) -> str | None:
    for e in segment:
        if e.tag == "w:p" and e.text:
            m = ANNEX.match(e.text)
            return " ".join(m.group(0).split()) if m else e.text
    return None


def _signature_start(main: list[Element]) -> int:
    """Where the signature block begins: after the last line of text, or — when the Nơi nhận is
    written under two signers' table — at that table; the spacer paragraph above it included."""
    label = next((i for i, e in enumerate(main) if e.tag == "w:p" and LABEL_RE.match(e.text)), None)
    if label is not None:
        cut = max((i for i in range(label) if main[i].tag == "w:tbl"), default=label)
    else:
        cut = max((i for i, e in enumerate(main) if e.tag == "w:p" and e.text), default=-1) + 1
    while cut > 0 and main[cut - 1].tag == "w:p" and not main[cut - 1].text:
        cut -= 1
    return cut


def read_layout(xml: str) -> Layout:
    """The issued document's head, parts, signature and phụ lục, read from its document.xml."""
    body_start = xml.index(">", xml.index("<w:body")) + 1
    body_end = xml.rindex("</w:body>")
    elements = children(xml, body_start, body_end)
    final = elements.pop() if elements and elements[-1].tag == "w:sectPr" else None
    if final is None:
        raise DataError("the copied document has no section properties at the end of its body")
    split = next((i for i, e in enumerate(elements) if e.section_break), None)
    main = elements if split is None else elements[:split]
    after = [] if split is None else elements[split + 1:]
    cut = _signature_start(main)
    body, tail = main[:cut], main[cut:]
    first, parts = _articles(body)
    if not parts:
        first, parts = _sections(body)
    head = body[:first]
    action = next((e for e in head if _is_action(e)), None)
    page_break = None
    segments: list[list[Element]] = [[]] if after else []
    for e in after:
        if e.page_break:
            page_break = e
            segments.append([])
        else:
            segments[-1].append(e)
    for segment in segments:
        label = _annex_label(segment)
        if label:
            parts.append(Part(label, segment, annex=True))
    return Layout(head, action, parts, tail, elements[split] if split is not None else None, page_break, final)


@dataclass
class Rows:
    """Row names asked for, and which of them a table held."""

    wanted: dict[str, str]                   # same_name(text) -> text as typed
    found: dict[str, str] = field(default_factory=dict)  # same_name -> the cell as the document prints it
    seen: list[str] = field(default_factory=list)  # names the tables hold, for the error message


def _cells(row: Element) -> list[str]:
    start, end = inner(row)
    return [c.text for c in children(row.xml, start, end) if c.tag == "w:tc"]


def filter_table(table: Element, rows: Rows) -> str | None:
    """The table with its header row(s), the group rows above kept rows and the rows naming someone
    asked for; None when no row names anyone asked for."""
    start, end = inner(table)
    items = children(table.xml, start, end)
    trs = [e for e in items if e.tag == "w:tr"]
    if not trs:
        return None
    headers = [r for r in trs if "<w:tblHeader" in r.xml] or trs[:1]
    width = max(len(_cells(r)) for r in trs)
    keep: list[Element] = []
    group: Element | None = None
    matched = False
    for r in trs:
        if r in headers:
            continue
        cells = _cells(r)
        if len(cells) < width:
            group = r
            continue
        if cells and TOTAL.match(fold(next((c for c in cells if c), ""))):
            continue
        names = {same_name(c): c for c in cells if c}
        label = next((c for c in cells if c and not c.replace(".", "").replace(",", "").isdigit()), None)
        if label and label not in rows.seen:
            rows.seen.append(label)  # the row's name (the first cell that is not its STT), for the error
        hit = names.keys() & rows.wanted.keys()
        if hit:
            matched = True
            rows.found.update({key: names[key] for key in hit})
            if group is not None and group not in keep:
                keep.append(group)
            keep.append(r)
    if not matched:
        return None
    kept = set(id(r) for r in headers + keep)
    out = [table.xml[:start]]
    position = start
    for e in items:
        out.append(table.xml[position:e.start])
        if e.tag != "w:tr" or id(e) in kept:
            out.append(e.xml)
        position = e.end
    out.append(table.xml[position:])
    return "".join(out)


def _rows_of_annex(elements: list[Element], tables: dict[int, str | None], hits: dict[int, str]) -> list[str]:
    """A phụ lục kept for rows of its list: its title block (heading, title, `(Kèm theo …)` and the
    rule under it), then each table holding a row asked for, under its own Mục heading (`II. CÁ
    NHÂN`); the lines that present or sum up the whole list are left out."""
    note = next((i for i, e in enumerate(elements) if e.tag == "w:p" and ATTACHED_NOTE.match(e.text)), None)
    first_table = next(i for i, e in enumerate(elements) if id(e) in tables)
    end = first_table if note is None else note + 1
    while note is not None and end < first_table and elements[end].tag == "w:p" and not elements[end].text:
        end += 1
    pieces = [e.xml for e in elements[:end]]
    previous = end - 1
    for i, e in enumerate(elements):
        if id(e) not in tables:
            continue
        if id(e) in hits:
            before = [h for h in elements[previous + 1:i] if h.tag == "w:p"]
            # a Mục heading (`II. CÁ NHÂN`) over a list numbered 1., 2. …; else an Arabic heading
            headings = [h for h in before if ROMAN_HEAD.match(h.text)] or [h for h in before if ARABIC.match(h.text)]
            pieces += [h.xml for h in headings[-1:]] + [hits[id(e)]]
        previous = i
    return pieces


@dataclass
class Excerpt:
    xml: str
    parts: list[str]   # the parts kept, as the document prints their labels
    rows: list[str]


def _listing(labels: list[str]) -> str:
    shown = labels[:MAX_LISTED]
    more = f" … ({len(labels) - MAX_LISTED} more)" if len(labels) > MAX_LISTED else ""
    return ", ".join(shown) + more if shown else "none"


def excerpt_xml(xml: str, parts: list[str], rows: list[str], source: str) -> Excerpt:
    """document.xml of the trích sao of `source`: its head, the `parts` and the `rows` asked for,
    its signature and Nơi nhận."""
    layout = read_layout(xml)
    by_label = {fold(p.label): p for p in layout.parts}
    chosen: list[Part] = []
    for asked in parts:
        part = by_label.get(fold(asked))
        if part is None:
            raise DataError(f"{source}: part {asked!r} is not in the copied document; "
                            f"its parts: {_listing(layout.labels)}")
        if part not in chosen:
            chosen.append(part)
    wanted = Rows({same_name(r): r for r in rows})
    main_parts = [p for p in layout.parts if not p.annex]
    annexes = [p for p in layout.parts if p.annex]
    kept_main = [p for p in main_parts if p in chosen or (p.parent in chosen)]
    if not chosen:  # rows only: the whole text, and the phụ lục holding those rows
        kept_main = [p for p in main_parts if p.parent is None]
    kept: dict[int, str] = {}   # id(element) -> its xml in the excerpt
    annex_out: list[str] = []
    for part in main_parts:
        for e in part.elements:
            if e.tag == "w:tbl" and rows and (part in kept_main or part.parent in kept_main):
                filtered = filter_table(e, wanted)
                if filtered is not None:
                    kept[id(e)] = filtered
    for annex in annexes:
        named = annex in chosen
        tables = {id(e): filter_table(e, wanted) for e in annex.elements if e.tag == "w:tbl"} if rows else {}
        hits = {k: v for k, v in tables.items() if v is not None}
        if not named and not hits:
            continue
        pieces: list[str] = []
        if hits and not named:
            pieces = _rows_of_annex(annex.elements, tables, hits)
        else:
            pieces = [hits.get(id(e), e.xml) for e in annex.elements]
        annex_out.append("".join(pieces))
    missing = [typed for key, typed in wanted.wanted.items() if key not in wanted.found]
    if missing:
        raise DataError(f"{source}: row {missing[0]!r}: no row of the copied document's tables has a cell "
                        f"reading so; names in its tables: {_listing(wanted.seen)}")
    if not chosen and not rows:
        raise DataError(f"{source}: a trích sao copies part of the text: choose it "
                        f"(its parts: {_listing(layout.labels)})")

    out: list[str] = []
    main_kept = bool(kept_main)
    for e in layout.head:
        if e is layout.action and not main_kept:
            continue  # `QUYẾT ĐỊNH:` heads the Điều; with none of them kept it heads nothing
        out.append(e.xml)
    done: set[int] = set()

    def put(elements: list[Element]) -> None:
        for e in elements:
            if id(e) not in done:
                done.add(id(e))
                out.append(kept.get(id(e), e.xml))

    for part in main_parts:
        if part in kept_main:
            put(part.heading)
            if part.parent is not None and part.parent not in kept_main:
                put(part.parent.elements[:1])  # the section's heading line above its sub-section
            put(part.elements)
    out.extend(e.xml for e in layout.tail)
    final = layout.final.xml
    if annex_out:
        if layout.annex_break is not None:
            out.append(layout.annex_break.xml)
        page = layout.page_break.xml if layout.page_break is not None else '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        out.append(page.join(annex_out))
    elif layout.annex_break is not None:
        # no phụ lục kept: the main text's own section properties close the body
        m = re.search(r"<w:sectPr\b.*</w:sectPr>", layout.annex_break.xml, re.S)
        final = m.group(0) if m else final
    out.append(final)
    start = xml.index(">", xml.index("<w:body")) + 1
    labels = [p.label for p in layout.parts if p in chosen]
    return Excerpt(xml[:start] + "".join(out) + xml[xml.rindex("</w:body>"):], labels,
                   [wanted.found[k] for k in wanted.wanted])


def excerpt_docx(data: bytes, parts: list[str], rows: list[str], source: str) -> tuple[bytes, Excerpt]:
    """The issued .docx with its document.xml cut down to the trích sao's parts; other members as they are."""
    from ..writers.docx_zip import Member, write_zip

    src = zipfile.ZipFile(io.BytesIO(data))
    chosen: Excerpt | None = None
    members = []
    for info in src.infolist():
        content = src.read(info)
        if info.filename == "word/document.xml":
            chosen = excerpt_xml(content.decode("utf-8"), parts, rows, source)
            content = chosen.xml.encode("utf-8")
        members.append(Member.deflate(info.filename, content))
    if chosen is None:
        raise DataError(f"{source}: the copied file has no word/document.xml")
    buf = io.BytesIO()
    write_zip(buf, members)
    return buf.getvalue(), chosen
