"""Find the elements of Phụ lục I in a read document: by structure first, then by text.

Our own documents put the header and the signatures in borderless tables; documents typed by
hand often use tabs instead ("BỘ CÔNG THƯƠNG<tab>CỘNG HÒA …", "Nơi nhận:<tab>KT. BỘ TRƯỞNG"). So
paragraphs are cut into pieces at tabs and line breaks, each piece is placed in the left or the
right column, and elements are recognised by their text (the Quốc hiệu, `Số:`, the date line,
`Nơi nhận:`, authority prefixes). Templates hold Jinja tags where the text will be: there the
place in the table tells what a tag paragraph is. The checker and the importer share this map.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..profile import Profile, text_width_pt
from . import blanks
from .reader import JINJA, DocxDoc, Para, Piece

NUMBER_RE = re.compile(r"^S[ốỐ]\b", re.I)
DATE_RE = re.compile(r"\bngày\b.*\btháng\b.*\bnăm\b", re.I | re.S)
SUBJECT_RE = re.compile(r"^V/v\b", re.I)
URGENCY_RE = re.compile(r"^(KHẨN|THƯỢNG KHẨN|HỎA TỐC)$")  # ô 10b, stamped in a box
ADDRESSEE_RE = re.compile(r"^Kính gửi\b")
LABEL_RE = re.compile(r"^N[ơƠ]i\s+nh[ậẬ]n\s*:?", re.I)
AUTHORITY_RE = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s*\S")
AUTHORITY_LOOSE = re.compile(r"^(?:T/M|K/T|T/L|T/UQ|T\.M|K\.T|TM|KT|TL|TUQ|Q)\s*[./:]?\s+\S")
ROMAN_HEAD = re.compile(r"^([IVXLC]+)\.\s+\S")
PART_HEAD = re.compile(r"^(Phần|Chương|PHẦN|CHƯƠNG)\s+([IVXLC]+|\d+)\b")
# `Phần I`, `Chương II`, `Mục 1` on a line of their own (Phụ lục I: centred, bold, lower case; the
# title on the next line, upper case): not a Roman-numbered `I. MỤC …` heading of a report.
DIVISION_RE = re.compile(r"^(Phần|Chương|Mục|PHẦN|CHƯƠNG|MỤC)\s+([IVXLC]+|\d+)\s*[.:]?$")
ARTICLE_RE = re.compile(r"^Điều\s+\d+\.")
INTRODUCING_RE = re.compile(r"\btrân trọng giới thiệu\s*:\s*$", re.I)
DASH_RE = re.compile(r"^[-–+•]\s*")
DRAFTER_RE = re.compile(r"^[A-ZĐ]{1,6}\.?\(\d+\)$")  # ô 12 under Nơi nhận: NVB.(30)
RULE_TAG = re.compile(r"^\s*\{\{p\s.*\}\}\s*$")
BASIS_RE = re.compile(r"^Căn cứ\b")
BASIS_MORE_RE = re.compile(r"^(Theo|Xét)\s+(đề nghị|đề xuất|tờ trình|báo cáo)\b", re.I)  # closes a căn cứ block
ANNEX_FOLD = re.compile(r"^PHU LUC(\s+(SO\s+)?([IVXLC]+|\d+))?\s*:?$")  # `Phụ lục`, `PHỤ LỤC II`, `Phụ lục số 01`
NOTE_RE = re.compile(r"^\(.*\)$", re.S)
ATTACHED_NOTE = re.compile(r"^\(\s*(Ban hành )?kèm theo\b", re.I)
# The form's own notes under a model (`Ghi chú:` then one line per numbered blank): not the document.
NOTES_RE = re.compile(r"^Ghi\s+chú\s*:", re.I)
# A note in the signature's space, in brackets, over one or more lines: `(Đã ký)`, `[ (Đã ký)`,
# `(Chữ ký của người có thẩm quyền,` / `dấu/chữ ký số của cơ quan, tổ chức)`, `(Ký, ghi rõ họ tên)`.
SIGN_NOTE_OPEN = re.compile(r"^[\[\s]*\(")


def fold(text: str) -> str:
    """Upper-case letters without marks, spaces collapsed: compares `HOÀ` with `HÒA`."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.upper().split())


def literal(text: str) -> str:
    """The text without Jinja tags (what a template shows for sure)."""
    return JINJA.sub("", text)


def is_upper(text: str) -> bool:
    letters = [c for c in literal(text) if c.isalpha()]
    return bool(letters) and all(c == c.upper() for c in letters)


def is_authority(text: str) -> bool:
    """An authority line (`KT. CỤC TRƯỞNG`), also when its prefix is mistyped (`K/T`, `KT CỤC …`)."""
    return bool(AUTHORITY_LOOSE.match(text)) and is_upper(text)


@dataclass
class Found:
    """One element: the paragraph it is in and the pieces of that paragraph it covers."""

    role: str
    para: Para
    pieces: list[Piece]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)

    @property
    def shown(self) -> str:
        return " ".join(p.shown for p in self.pieces)

    @property
    def whole(self) -> bool:
        return len(self.pieces) == len(self.para.pieces)

    @property
    def is_tag(self) -> bool:
        return bool(JINJA.search(self.text))

    @property
    def runs(self):
        """The runs that show the element's own text (footnote marks raised above the line are not)."""
        return [r for p in self.pieces for r in p.runs if r.text.strip() and not r.raised]

    @property
    def plain(self) -> str:
        """The text without raised footnote marks: `…3…` reads as one blank."""
        return " ".join("".join(r.text for r in p.runs if not r.raised) for p in self.pieces)


@dataclass
class Rule:
    """A drawn rule under the Tiêu ngữ, the issuing body or the title, and what it is measured against."""

    twips: int | None   # None: not found
    para: Para | None
    tag: bool = False   # a template tag that draws it at render time


@dataclass
class Signer:
    authority: list[Found] = field(default_factory=list)
    name: Found | None = None
    side: str = "right"


@dataclass
class Annex:
    """One phụ lục: its heading, title and note, its text and table cells, and the section it starts."""

    start: Para
    before: Para | None  # the last line before the phụ lục: in another section if it has its own
    heading: Found | None = None
    title: list[Found] = field(default_factory=list)
    note: Found | None = None
    body: list[Found] = field(default_factory=list)
    cells: list[Found] = field(default_factory=list)

    @property
    def section(self) -> int:
        return self.start.section

    def elements(self):
        yield from (f for f in (self.heading, *self.title, self.note, *self.body, *self.cells) if f is not None)


@dataclass
class Layout:
    doc: DocxDoc
    # "document"; "certificate": a giấy khen, not an administrative document; "annex": a phụ lục in a
    # file or part of its own; "attached": a văn bản issued with a decision (`(Kèm theo Quyết định …)`
    # under its title), which has a header but no number, date or signature of its own.
    kind: str = "document"
    national: Found | None = None
    motto: Found | None = None
    parents: list[Found] = field(default_factory=list)
    issuers: list[Found] = field(default_factory=list)
    number: Found | None = None
    date: Found | None = None
    subject: Found | None = None
    urgency: Found | None = None
    motto_rule: Rule | None = None
    national_rule: Rule | None = None  # under the national title itself (Party, Đoàn: no Tiêu ngữ)
    issuer_rule: Rule | None = None
    issuer_mark: Found | None = None   # `*` / `***` under the issuing body instead of a rule
    doc_type: Found | None = None
    summary: list[Found] = field(default_factory=list)
    title_rule: Rule | None = None
    addressees: list[Found] = field(default_factory=list)
    authority: list[Found] = field(default_factory=list)
    action: Found | None = None
    body: list[Found] = field(default_factory=list)
    body_tables: list[Para] = field(default_factory=list)
    # Every paragraph of the text and its phụ lục (not the header, title, signature or notes): where
    # the tables and pictures the body holds are found.
    body_paras: list[Para] = field(default_factory=list)
    # Tables that lay out a header or a signature wherever they stand (a copy's own header block
    # under the copied text: issuing body, `Số:`, `SAO Y`, date): never tables of the text.
    layout_tables: set[int] = field(default_factory=set)
    captions: list["Caption"] = field(default_factory=list)  # of the text's tables and pictures
    text_tables: list[int] | None = field(default=None, repr=False)  # `body_tables`, once found
    cells: list[Found] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)
    recipients_label: Found | None = None
    more_labels: list[Found] = field(default_factory=list)
    recipients: list[Found] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    notes: list[Para] = field(default_factory=list)  # a model's `Ghi chú:` under the signature
    more_notes: list[Found] = field(default_factory=list)  # `(Kèm theo …)` under an attached text's title
    contact: list[Found] = field(default_factory=list)  # ô 13: address, e-mail, telephone under a full-width rule
    dated: bool = True  # False: a kind whose header has no date line (a biên bản dates its text)
    # Paragraphs the dispatch data has no field for (the importer lists them for a person to sort):
    # unplaced lines, and a decision's authority and action lines and phụ lục, which are also checked.
    other: list[Para] = field(default_factory=list)
    header_zone: list[Para] = field(default_factory=list)

    def elements(self):
        """Every located element with its profile element name."""
        for f in [self.national, self.motto, *self.parents, *self.issuers, self.number, self.date,
                  self.subject, self.urgency, self.doc_type, *self.summary, *self.addressees, *self.authority, self.action,
                  *self.body, *self.cells,
                  *(a for s in self.signers for a in s.authority),
                  *(s.name for s in self.signers), self.recipients_label, *self.more_labels, *self.recipients,
                  *self.more_notes, *self.contact, *(f for a in self.annexes for f in a.elements())]:
            if f is not None:
                yield f


def _content(paras: list[Para]) -> list[Para]:
    return [p for p in paras if not p.is_empty and not p.is_control]


def _rule_after(paras: list[Para], anchor: Para, also: list[Para] = ()) -> Rule:
    """The rule under `anchor`: drawn in it (or in `also`), or in one of the next paragraphs of its container."""
    for p in (anchor, *also):
        if p.drawing_twips:
            return Rule(p.drawing_twips, p)
    same = [p for p in paras if (p.table, p.row, p.col) == (anchor.table, anchor.row, anchor.col)]
    after = [p for p in same if p.index > anchor.index]
    for p in after[:3]:
        if RULE_TAG.match(p.text):
            return Rule(None, p, tag=True)
        if p.is_control:
            continue
        twips = p.rule_twips
        if twips:
            return Rule(twips, p)
        if not p.is_empty:
            break
    return Rule(None, None)


def _header(layout: Layout, profile: Profile) -> int:
    """Locate ô 1–4; return the index of the last paragraph of the header zone."""
    paras = layout.doc.paras
    head = paras[:80]
    nat_key = fold(profile.header("national_title"))
    motto_key = fold(profile.motto or "DOC LAP - TU DO - HANH PHUC")
    for p in head:
        for piece in p.pieces:
            k = fold(piece.text)
            if layout.national is None and (k == nat_key or ("CONG HOA" in k and "VIET NAM" in k and len(k) < 60)):
                layout.national = Found("national_title", p, [piece])
            elif layout.national is not None and layout.motto is None and (
                    k == motto_key or ("DOC LAP" in k and "HANH PHUC" in k)):
                layout.motto = Found("motto", p, [piece])
        if layout.motto:
            break

    anchor = layout.national.para if layout.national else None
    if anchor is None:
        first = next((p for p in head if not p.is_empty), None)
        if first is not None and first.table is not None:
            anchor = first
    if anchor is not None and anchor.table is not None:
        zone = [p for p in paras if p.table == anchor.table]
        in_table = True
    else:
        # The zone ends at the first `Số:` line and the first short date line, whichever is later:
        # later lines with a date (căn cứ, a phụ lục's note) are not the header.
        firsts = [next((i for i, p in enumerate(head[:30]) if any(found(pc.text) for pc in p.pieces)), 0)
                  for found in (NUMBER_RE.match, lambda t: len(t) < 60 and DATE_RE.search(t))]
        limit = max(firsts)
        if layout.motto:
            limit = max(limit, paras.index(layout.motto.para))
        zone = head[: limit + 1] if (limit or layout.national) else []
        in_table = False
    layout.header_zone = zone
    if not zone:
        return -1

    def side(p: Para, piece: Piece) -> str:
        if in_table:
            return "left" if p.col == 0 else "right"
        if len(p.pieces) > 1:
            return "left" if piece is p.pieces[0] else "right"
        if layout.national and paras.index(p) < paras.index(layout.national.para):
            return "left"
        if DATE_RE.search(piece.text) or (layout.motto and p is layout.motto.para):
            return "right"
        return "left" if (p.props.align in (None, "left") or (p.props.left or 0) < 2000) else "right"

    taken = {id(f.pieces[0]) for f in (layout.national, layout.motto) if f}
    for p in zone:
        for piece in p.pieces:
            if id(piece) in taken:
                continue
            if layout.number is None and NUMBER_RE.match(piece.text):
                layout.number = Found("number", p, [piece])
                taken.add(id(piece))
            elif layout.date is None and DATE_RE.search(piece.text) and side(p, piece) == "right":
                layout.date = Found("date_line", p, [piece])
                taken.add(id(piece))
            elif layout.subject is None and SUBJECT_RE.match(piece.text):
                layout.subject = Found("subject_line", p, [piece])
                taken.add(id(piece))
            elif layout.urgency is None and URGENCY_RE.match(piece.text.strip()):
                layout.urgency = Found("urgency", p, [piece])
                taken.add(id(piece))
    nat_row = layout.national.para.row if (in_table and layout.national) else None
    if in_table:
        later = [p for p in zone if nat_row is None or (p.row or 0) > nat_row]
        for p in _content(later):
            if RULE_TAG.match(p.text):
                continue
            if layout.number is None and p.col == 0 and p.has_tags:
                layout.number = Found("number", p, p.pieces)
                taken.add(id(p.pieces[0]))
            elif layout.date is None and p.col != 0 and p.has_tags:
                layout.date = Found("date_line", p, p.pieces)
                taken.add(id(p.pieces[0]))

    stop = layout.number.para.index if layout.number else None
    issuer_pieces: list[tuple[Para, Piece]] = []
    for p in zone:
        if stop is not None and p.index >= stop and not (in_table and p.row == (nat_row or 0) and p.col == 0):
            break
        if in_table and nat_row is not None and p.row != nat_row:
            continue
        if p.is_control or RULE_TAG.match(p.text) or p.rule_twips:
            continue
        for piece in p.pieces:
            if id(piece) in taken or side(p, piece) != "left" or set(piece.text) <= set("*-_ "):
                continue
            issuer_pieces.append((p, piece))
    for p in zone:  # the mark closing the issuing body's block: `*` (Party), `***` (Đoàn)
        for piece in p.pieces:
            if layout.issuer_mark is None and piece.text.strip() and set(piece.text) <= set("* ") \
                    and side(p, piece) == "left":
                layout.issuer_mark = Found("issuer_mark", p, [piece])
    # The last line names an issuing body; the first is the chủ quản when it is regular; a regular
    # line between two bold ones is the chủ quản of a second body. Weight decides nothing else, so
    # an issuing body typed without bold is reported rather than taken for a chủ quản.
    bold = [all(r.bold for r in pc.runs if r.text.strip()) for _, pc in issuer_pieces]
    for i, (p, piece) in enumerate(issuer_pieces):
        last = i == len(issuer_pieces) - 1
        parent = not last and not bold[i] and (i == 0 or (bold[i - 1] and bold[i + 1])
                                               or (issuer_pieces[i - 1][0] is p and not bold[i - 1]
                                                   and bool(layout.parents) and layout.parents[-1].para is p))
        # (a chủ quản's name broken over lines: its second line sits in the same regular paragraph)
        layout.__dict__["parents" if parent else "issuers"].append(
            Found("parent_body" if parent else "issuing_body", p, [piece]))
    if layout.issuers:
        last = layout.issuers[-1].para
        layout.issuer_rule = _rule_after(zone, last, [f.para for f in layout.issuers])
    if layout.national and profile.national_rule is not None:
        layout.national_rule = _underline_or_rule(zone, layout.national)
    if layout.motto:
        mp = layout.motto
        runs = mp.runs
        if runs and all(r.underline for r in runs):
            width = text_width_pt(mp.text, runs[0].size or 13, bold=runs[0].bold) * 20
            layout.motto_rule = Rule(round(width), mp.para)
        else:
            layout.motto_rule = _rule_after(zone, mp.para)
    return max(paras.index(p) for p in zone)


def _underline_or_rule(zone: list[Para], found: Found) -> Rule:
    """The rule under a header line: its text underlined (typed documents), or a drawn rule."""
    runs = found.runs
    if runs and all(r.underline for r in runs):
        return Rule(round(text_width_pt(found.text, runs[0].size or 13, bold=runs[0].bold) * 20), found.para)
    return _rule_after(zone, found.para)


def _signature_tables(doc: DocxDoc, skip: set) -> set:
    tables = set()
    for p in doc.paras:
        if p.table is None or p.table in skip:
            continue
        if any(LABEL_RE.match(pc.text) or is_authority(pc.text) for pc in p.pieces):
            tables.add(p.table)
    # A signer signing directly (`TRƯỞNG PHÒNG`, a biên bản's `THƯ KÝ` / `CHỦ TỌA`) with no Nơi nhận
    # beside it: a cell whose lines are a centred upper-case position, then a bold name.
    cells: dict[tuple, list[Para]] = {}
    for p in doc.paras:
        if p.table is not None and p.table not in skip and p.table not in tables and not p.is_empty and not p.is_control:
            cells.setdefault((p.table, p.row, p.col), []).append(p)
    for (table, _, _), lines in cells.items():
        if (len(lines) >= 2 and is_upper(lines[0].clean) and lines[0].props.align == "center"
                and not is_upper(lines[-1].clean) and _mostly(lines[-1], "bold")):
            tables.add(table)
    return tables


def _title(layout: Layout, paras: list[Para]) -> int:
    """Locate ô 5a (tên loại, trích yếu, rule); return the position after the title block."""
    i = 0
    while i < len(paras) and (paras[i].is_empty or paras[i].is_control) and not paras[i].rule_twips:
        i += 1
    if i >= len(paras):
        return i
    p = paras[i]
    text = p.clean
    if (p.table is not None or text.startswith("Kính gửi") or ROMAN_HEAD.match(text)
            or text.startswith("Căn cứ") or LABEL_RE.match(text) or AUTHORITY_RE.match(text)):
        return i
    if not (is_upper(text) or p.props.align == "center" or p.has_tags):
        return i
    layout.doc_type = Found("doc_type", p, p.pieces)
    last = p
    j = i + 1
    while j < len(paras):
        q = paras[j]
        if RULE_TAG.match(q.text) or q.rule_twips or q.is_empty:
            break
        if q.is_control:
            j += 1
            continue
        if q.table is not None or ROMAN_HEAD.match(q.clean) or q.clean.startswith("Căn cứ"):
            break
        if not (q.props.align == "center" or q.has_tags):
            break
        if layout.summary and not q.has_tags and is_upper(q.clean) and not is_upper(layout.summary[-1].text):
            break  # an upper-case line after the sentence-case trích yếu: a decision's authority line
        layout.summary.append(Found("summary", q, q.pieces))
        last = q
        j += 1
    layout.title_rule = _rule_after(paras, last, [f.para for f in [layout.doc_type, *layout.summary]])
    if layout.title_rule.para is not None:
        j = max(j, paras.index(layout.title_rule.para) + 1)
    return j


def _tag_only(p: Para) -> bool:
    return p.has_tags and not literal(p.clean).strip()


def _mostly(p: Para, attr: str) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(getattr(r, attr) for r in runs)


def _body_role(p: Para, in_basis: bool = False, after_division: bool = False, preamble: bool = True) -> str | None:
    """The element a body paragraph is; `in_basis`: it follows căn cứ lines (`Theo đề nghị …` closes them);
    `after_division`: it follows a `Chương I` line, so an upper-case line is that chương's title;
    `preamble`: no text but căn cứ lines before it (later, `Căn cứ …` opens a sentence of the text)."""
    text = p.clean
    if p.pieces and DIVISION_RE.match(p.pieces[0].text.strip()):
        return "division"
    if after_division and is_upper(text) and not ROMAN_HEAD.match(text):
        return "division_title"
    if _tag_only(p):
        # A template paragraph is known by its tag and its own formatting.
        if "article" in text:
            return "article"
        if any(tag in text for tag in ("b.center", "b.caption", "annex.", "telegram", "opening_centred")):
            return None  # a centred Chương / Mục line, a caption, a phụ lục's own lines, a công điện's receivers
        if _mostly(p, "italic"):
            return "legal_basis"
        return "heading" if _mostly(p, "bold") else "body"
    if (preamble and BASIS_RE.match(text)) or (in_basis and BASIS_MORE_RE.match(text)):
        return "legal_basis"
    if in_basis and _mostly(p, "italic") and not ARTICLE_RE.match(text) and not DIVISION_RE.match(text):
        return "legal_basis"  # the preamble's last line: `Chính phủ ban hành Nghị định …`
    if in_basis and blanks.is_fill_line(p.plain) and not any(c.isalpha() for c in blanks.strip(p.plain)):
        return "legal_basis"  # a form's căn cứ line left blank (`\t.`)
    if p.props.align == "center" and _mostly(p, "italic") and not in_basis:
        return None  # a table's or picture's caption
    if p.props.align == "center" and text.rstrip().endswith(" điện:"):
        return None  # a công điện's `<sender> điện:` line (mẫu 1.6)
    if p.props.align == "center" and INTRODUCING_RE.search(text):
        return None  # a giấy giới thiệu's `<issuer> trân trọng giới thiệu:` line, centred (mẫu 1.8)
    if ROMAN_HEAD.match(text) or PART_HEAD.match(text):
        return "heading"
    if ARTICLE_RE.match(text):
        return "article"
    if is_upper(text) and len(text) < 40 and p.props.align == "center":
        return None  # an upper-case line that is neither a Mục nor the authority: left unplaced
    return "body"


def _is_action(p: Para) -> bool:
    """The action line of a decision or resolution: `QUYẾT ĐỊNH:`, `QUYẾT NGHỊ:`."""
    text = p.clean
    if p.table is None and _tag_only(p) and re.fullmatch(r"\{\{\s*action\s*\}\}", text.strip()):
        return True  # the template's action line
    return (p.table is None and text.endswith(":") and is_upper(text) and len(text.split()) <= 4
            and not ROMAN_HEAD.match(text) and not PART_HEAD.match(text))


def _is_issuing_authority(p: Para, nxt: Para | None) -> bool:
    """Ô 5, thẩm quyền ban hành: a centred line between the title and the căn cứ, upper case (or a lone
    tag); typed in mixed case, it is still known by what follows it (căn cứ, `QUYẾT ĐỊNH:`)."""
    text = p.clean
    if p.table is not None or p.props.align != "center" or _is_action(p):
        return False
    if ROMAN_HEAD.match(text) or PART_HEAD.match(text) or _is_annex_heading(p):
        return False
    if _tag_only(p) and "telegram" in text:
        return False  # a công điện's `<sender> điện:` line
    if _tag_only(p) or is_upper(text):
        return True
    return nxt is not None and (bool(BASIS_RE.match(nxt.clean)) or _is_action(nxt))


def _is_annex_heading(p: Para) -> bool:
    """`Phụ lục I` on a line of its own (the title may follow it after a line break)."""
    return p.table is None and bool(p.pieces) and bool(ANNEX_FOLD.match(fold(blanks.strip(p.pieces[0].plain))))


def _is_note(p: Para) -> bool:
    """The note under a phụ lục title: `(Kèm theo Quyết định số …)`, or an italic tag in a template."""
    return bool(NOTE_RE.match(p.clean)) or (_tag_only(p) and _mostly(p, "italic"))


def _starts_signature(p: Para, sig_tables: set) -> bool:
    if p.table is not None:
        return p.table in sig_tables
    return bool(p.pieces) and bool(LABEL_RE.match(p.pieces[0].text) or is_authority(p.pieces[0].text)
                                    or any(AUTHORITY_RE.match(pc.text) for pc in p.pieces[1:]))


def _annex_start(seq: list[Para], sig_at: int) -> int:
    """Where the phụ lục begin: a `Phụ lục` heading, or the first line of a new section after the signature."""
    sig_section = seq[sig_at].section if sig_at < len(seq) else None
    for k, p in enumerate(seq):
        if _is_annex_heading(p):
            return k
        if (sig_section is not None and k > sig_at and p.section > sig_section
                and not p.is_empty and not p.is_control):
            return k
    return len(seq)


def _annexes(layout: Layout, paras: list[Para]) -> None:
    """Map each phụ lục: heading, UPPER title lines, the `(Kèm theo …)` note, then its text and tables."""
    parts: list[list[Para]] = []
    for p in paras:
        if not parts or (_is_annex_heading(p) and _content(parts[-1])):
            parts.append([])
        parts[-1].append(p)
    position = {id(p): i for i, p in enumerate(layout.doc.paras)}
    for part in parts:
        content = _content(part)
        if not content:
            continue
        start = content[0]
        before = layout.doc.paras[:position[id(start)]]
        annex = Annex(start, next((q for q in reversed(before) if not q.is_empty and not q.is_control), None))

        def free(k: int) -> bool:
            return k < len(content) and content[k].table is None

        k = 0
        while k < len(content) and content[k].table is not None:
            k += 1  # a văn bản kèm theo repeats the issuing body and Quốc hiệu above its title
        start = content[k] if k < len(content) else start
        if free(k) and _is_annex_heading(start):
            annex.heading = Found("annex_heading", start, start.pieces[:1])
            if start.pieces[1:]:  # `Phụ lục I` <line break> `DANH SÁCH …`
                annex.title.append(Found("annex_title", start, start.pieces[1:]))
            k += 1
        elif free(k) and _tag_only(start) and start.props.align == "center":
            annex.heading = Found("annex_heading", start, start.pieces)
            k += 1
        while (free(k) and len(annex.title) < 3 and not _is_note(content[k])
               and not content[k].clean.startswith("(")
               and (content[k].props.align == "center" or is_upper(content[k].clean))):
            # a văn bản kèm theo (no `Phụ lục` heading): its tên loại, then its trích yếu (mẫu 1.3)
            element = "annex_title" if annex.heading or is_upper(content[k].clean) else "summary"
            annex.title.append(Found(element, content[k], content[k].pieces))
            k += 1
        if free(k) and _is_note(content[k]):
            annex.note = Found("annex_note", content[k], content[k].pieces)
            k += 1
        elif free(k) and content[k].clean.startswith("(") and ")" not in content[k].clean:
            # `(Kèm theo Nghị định số …` / `ngày … của Chính phủ)`: the note over two lines
            note = Found("annex_note", content[k], list(content[k].pieces))
            k += 1
            while free(k) and k < len(content) and ")" not in note.text:
                note.pieces.extend(content[k].pieces)
                k += 1
            annex.note = note
        in_basis = False
        for p in content[k:]:
            if p.table is not None:
                annex.cells.append(Found("table", p, p.pieces))
                continue
            if p.rule_twips and not p.clean.strip("_ "):
                continue
            role = _body_role(p, in_basis, bool(annex.body) and annex.body[-1].role == "division",
                              all(f.role == "legal_basis" for f in annex.body))
            in_basis = role == "legal_basis"
            if role is not None:
                annex.body.append(Found(role, p, p.pieces))
        layout.other.extend(content)
        layout.annexes.append(annex)


def is_certificate(doc: DocxDoc, profile: Profile) -> bool:
    """A giấy khen / bằng khen: one of the profile's certificate titles on a line of its own, on a
    landscape page or without a Nơi nhận (an administrative document about an award has one)."""
    titles = {fold(t) for t in (profile.raw.get("certificate") or {}).get("titles", [])}
    if not titles or not any(fold(p.clean) in titles for p in doc.paras[:60] if not p.is_empty):
        return False
    sec = doc.sections[0] if doc.sections else None
    landscape = bool(sec and sec.width_twips and sec.height_twips and sec.width_twips > sec.height_twips)
    return landscape or not any(LABEL_RE.match(pc.text) for p in doc.paras for pc in p.pieces)


def _is_continuation(p: Para, pc: Piece) -> bool:
    """A recipient line wrapped by hand (`- Các bộ, cơ quan ngang bộ,` / `   cơ quan thuộc Chính phủ;`):
    indented with spaces, or starting in lower case."""
    raw = p.text
    first = pc.text.lstrip()[:1]
    return bool(first) and (raw[:1] in (" ", "\u00a0") or first.islower())


def _signature(layout: Layout, paras: list[Para], sig_tables: set) -> None:
    """The signature row: per column (a table column, or the left/right side of typed lines), the
    Nơi nhận label and its lines, or a signer: authority lines, the note left in the signature's
    space (`(Đã ký)`, `(Chữ ký của người có thẩm quyền, …)`), then one name. What follows the name,
    and tables after the signature row that hold neither (a contact line, `Xác nhận …`), is not
    part of the signature."""
    blocks: dict[tuple, list[tuple[Para, Piece, str]]] = {}
    seen_label = False
    for p in paras:
        if p.is_control or p.is_empty:
            continue
        if p.table is not None:
            if p.table not in sig_tables:
                layout.other.append(p)
                continue
            key = (p.table, p.col)
            for pc in p.pieces:
                blocks.setdefault(key, []).append((p, pc, "cell"))
        else:
            for k, pc in enumerate(p.pieces):
                if len(p.pieces) > 1:
                    col = "left" if k == 0 else "right"
                elif LABEL_RE.match(pc.text) or DASH_RE.match(pc.text) or (seen_label and not is_authority(pc.text)):
                    col = "left"
                elif (p.props.left or 0) >= 2000 or p.props.align in ("center", "right"):
                    col = "right"
                else:
                    col = "left" if not is_authority(pc.text) and not is_upper(pc.text) else "right"
                seen_label = seen_label or (col == "left" and bool(LABEL_RE.match(pc.text)))
                blocks.setdefault(("free", col), []).append((p, pc, col))
    for key, items in blocks.items():
        signer_items: list[tuple[Para, Piece]] = []
        state = "signer" if key[-1] != "left" else "recipients"
        in_note = False
        for p, pc, _ in items:
            text = pc.text
            if LABEL_RE.match(text):
                found = Found("recipients_label", p, [pc])
                if layout.recipients_label is None:
                    layout.recipients_label = found
                else:
                    layout.more_labels.append(found)
                state = "recipients"
                continue
            if state == "signer":
                if in_note or SIGN_NOTE_OPEN.match(text):
                    in_note = ")" not in text
                    continue
                signer_items.append((p, pc))
                if key[0] == "free" and not JINJA.search(text) and not is_upper(text) \
                        and not AUTHORITY_LOOSE.match(text.upper()):
                    state = "after"  # typed lines: the name ends the signer (a table cell ends itself)
            elif state == "recipients":
                if DASH_RE.match(text) or JINJA.search(text) or DRAFTER_RE.match(text):
                    layout.recipients.append(Found("recipient", p, [pc]))
                elif layout.recipients and _is_continuation(p, pc):
                    layout.recipients[-1].pieces.append(pc)
                else:
                    state = "after"
                    layout.other.append(p)
            else:
                layout.other.append(p)
        if not signer_items:
            continue
        signer = Signer(side="left" if key[-1] in (0, "left") else "right")
        *auth, last = signer_items
        if is_upper(last[1].text) and not JINJA.search(last[1].text):
            auth, last = signer_items, None
        signer.authority = [Found("signer_authority", p, [pc]) for p, pc in auth]
        signer.name = Found("signer_name", last[0], [last[1]]) if last else None
        layout.signers.append(signer)


REGISTER_TITLE = re.compile(r"^SO DANG KY VAN BAN (DI|DEN)$")


def is_register(doc: DocxDoc) -> bool:
    """A sổ đăng ký văn bản (Phụ lục IV): its title on a line of its own, then a table."""
    return any(REGISTER_TITLE.match(fold(p.clean)) for p in doc.paras[:60] if p.table is None) \
        and any(p.table is not None for p in doc.paras)


def register_numbering(doc: DocxDoc) -> list[str]:
    """The column-number row of the register's table (`(1)`, `(2)`, …): the row under the titles."""
    cells: dict[int, str] = {}
    first = next((p.table for p in doc.paras if p.table is not None), None)
    for p in doc.paras:
        if p.table == first and p.row == 1 and p.col is not None:
            cells[p.col] = (cells.get(p.col, "") + p.clean).strip()
    return [cells[c] for c in sorted(cells)]


def locate(doc: DocxDoc, profile: Profile, kind: str = "document") -> Layout:
    """Map the paragraphs of `doc` to the elements of Phụ lục I (`kind` "annex": `doc` is a phụ lục)."""
    layout = Layout(doc)
    if kind == "annex":
        layout.kind = "annex"
        _annexes(layout, doc.paras)
        layout.body_paras = list(doc.paras)
        _place_captions(layout)
        return layout
    if is_register(doc):
        layout.kind = "register"
        layout.other = _content(doc.paras)
        return layout
    if is_certificate(doc, profile):
        layout.kind = "certificate"
        layout.other = _content(doc.paras)
        return layout
    end = _header(layout, profile)
    zone_tables = {p.table for p in layout.header_zone if p.table is not None}
    rest = [p for p in doc.paras[end + 1:] if p.table is None or p.table not in zone_tables]
    after_title = _title(layout, rest)
    attached = next((f for f in layout.summary if ATTACHED_NOTE.match(f.text)), None)
    if attached is not None and layout.number is None:
        layout.kind = "attached"
        layout.summary.remove(attached)
        layout.more_notes.append(Found("annex_note", attached.para, attached.pieces))
    undated = {fold(k) for k in profile.raw.get("undated_kinds") or ()}
    if layout.doc_type is not None and fold(layout.doc_type.plain) in undated:
        layout.dated = False
    sig_tables = _signature_tables(doc, zone_tables)
    seq = rest[after_title:]
    sig_at = next((k for k, p in enumerate(seq) if _starts_signature(p, sig_tables)), len(seq))
    annex_at = _annex_start(seq, sig_at)
    notes_at = next((k for k in range(sig_at, annex_at) if NOTES_RE.match(seq[k].clean)), annex_at)
    body, tail = seq[:min(sig_at, annex_at)], seq[sig_at:notes_at]
    layout.notes = _content(seq[notes_at:annex_at])
    in_addressees = False
    lead, in_basis = True, False  # lead: nothing of the body met yet (the authority line sits there)
    content = _content(body)
    following = {id(a): b for a, b in zip(content, content[1:])}
    for p in body:
        if p.table is not None:
            layout.body_tables.append(p)
            if not p.is_empty and not p.is_control:
                layout.cells.append(Found("table", p, p.pieces))
            lead = False
            continue
        if p.is_empty:
            in_addressees = False
            continue
        if p.is_control:
            continue
        text = p.clean
        # Kính gửi (ô 9a): one line, or `Kính gửi:` then one `- …;` line per addressee.
        if ADDRESSEE_RE.match(text) or (p.has_tags and "addressee" in text) or (
                in_addressees and (DASH_RE.match(text) or (p.has_tags and not literal(text).strip()))):
            in_addressees = in_addressees or bool(re.fullmatch(r"Kính gửi\s*:?", text))
            layout.addressees.append(Found("addressee", p, p.pieces))
            lead = False
            continue
        in_addressees = False
        if lead and _is_issuing_authority(p, following.get(id(p))):
            layout.authority.append(Found("authority", p, p.pieces))
            layout.other.append(p)
            continue
        lead = False
        if layout.action is None and _is_action(p) and (in_basis or layout.authority or p.props.align == "center"):
            layout.action = Found("action", p, p.pieces)
            layout.other.append(p)
            in_basis = False
            continue
        role = _body_role(p, in_basis, bool(layout.body) and layout.body[-1].role == "division",
                          all(f.role == "legal_basis" for f in layout.body))
        in_basis = role == "legal_basis"
        if role is None:
            layout.other.append(p)
        else:
            layout.body.append(Found(role, p, p.pieces))
    _lone_basis_is_text(layout)
    _signature(layout, tail, sig_tables)
    _contact(layout, tail)
    _annexes(layout, seq[annex_at:])
    layout.body_paras = [p for p in [*body, *seq[annex_at:]] if p.table is None or p.table not in sig_tables]
    layout.layout_tables = zone_tables | sig_tables | _header_tables(doc, profile)
    _place_captions(layout)
    return layout


def _contact(layout: Layout, tail: list[Para]) -> None:
    """Ô 13 (Phụ lục I, III.4): the lines typed under an empty paragraph ruled across the text (its
    bottom border) after the signature: the issuing body's address, e-mail, telephone."""
    rule = next((k for k, p in enumerate(tail) if p.table is None and p.is_empty and p.props.bottom_border), None)
    if rule is None:
        return
    other = {id(p) for p in layout.other}
    for p in tail[rule + 1:]:
        if p.is_control:
            continue
        if p.table is not None or p.is_empty or id(p) not in other:
            break
        layout.contact.append(Found("contact", p, p.pieces))
        layout.other.remove(p)


def _lone_basis_is_text(layout: Layout) -> None:
    """One `Căn cứ …, Ban Chấp hành … xây dựng kế hoạch như sau.` sentence, upright, with no other
    căn cứ line and no action line, opens the text: it is running text, not the căn cứ part
    (the punctuation rule reads it the same way)."""
    basis = [k for k, f in enumerate(layout.body) if f.role == "legal_basis"]
    if len(basis) == 1 and layout.action is None and not layout.authority:
        found = layout.body[basis[0]]
        if not _tag_only(found.para) and not _mostly(found.para, "italic"):
            found.role = "body"


SYMBOL_LINE = re.compile(r"^S[ốỐ]\s*:?\s*[\d.…_ ]*/\s*\S")  # `Số: 01/TrS-UBND`, `Số: …/SY-…`


def _header_tables(doc: DocxDoc, profile: Profile) -> set:
    """Tables holding a header's lines: the national title or Tiêu ngữ, or a `Số: N/KÝ-HIỆU` line."""
    keys = {fold(profile.header("national_title"))} | ({fold(profile.motto)} if profile.motto else set())
    longest = max(len(k) for k in keys) + 4
    return {p.table for p in doc.paras if p.table is not None
            and any(SYMBOL_LINE.match(pc.text) or (len(pc.text) <= longest and fold(pc.text) in keys) for pc in p.pieces)}


def body_tables(layout: Layout) -> list[int]:
    """The tables of the text and its phụ lục: not the header's or the signature's layout tables, nor
    a model's `Ghi chú:` box (the form's notes, not the document)."""
    if layout.text_tables is not None:
        return layout.text_tables
    numbers = {p.table for p in layout.body_tables} | {f.para.table for a in layout.annexes for f in a.cells}
    inside = {id(p) for p in layout.body_paras}
    cells: dict[int, list[Para]] = {}
    for p in layout.doc.paras:
        if p.table in numbers and p.table not in layout.layout_tables:
            cells.setdefault(p.table, []).append(p)
    out = []
    for n, paras in sorted(cells.items()):
        first = next((p for p in paras if not p.is_empty), None)
        if any(id(p) in inside for p in paras) and not (first is not None and NOTES_RE.match(first.clean)):
            out.append(n)
    layout.text_tables = out
    return out


def body_pictures(layout: Layout):
    """The pictures of the text and its phụ lục (a scanned signature or seal in the signature block,
    a logo in the header, are not): in a body paragraph or in a cell of a body table."""
    tables = set(body_tables(layout))
    inside = {id(p) for p in layout.body_paras}
    return [pic for pic in layout.doc.pictures
            if id(pic.para) in inside and (pic.para.table is None or pic.para.table in tables)]


# A caption's label: `Bảng 1. …`, `Biểu 2: …` (tables; offices often set them above), `Hình 1. …`,
# `Ảnh 2 - …`, `Sơ đồ 1`, `Biểu đồ 3` (pictures, under them).
CAPTION_LABEL = re.compile(r"^(Bảng|Biểu đồ|Biểu|Hình|Ảnh|Sơ đồ)\s+(\d+)(?=\s*[.:\-–]|\s*$)", re.I)
_TABLE_WORDS = ("bảng", "biểu")


@dataclass
class Caption:
    kind: str    # "table" or "picture"
    number: int  # the table's or the picture's number in the file (0-based, as the reader counts)
    para: Para


def _labelled(p: Para | None, kind: str) -> bool:
    m = CAPTION_LABEL.match(p.clean) if p is not None else None
    return bool(m) and (m.group(1).lower() in _TABLE_WORDS) == (kind == "table")


def _caption_like(p: Para | None) -> bool:
    """A short centred italic line (as the builder sets a caption), not a bracketed note."""
    return (p is not None and p.table is None and p.props.align == "center" and _mostly(p, "italic")
            and len(p.clean) <= 200 and not NOTE_RE.match(p.clean) and not CAPTION_LABEL.match(p.clean))


def find_captions(layout: Layout) -> list[Caption]:
    """The captions of the text's tables and pictures: the line under a table or picture that has a
    caption's label of its kind or is set as a caption, or a `Bảng N` line right above a table."""
    seq = [p for p in layout.body_paras if not p.is_control and not p.is_empty or p.pictures]
    spans: dict[int, list[int]] = {}
    for i, p in enumerate(seq):
        if p.table is not None:
            spans.setdefault(p.table, []).append(i)
    out: list[Caption] = []

    def free(i: int) -> Para | None:
        return seq[i] if 0 <= i < len(seq) and seq[i].table is None and not seq[i].pictures else None

    for n in body_tables(layout):
        table = layout.doc.table_info.get(n)
        if n not in spans or (table is not None and table.nested):
            continue
        after, before = free(max(spans[n]) + 1), free(min(spans[n]) - 1)
        if _labelled(after, "table") or _caption_like(after):
            out.append(Caption("table", n, after))
        elif _labelled(before, "table"):
            out.append(Caption("table", n, before))
    where = {id(p): i for i, p in enumerate(seq)}
    for pic in body_pictures(layout):
        if pic.para.table is not None or pic.para.clean or id(pic.para) not in where or pic is not pic.para.pictures[-1]:
            continue
        after = free(where[id(pic.para)] + 1)
        if _labelled(after, "picture") or _caption_like(after):
            out.append(Caption("picture", pic.number, after))
    out.sort(key=lambda c: c.para.index)
    return out


def _place_captions(layout: Layout) -> None:
    """Find the captions; one typed as a body line (`Hình 1. …`, justified) is a caption, not text."""
    layout.captions = find_captions(layout)
    taken = {id(c.para) for c in layout.captions}
    moved = [f.para for f in layout.body if id(f.para) in taken]
    layout.body = [f for f in layout.body if id(f.para) not in taken]
    for annex in layout.annexes:
        moved += [f.para for f in annex.body if id(f.para) in taken]
        annex.body = [f for f in annex.body if id(f.para) not in taken]
    layout.other.extend(p for p in moved if p not in layout.other)
