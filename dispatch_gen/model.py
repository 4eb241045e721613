"""The document data model: what a clerk writes in YAML, validated, with no I/O.

Text fields hold people's text: every string is normalised to NFC on the way in. Running text
may carry inline emphasis (`**bold**`, `*italic*`) and placeholders (`{year}`, `{previous_year}`,
`{anniversary:KEY}`) that keep year-bound phrases computable for next year's rollover.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .limits import MAX_CODE, MAX_ID

AUTHORITIES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
"""Decree 30's quyền hạn prefixes: the default; a profile lists its own (the Party's T/M, K/T …)."""
SLUG = r"^[a-z0-9][a-z0-9._-]*$"
CODE = r"^[^\s/\\:]+$"
"""A part of the ký hiệu (issuer code, type code, drafting unit): no spaces, '/', '\\' or ':'."""
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([A-Za-z0-9_-]+))?\}")
CopyKind = Literal["sao-y", "sao-luc", "trich-sao"]
COPY_MARKS = {"sao-y": "SAO Y", "sao-luc": "SAO LỤC", "trich-sao": "TRÍCH SAO"}
"""The forms of copy (Decree 30 art. 25, mẫu 3.1): the mark printed in the copy block …"""
COPY_TYPE_CODES = {"sao-y": "SY", "sao-luc": "SL", "trich-sao": "TrS"}
"""… and the type code of the copy's own ký hiệu (Phụ lục III's abbreviations)."""


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_nfc(v) for v in value]
    return value


def one_or_many(value: Any) -> Any:
    """A single paragraph may be typed as a string instead of a one-item list."""
    return [value] if isinstance(value, str) else value


def plain_recipients(value: Any) -> Any:
    """`- Lãnh đạo Cục` may be typed as a plain name instead of `{name: …}`."""
    if isinstance(value, list):
        return [{"name": r} if isinstance(r, str) else r for r in value]
    return value


def archive_units(value: Any) -> Any:
    """`archive: VT, VP, CĐC.` may be typed as one string instead of a list."""
    if isinstance(value, str):
        return [u.strip() for u in value.rstrip(".").split(",") if u.strip()]
    return value


class Model(BaseModel):
    """Base of every data class: unknown keys are errors, strings arrive in NFC."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        return _nfc(data)


class Issuer(Model):
    """An issuing body (cơ quan ban hành) and its managing body (cơ quan chủ quản)."""

    name: str = Field(min_length=1, description="full name, e.g. Cục Công Thương địa phương")
    code: str = Field(min_length=1, max_length=MAX_CODE, pattern=CODE,
                      description="abbreviation used in the ký hiệu, e.g. CTĐP")
    parent: str | None = Field(None, description="cơ quan chủ quản, e.g. Bộ Công Thương")
    header_name: str | None = Field(None, description="name as printed in the header, when it differs")


class Measure(Model):
    """How a target is measured at year end from the units' results."""

    of: Literal["collectives", "staff", "union_members"]
    titles: list[str] = Field(default_factory=list)
    activity: Literal["study"] | None = None

    @model_validator(mode="after")
    def _one_metric(self) -> "Measure":
        if not self.titles and not self.activity:
            raise ValueError("a measure needs `titles` or `activity`")
        return self


class SubTarget(Model):
    share: Decimal
    text: str = Field(min_length=1)
    measure: Measure | None = None

    @field_validator("share", mode="before")
    @classmethod
    def _share(cls, v: Any) -> Decimal:
        from .vn import parse_percent

        return parse_percent(v)


class Target(Model):
    """A target line (chỉ tiêu): `<share> <base> <text>`, optionally `, trong đó <share> <text>`.

    A target without a share is qualitative: its text is printed as written.
    """

    share: Decimal | None = None
    base: str | None = None
    text: str = Field(min_length=1)
    measure: Measure | None = None
    of_which: list[SubTarget] = Field(default_factory=list)

    @field_validator("share", mode="before")
    @classmethod
    def _share(cls, v: Any) -> Decimal | None:
        from .vn import parse_percent

        return None if v is None else parse_percent(v)


NumberStyle = Literal["roman", "arabic", "decimal", "letters", "dash", "plus", "star", "none"]
"""`I.`, `1.`, `5.2.` (the parent's number carried), `a)` (no f j w z), `-`, `+`, `*`, no label."""
Restart = Literal["section", "group", "continue"]
"""Where a list starts again from 1: in each section (or Điều), after each sub-head, or never."""


class Numbering(Model):
    """Labels chosen per level, and where the numbered items start again from 1.

    The defaults are Decree 30's usual body (`I.` Mục, `1.` khoản, `a)` điểm, `-` below).
    """

    sections: NumberStyle = "roman"
    items: NumberStyle = "arabic"
    points: NumberStyle = "letters"
    subpoints: NumberStyle = "dash"
    restart: Restart = Field("section", description="items: restart per section/Điều, per sub-head group, or continue")


class TableCell(Model):
    """A table cell written out when it needs more than its text: a span or an alignment."""

    text: str = ""
    span: int = Field(1, ge=1, le=20)
    align: Literal["left", "center", "right", "justify"] | None = None
    bold: bool = False


class Table(Model):
    """A table typed in data: a header row repeated on every page, rows, widths, a bold total row."""

    columns: list[str] = Field(min_length=1, max_length=20, description="the header row")
    widths_cm: list[float] | None = Field(None, description="column widths; the last takes what the text width leaves")
    align: list[Literal["left", "center", "right", "justify"]] | None = None
    rows: list[list[str | int | float | TableCell]] = Field(default_factory=list)
    total: list[str | int | float | TableCell] | None = Field(None, description="a bold last row, e.g. Tổng cộng")
    caption: str | None = None
    font_pt: float | None = Field(None, ge=8, le=14)

    @model_validator(mode="after")
    def _shape(self) -> "Table":
        width = len(self.columns)
        if self.widths_cm is not None:
            if len(self.widths_cm) != width:
                raise ValueError(f"`widths_cm` has {len(self.widths_cm)} values for {width} columns")
            if any(w <= 0 for w in self.widths_cm):
                raise ValueError("`widths_cm` values must be positive")
        if self.align is not None and len(self.align) != width:
            raise ValueError(f"`align` has {len(self.align)} values for {width} columns")
        for i, row in enumerate(self.rows):
            n = sum(c.span if isinstance(c, TableCell) else 1 for c in row)
            if n != width:
                raise ValueError(f"rows[{i}] has {n} cells for {width} columns (row {i + 1} of the table)")
        if self.total is not None:
            n = sum(c.span if isinstance(c, TableCell) else 1 for c in self.total)
            if n != width:
                raise ValueError(f"`total` has {n} cells for {width} columns")
        return self


class Image(Model):
    """A picture placed in the body: a PNG or JPEG file (relative to the data file), width, caption."""

    path: str = Field(min_length=1)
    width_cm: float = Field(12.0, gt=0, le=30)
    caption: str | None = None


BLOCK_KINDS = ("paragraph", "bullet", "plus", "subhead", "item", "table", "image")


class Block(Model):
    """One entry of a body written in order: a paragraph, a `-` or `+` line, a sub-head (`* Đối
    với học sinh:`, which starts a group), a numbered item (with its own content), a table or a picture.

    A plain string is a paragraph.
    """

    paragraph: str | None = None
    bullet: str | None = None
    plus: str | None = None
    subhead: str | None = None
    item: str | None = None
    table: Table | None = None
    image: Image | None = None
    content: list["Block"] = Field(default_factory=list, description="what goes under an item, in order")
    numbering: NumberStyle | None = Field(None, description="labels of the items in this item's content")

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, data: Any) -> Any:
        return {"paragraph": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_kind(self) -> "Block":
        kinds = [k for k in BLOCK_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"an entry holds exactly one of {', '.join(BLOCK_KINDS)} (found {', '.join(kinds) or 'none'})")
        if (self.content or self.numbering) and kinds[0] != "item":
            raise ValueError("`content` and `numbering` belong to an `item`")
        for k in ("paragraph", "bullet", "plus", "subhead", "item"):
            v = getattr(self, k)
            if v is not None and not v.strip():
                raise ValueError(f"`{k}` must not be empty")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in BLOCK_KINDS if getattr(self, k) is not None)


def _blocks(v: Any) -> Any:
    return [v] if isinstance(v, (str, dict)) else v


class Item(Model):
    """A numbered item (khoản) with optional dash lines, lettered points or the target list."""

    text: str = Field(min_length=1)
    paragraphs: list[str] = Field(default_factory=list, description="paragraphs under the item's first line")
    bullets: list[str] = Field(default_factory=list)
    points: list[str] = Field(default_factory=list)
    targets: bool = False
    content: list[Block] = Field(default_factory=list, description="entries under the item, in order, after the others")
    numbering: NumberStyle | None = Field(None, description="labels of the items in `content`")

    _content = field_validator("content", mode="before")(_blocks)


class Section(Model):
    """A Mục: `I. Mục đích:` followed by paragraphs, dash lines or the targets, and numbered items."""

    heading: str = Field(min_length=1)
    paragraphs: list[str] = Field(default_factory=list)
    bullets: list[str] = Field(default_factory=list, description="`- …` lines after the paragraphs")
    targets: bool = Field(False, description="print the target list here, before the items")
    items: list[Item] = Field(default_factory=list)
    numbering: NumberStyle | None = Field(None, description="labels of this section's items (default: the document's)")
    restart: Restart | None = Field(None, description="where this section's items start again (default: the document's)")
    content: list[Block] = Field(default_factory=list, description="entries in order: paragraphs, lines, sub-heads, items, tables, pictures")

    _content = field_validator("content", mode="before")(_blocks)

    @field_validator("items", mode="before")
    @classmethod
    def _plain_items(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"text": i} if isinstance(i, str) else i for i in v]
        return v


class Signer(Model):
    """A signature block: `KT. CỤC TRƯỞNG` / `PHÓ CỤC TRƯỞNG` / name."""

    issuer: str | None = Field(None, description="code of the issuing body this signer signs for")
    # Checked against the profile's `signature.authorities` in `consistency_problems`.
    authority: str | None = None
    for_: str | None = Field(None, alias="for", description="what the authority prefix applies to")
    then_authority: str | None = None
    then_for: str | None = None
    position: str = Field(min_length=1)
    name: str = Field(description="may be left empty until known: a gap `validate` warns about and `issue` refuses")
    note: str | None = Field(None, description="under the position, e.g. (Đã ký), (Đã ký và đóng dấu) in a copy")

    @model_validator(mode="after")
    def _pairs(self) -> "Signer":
        if self.authority and not self.for_:
            raise ValueError("`for` is needed with `authority` (e.g. authority: KT., for: CỤC TRƯỞNG)")
        if bool(self.then_authority) != bool(self.then_for):
            raise ValueError("`then_authority` and `then_for` go together")
        return self

    @property
    def authority_lines(self) -> list[str]:
        lines = []
        if self.authority:
            lines.append(f"{self.authority} {self.for_}")
        if self.then_authority:
            lines.append(f"{self.then_authority} {self.then_for}")
        return lines


class Recipient(Model):
    name: str = Field(min_length=1)
    purpose: str | None = Field(None, description="e.g. để b/c, để t/h, để p/h")


class Anniversary(Model):
    name: str | None = None
    founded: dt.date


class Document(Model):
    """A text document of the dispatch family (phát động, kế hoạch, báo cáo, thông báo …)."""

    id: str = Field(pattern=SLUG, max_length=MAX_ID, description="stable identity of the document across revisions")
    template: str = Field("phat-dong", pattern=SLUG, max_length=MAX_ID)
    profile: str = "decree30"
    type_code: str | None = Field(None, max_length=MAX_CODE, pattern=CODE,
                                  description="type abbreviation in the ký hiệu, e.g. PĐTĐ")
    issuers: list[Issuer] = Field(min_length=1)
    drafting_unit: str | None = Field(None, max_length=MAX_CODE, pattern=CODE,
                                      description="đơn vị soạn thảo appended to the ký hiệu, e.g. VX in UBND-VX")
    series: str | None = Field(None, max_length=MAX_CODE)
    number: int | None = Field(None, ge=1, le=99999, strict=True)
    place: str = Field(min_length=1)
    date: dt.date | None = None
    year: int | None = Field(None, ge=1945, le=2999, strict=True, description="campaign year; defaults to the date's year")
    title: str | None = Field(None, description="tên loại, e.g. PHÁT ĐỘNG PHONG TRÀO THI ĐUA; none for a công văn")
    subtitle: str | None = None
    subject: str | None = Field(None, description="trích yếu of a công văn, printed `V/v …` under the Số line")
    addressees: list[str] = Field(default_factory=list, description="Kính gửi: one or more recipients")
    urgency: Literal["KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"] | None = Field(None, description="ô 10b: mức độ khẩn")
    legal_basis: list[str] = Field(default_factory=list, description="căn cứ lines, italic, before the opening")
    opening: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    closing: list[str] = Field(default_factory=list)
    signers: list[Signer] = Field(default_factory=list, description="none: no signature block (validate warns)")
    lead_signs_on: Literal["left", "right"] | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    archive: list[str] = Field(default_factory=list, description="units of the `Lưu:` line, e.g. VT, VP, CĐC")
    numbering: Numbering = Field(default_factory=Numbering)
    authority: str | None = Field(None, description="ô 5: thẩm quyền ban hành under the title, e.g. CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN")
    proposal: str | None = Field(None, description="`Theo đề nghị của …`, after the căn cứ lines")
    action: str | None = Field(None, description="the centred action line, e.g. QUYẾT ĐỊNH:, QUYẾT NGHỊ: (default from the kind)")
    articles: list["Article"] = Field(default_factory=list, description="Điều (with khoản, điểm), Chương and Mục headings")
    annexes: list["Annex"] = Field(default_factory=list, description="phụ lục or văn bản kèm theo, each on its own pages")
    meeting: "Meeting | None" = None
    invitation: "Invitation | None" = None
    introduction: "Introduction | None" = None
    leave: "Leave | None" = None
    telegram_to: list[str] = Field(default_factory=list, description="công điện: who the điện goes to, `- X;` lines")
    copy_of: "CopyOf | None" = Field(None, description="a bản sao: the document copied and the form (sao-y, sao-luc, trich-sao)")
    anniversaries: dict[str, Anniversary] = Field(default_factory=dict)
    author: str | None = None
    drafter_mark: str | None = Field(None, description="ký hiệu người soạn thảo, số bản, e.g. PL.(300)")
    contact: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list,
                               description="ô 13: the issuing body's address, e-mail, website, telephone (one "
                                           "line or several), printed at the foot under a full-width rule")
    unsorted: list[str] = Field(default_factory=list, description="imported lines not yet placed; never printed")

    _paragraphs = field_validator("opening", "closing", "legal_basis", "contact", mode="before")(one_or_many)
    _recipients = field_validator("recipients", mode="before")(plain_recipients)
    _archive = field_validator("archive", mode="before")(archive_units)

    @model_validator(mode="before")
    @classmethod
    def _copy_type(cls, data: Any) -> Any:
        """A bản sao's ký hiệu carries SY, SL or TrS unless the data types its own."""
        if isinstance(data, dict) and isinstance(data.get("copy_of"), dict) and not data.get("type_code"):
            kind = data["copy_of"].get("kind", "sao-y")
            code = COPY_TYPE_CODES.get(kind)
            if code:
                data = {**data, "type_code": code}
        return data

    _source_dir: str | None = PrivateAttr(None)
    """The data file's folder, set by the loader: pictures are found beside the data."""

    @property
    def lead(self) -> Issuer:
        return self.issuers[0]

    @property
    def campaign_year(self) -> int:
        return self.year if self.year is not None else self.date.year  # type: ignore[union-attr]

    @property
    def number_series(self) -> str:
        """The number book series: set in data, else the lead issuing body's code."""
        return self.series or self.lead.code



class Article(Model):
    """A Điều of a decision or resolution (`article:`), or a Chương / Mục heading above them
    (`chapter:` or `part:` with its `title`), centred as Phụ lục I sets them."""

    article: str | None = Field(None, description="the Điều's text after `Điều N.`")
    chapter: str | None = Field(None, description="e.g. `Chương I` (its title on the next line, upper case)")
    part: str | None = Field(None, description="e.g. `Mục 1` (its title on the next line, bold)")
    title: str | None = None
    content: list[Block] = Field(default_factory=list, description="khoản (items) and điểm, paragraphs, tables")
    numbering: NumberStyle | None = Field(None, description="labels of this Điều's khoản (default arabic)")

    _content = field_validator("content", mode="before")(_blocks)

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, data: Any) -> Any:
        return {"article": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one(self) -> "Article":
        kinds = [k for k in ("article", "chapter", "part") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"an entry holds exactly one of article, chapter, part (found {', '.join(kinds) or 'none'})")
        if kinds[0] != "article" and not self.title:
            raise ValueError(f"a `{kinds[0]}` needs its `title`")
        if kinds[0] != "article" and self.content:
            raise ValueError("`content` belongs to an `article`")
        return self


class Annex(Model):
    """A phụ lục (mẫu 2.1) or a văn bản kèm theo a decision (mẫu 1.3), on pages of its own.

    Its `(Kèm theo … số …)` line is composed from the document's type, number, date and issuer.
    """

    heading: str | None = Field(None, description="e.g. `Phụ lục I`; none for a văn bản kèm theo")
    doc_type: str | None = Field(None, description="tên loại of a văn bản kèm theo, e.g. QUY CHẾ")
    title: str = Field(min_length=1)
    with_header: bool = Field(False, description="repeat the issuer and Quốc hiệu header (văn bản kèm theo)")
    note: str | None = Field(None, description="the `(Kèm theo …)` line as typed, instead of the composed one")
    content: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list, description="Mục I., II. … (`I. TẬP THỂ`, `II. CÁ NHÂN`), after `content`")
    articles: list[Article] = Field(default_factory=list)

    _content = field_validator("content", mode="before")(_blocks)


class CopyOf(Model):
    """What a bản sao copies (mẫu 3.1): the copied document — its data file (relative to this one)
    or, for `dispatch-gen copy`, its id in the number book — and the form of copy."""

    source: str = Field(min_length=1, description="the copied document: its data file, or its id in the book")
    kind: CopyKind = "sao-y"
    parts: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="trích sao: the parts copied, as printed: Điều 1, II, 5.2, Phụ lục I")
    rows: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="trích sao: the list rows copied, by a cell's text (e.g. a person's name)")

    _parts = field_validator("parts", "rows", mode="before")(one_or_many)
    _issued_as: str | None = PrivateAttr(None)
    """The copied document's Số and ký hiệu (`215/QĐ-UBND`), read from it when the copy is made."""

    @property
    def named(self) -> str:
        """The copied document as the register names it: its Số and ký hiệu, else its id or file."""
        return self._issued_as or self.source

    @model_validator(mode="after")
    def _excerpt(self) -> "CopyOf":
        for problem in excerpt_problems(self.kind, self.parts, self.rows):
            raise ValueError(problem)
        return self


def excerpt_problems(kind: str, parts: list[str], rows: list[str]) -> list[str]:
    """A trích sao names the part it copies; a sao y or sao lục copies the whole text."""
    if kind != "trich-sao" and (parts or rows):
        return [f"parts and rows choose what a trích sao copies; a {COPY_MARKS[kind].lower()} copies the whole "
                "text (use kind trich-sao)"]
    if kind == "trich-sao" and not parts and not rows:
        return ["a trích sao copies part of the text: name it with parts (e.g. Điều 1, II, 5.2, Phụ lục I) "
                "or rows (a name in the list)"]
    return []


class Meeting(Model):
    """Biên bản (mẫu 1.9): the meeting's time, place, people; its content is the body."""

    start: str = Field(min_length=1, description="e.g. 14 giờ 00, ngày 10 tháng 3 năm 2025")
    place: str = Field(min_length=1)
    participants: list[str] = Field(min_length=1)
    chair: str = Field(min_length=1)
    secretary: str = Field(min_length=1)
    end: str | None = Field(None, description="e.g. 16 giờ 30 cùng ngày")

    _participants = field_validator("participants", mode="before")(one_or_many)


class Invitation(Model):
    """Giấy mời (mẫu 1.7)."""

    invitee: str = Field(min_length=1, description="who is invited")
    event: str = Field(min_length=1, description="Tới dự …")
    chair: str | None = None
    time: str = Field(min_length=1)
    place: str = Field(min_length=1)


class Introduction(Model):
    """Giấy giới thiệu (mẫu 1.8)."""

    person: str = Field(min_length=1)
    position: str | None = None
    to: str = Field(min_length=1, description="Được cử đến: …")
    about: str = Field(min_length=1, description="Về việc: …")
    valid_until: dt.date


class Confirmation(Model):
    """The Xác nhận block of a giấy nghỉ phép (mẫu 1.10), signed where the leave is spent: by whom
    (default the model's own words) and, when known, the name of who signs it."""

    by: str | None = Field(None, min_length=1,
                           description="e.g. Ủy ban nhân dân xã Tề Lỗ (default: cơ quan (tổ chức) hoặc chính quyền …)")
    name: str | None = Field(None, min_length=1)


class Leave(Model):
    """Giấy nghỉ phép (mẫu 1.10)."""

    request_date: dt.date
    person: str = Field(min_length=1)
    position: str | None = None
    unit: str | None = None
    days: int = Field(ge=1, le=366)
    start: dt.date
    end: dt.date
    place: str = Field(min_length=1)
    counted_as: str = Field(min_length=1, description="e.g. nghỉ hằng năm có hưởng lương")
    confirmation: "Confirmation | None" = Field(
        None, description="the optional Xác nhận block under the signature (`true`, or `by` and `name`)")

    @field_validator("confirmation", mode="before")
    @classmethod
    def _confirmation(cls, value: Any) -> Any:
        if value is True:
            return {}
        if value is False:
            return None
        return value

    @model_validator(mode="after")
    def _order(self) -> "Leave":
        if self.end < self.start:
            raise ValueError("`end` is before `start`")
        return self


Document.model_rebuild()
Block.model_rebuild()


PLACEHOLDER_NAMES = ("year", "previous_year", "next_year", "anniversary")


def _block_texts(blocks: list[Block], loc: tuple):
    for i, b in enumerate(blocks):
        kind = b.kind
        if kind in ("paragraph", "bullet", "plus", "subhead", "item"):
            yield loc + (i, kind), getattr(b, kind)
        elif kind == "image" and b.image.caption:
            yield loc + (i, "image", "caption"), b.image.caption
        elif kind == "table":
            for ri, row in enumerate(b.table.rows):
                for ci, cell in enumerate(row):
                    if isinstance(cell, str):
                        yield loc + (i, "table", "rows", ri, ci), cell
        yield from _block_texts(b.content, loc + (i, "content"))


def _block_images(blocks: list[Block], loc: tuple):
    for i, b in enumerate(blocks):
        if b.image is not None:
            yield loc + (i, "image"), b.image
        yield from _block_images(b.content, loc + (i, "content"))


def images_of(doc: Document):
    """Every picture placed in the body, with its location (for the loader's file checks)."""
    for si, sec in enumerate(doc.sections):
        yield from _block_images(sec.content, ("sections", si, "content"))
        for ii, item in enumerate(sec.items):
            yield from _block_images(item.content, ("sections", si, "items", ii, "content"))
    for ai, a in enumerate(doc.articles):
        yield from _block_images(a.content, ("articles", ai, "content"))
    for xi, annex in enumerate(doc.annexes):
        yield from _block_images(annex.content, ("annexes", xi, "content"))
        for ai, a in enumerate(annex.articles):
            yield from _block_images(a.content, ("annexes", xi, "articles", ai, "content"))


def _article_texts(articles: list[Article], loc: tuple):
    for i, a in enumerate(articles):
        for key in ("article", "title"):
            if getattr(a, key):
                yield loc + (i, key), getattr(a, key)
        yield from _block_texts(a.content, loc + (i, "content"))


def _texts(doc: Document):
    """Every running-text field with its location, for checks that span the model."""
    for si, sec in enumerate(doc.sections):
        yield from _block_texts(sec.content, ("sections", si, "content"))
        for ii, item in enumerate(sec.items):
            yield from _block_texts(item.content, ("sections", si, "items", ii, "content"))
    yield from _article_texts(doc.articles, ("articles",))
    for ai, annex in enumerate(doc.annexes):
        yield ("annexes", ai, "title"), annex.title
        yield from _block_texts(annex.content, ("annexes", ai, "content"))
        yield from _article_texts(annex.articles, ("annexes", ai, "articles"))
    if doc.proposal:
        yield ("proposal",), doc.proposal
    if doc.subtitle:
        yield ("subtitle",), doc.subtitle
    if doc.subject:
        yield ("subject",), doc.subject
    for i, p in enumerate(doc.legal_basis):
        yield ("legal_basis", i), p
    for i, p in enumerate(doc.opening):
        yield ("opening", i), p
    for si, sec in enumerate(doc.sections):
        yield ("sections", si, "heading"), sec.heading
        for pi, p in enumerate(sec.paragraphs):
            yield ("sections", si, "paragraphs", pi), p
        for bi, b in enumerate(sec.bullets):
            yield ("sections", si, "bullets", bi), b
        for ii, item in enumerate(sec.items):
            yield ("sections", si, "items", ii, "text"), item.text
            for pi, p in enumerate(item.paragraphs):
                yield ("sections", si, "items", ii, "paragraphs", pi), p
            for bi, b in enumerate(item.bullets):
                yield ("sections", si, "items", ii, "bullets", bi), b
            for bi, b in enumerate(item.points):
                yield ("sections", si, "items", ii, "points", bi), b
    for ti, t in enumerate(doc.targets):
        yield ("targets", ti, "text"), t.text
        if t.base:
            yield ("targets", ti, "base"), t.base
        for oi, o in enumerate(t.of_which):
            yield ("targets", ti, "of_which", oi, "text"), o.text
    for i, p in enumerate(doc.closing):
        yield ("closing", i), p


def consistency_problems(doc: Document, authorities: tuple[str, ...] = AUTHORITIES,
                         needs_type: bool = False) -> list[tuple[tuple, str]]:
    """Checks across fields that a schema cannot express, each with the location it concerns.

    `authorities` are the profile's quyền hạn prefixes; `needs_type`: its ký hiệu always carries a
    type code (the Party's `Số 05-CV/ĐU` has one even for a công văn).
    """
    problems: list[tuple[tuple, str]] = []
    for idx, s in enumerate(doc.signers):
        for key in ("authority", "then_authority"):
            value = getattr(s, key)
            if value is not None and value not in authorities:
                problems.append((("signers", idx, key), f"{value!r} is not one of {', '.join(authorities)}"))
    if needs_type and not doc.type_code:
        problems.append((("type_code",), f"the {doc.profile} profile's ký hiệu needs a type code (e.g. KH, or CV for a công văn)"))
    if doc.date is None and doc.year is None:
        problems.append((("year",), "needed when `date` is empty (a draft has a year but no day)"))
    if doc.date is not None and doc.year is not None and abs(doc.year - doc.date.year) > 1:
        problems.append((("year",), f"{doc.year} is far from the year of the date {doc.date.isoformat()}"))
    if not doc.title and not doc.subject and not doc.copy_of:
        problems.append((("title",), "a document needs a `title` (tên loại), or a `subject` (V/v …) for a công văn"))
    if doc.subtitle and not doc.title:
        problems.append((("subtitle",), "a trích yếu goes under a `title`; a công văn uses `subject`"))
    codes = [i.code for i in doc.issuers]
    for idx, code in enumerate(codes):
        if code in codes[:idx]:
            problems.append((("issuers", idx, "code"), f"{code!r} is used by another issuer"))
    for idx, s in enumerate(doc.signers):
        if s.issuer is not None and s.issuer not in codes:
            problems.append((("signers", idx, "issuer"), f"{s.issuer!r} is not one of {', '.join(codes)}"))
    if doc.annexes and doc.template in ("phat-dong", "bao-cao", "quyet-dinh", "giay-khen", "cong-dien"):
        problems.append((("annexes",), f"the {doc.template} template places no phụ lục: use `template: van-ban` "
                                       "(or a decision's quyet-dinh-ca-biet)"))
    if len(doc.signers) > 2:
        problems.append((("signers",), "at most two signature blocks are supported"))
    if len(doc.signers) == 2 and len(doc.issuers) == 2:
        named = {s.issuer for s in doc.signers}
        if None in named or named != set(codes):
            problems.append((("signers",), "in a joint document each signer names its `issuer` (one per issuing body)"))
    places = sum(i.targets for sec in doc.sections for i in sec.items) + sum(sec.targets for sec in doc.sections)
    if doc.targets and not places:
        problems.append((("targets",), "given, but no section or item has `targets: true` to place them"))
    if places and not doc.targets:
        problems.append((("targets",), "a section or item has `targets: true` but the list is empty"))
    if doc.series is not None and doc.series not in codes:
        problems.append((("series",), f"{doc.series!r} is not the code of an issuer ({', '.join(codes)})"))
    for loc, text in _texts(doc):
        pieces = [piece for part in text.split("{{") for piece in part.split("}}")]
        stray = next((c for piece in pieces for c in PLACEHOLDER.sub("", piece) if c in "{}"), None)
        if stray:
            problems.append((loc, f"a lone `{stray}`: close the placeholder (`{{year}}` …), or type "
                                  f"`{stray * 2}` to print the brace itself"))
        for m in PLACEHOLDER.finditer(text):
            name, key = m.group(1), m.group(2)
            if name not in PLACEHOLDER_NAMES:
                problems.append((loc, f"unknown placeholder {m.group(0)} (known: {{year}}, {{previous_year}}, {{next_year}}, {{anniversary:KEY}})"))
            elif name == "anniversary" and key not in doc.anniversaries:
                known = ", ".join(doc.anniversaries) or "none defined"
                problems.append((loc, f"{m.group(0)}: no anniversary {key!r} under `anniversaries` ({known})"))
    return problems


REQUIRED_LABELS = {
    "signers": "no signer: Decree 30 requires the signer's position and name (ô 7)",
    "recipients": "no Nơi nhận: Decree 30 requires the recipients and the `Lưu:` line (ô 9b)",
    "authority": "no thẩm quyền ban hành under the title (ô 5): e.g. authority: CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …",
    "articles": "no Điều: a quyết định states its content in articles (`articles:`)",
    "meeting": "no `meeting:` (thời gian, địa điểm, thành phần, chủ trì, thư ký) for a biên bản",
    "invitation": "no `invitation:` (người được mời, nội dung, thời gian, địa điểm) for a giấy mời",
    "introduction": "no `introduction:` (người được giới thiệu, nơi đến, việc, thời hạn) for a giấy giới thiệu",
    "leave": "no `leave:` (người nghỉ, thời gian, nơi nghỉ) for a giấy nghỉ phép",
    "telegram_to": "no `telegram_to:` (cơ quan nhận điện) for a công điện",
}


def document_warnings(doc: Document, mixed_case_codes: tuple[str, ...] = (),
                      required: tuple[str, ...] = ()) -> list[tuple[tuple, str]]:
    """What is allowed but probably wrong, with its location: codes typed with lower-case
    letters (unless the profile lists them as written that way, like `TTg`), and elements the
    kind requires (`required`) that the data leaves out — never filled in with a placeholder."""
    warnings: list[tuple[tuple, str]] = []
    known = set(mixed_case_codes)
    codes = [(("type_code",), doc.type_code), (("drafting_unit",), doc.drafting_unit)]
    codes += [(("issuers", i, "code"), issuer.code) for i, issuer in enumerate(doc.issuers)]
    for loc, code in codes:
        if code and code not in known and any(c.islower() for c in code):
            warnings.append((loc, f"{code!r} has lower-case letters: a ký hiệu is written in capitals "
                                  f"(printed as typed; written this way only: {', '.join(sorted(known)) or 'none'})"))
    lead = doc.issuers[0].name if doc.issuers else ""
    if any(not a.note for a in doc.annexes) and lead == lead.upper() and any(c.isalpha() for c in lead):
        warnings.append((("issuers", 0, "name"),
                         f"{' '.join(lead.split())!r} is typed in capitals, and the phụ lục's `(Kèm theo … của …)` line "
                         "prints it as typed: type it as in a sentence (the header prints it in capitals anyway; "
                         "`header_name` sets the header's own lines)"))
    for key in required:
        value = getattr(doc, key, None)
        if key == "recipients":
            value = doc.recipients or doc.archive
        if not value:
            warnings.append(((key,), REQUIRED_LABELS.get(key, f"no `{key}`")))
    return warnings


def expand(text: str, year: int, anniversaries: dict[str, Anniversary]) -> str:
    """Resolve `{year}`, `{previous_year}`, `{next_year}` and `{anniversary:KEY}` for `year`.

    Unknown placeholders are left as typed (validation reports them); `{{` and `}}` give braces.
    """
    def sub(m: re.Match) -> str:
        name, key = m.group(1), m.group(2)
        if name == "year":
            return str(year)
        if name == "previous_year":
            return str(year - 1)
        if name == "next_year":
            return str(year + 1)
        if name == "anniversary" and key in anniversaries:
            founded = anniversaries[key].founded
            return str(year - founded.year)
        return m.group(0)

    return between_braces(text, lambda segment: PLACEHOLDER.sub(sub, segment), "{", "}")


def between_braces(text: str, fn, opening: str, closing: str) -> str:
    """Apply `fn` to the text between escaped braces (`{{`, `}}`), which become `opening` and
    `closing`: no stand-in character is used, so no character of the data can be mistaken for one."""
    return opening.join(closing.join(fn(piece) for piece in part.split("}}")) for part in text.split("{{"))
