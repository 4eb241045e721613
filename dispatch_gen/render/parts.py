"""The parts a kind has of its own, as text the templates place: a biên bản's meeting lines, a
giấy mời's invitation, a giấy giới thiệu's introduction, a giấy nghỉ phép's leave, a công
điện's receivers, a phụ lục's heading and `(Kèm theo …)` line, and tables typed in data.

Wording follows the models of Phụ lục III (Nghị định 30/2020/NĐ-CP).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from markupsafe import Markup

from .. import vn
from ..model import Annex, Document, Table, TableCell
from ..profile import Profile
from . import ooxml as ox
from .body import BodyWriter, Counter, section_entries
from .richtext import runs


def text_date(d: dt.date) -> str:
    """A date in running text, as the header writes it: `ngày 05 tháng 3 năm 2025`."""
    return f"ngày {vn.day_str(d.day)} tháng {vn.month_str(d.month)} năm {d.year}"


CONFIRMING = "cơ quan (tổ chức) hoặc chính quyền địa phương nơi nghỉ phép"
"""Who confirms a giấy nghỉ phép when the data does not name them: model 1.10's own words."""


def confirmation_lines(doc: Document, x: Callable[[str], str]) -> dict[str, str] | None:
    """The Xác nhận block of a giấy nghỉ phép (mẫu 1.10), or None when the data has none."""
    if not doc.leave or doc.leave.confirmation is None:
        return None
    c = doc.leave.confirmation
    return {"title": f"Xác nhận của {x(c.by) if c.by else CONFIRMING}", "note": "(Chữ ký, dấu)",
            "name": x(c.name) if c.name else ""}


HONORIFICS = ("Ông", "Bà", "Đồng chí", "Anh", "Chị", "Thầy", "Cô")


def _honorific(person: str) -> str | None:
    """The form of address a name is typed with (`Bà Nguyễn Thị Hoa`), if any."""
    return next((h for h in HONORIFICS if person.startswith(h + " ")), None)


def person_line(person: str) -> str:
    """`Ông (bà): Nguyễn Văn A.`, or the name as typed when it carries its own `Ông`/`Bà` (the
    form's `Ông (bà)` is where that word goes, never printed twice)."""
    return f"{person}." if _honorific(person) else f"Ông (bà): {person}."


def person_in_text(person: str) -> str:
    """`ông (bà) Nguyễn Văn A` inside a sentence, or `bà Nguyễn Thị Hoa` when typed with its own word."""
    h = _honorific(person)
    return f"{h.lower()}{person[len(h):]}" if h else f"ông (bà) {person}"


def issuers_phrase(doc: Document) -> str:
    """The issuing bodies in running text: `A`, `A và B`, `A, B và C` (a joint giấy mời names each)."""
    names = [" ".join(i.name.split()) for i in doc.issuers]  # a line break typed for the header is a space here
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


def centred_opening(doc: Document) -> str | None:
    """The opening line a model sets centred: a giấy giới thiệu's `… trân trọng giới thiệu:` (mẫu 1.8)."""
    if doc.introduction:
        return f"{issuers_phrase(doc)} trân trọng giới thiệu:"
    return None


def own_parts(doc: Document, x: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """Opening and closing paragraphs composed from the kind's own part (meeting, invitation …);
    a line the model centres is not among them (`centred_opening`)."""
    opening: list[str] = []
    closing: list[str] = []
    issuer = issuers_phrase(doc)
    if doc.meeting:
        m = doc.meeting
        opening.append(f"Thời gian bắt đầu: {x(m.start)}.")
        opening.append(f"Địa điểm: {x(m.place)}.")
        if len(m.participants) == 1:
            opening.append(f"Thành phần tham dự: {x(m.participants[0])}.")
        else:
            opening.append("Thành phần tham dự:")
            opening += [f"- {x(p)}{'.' if i == len(m.participants) - 1 else ';'}" for i, p in enumerate(m.participants)]
        opening.append(f"Chủ trì (chủ tọa): {x(m.chair)}.")
        opening.append(f"Thư ký (người ghi biên bản): {x(m.secretary)}.")
        opening.append("Nội dung (theo diễn biến cuộc họp):")
        if m.end:
            closing.append(f"Cuộc họp kết thúc vào {x(m.end)}.")
    if doc.invitation:
        i = doc.invitation
        opening.append(f"{issuer} trân trọng kính mời: {x(i.invitee)}.")
        opening.append(f"Tới dự {x(i.event)}.")
        if i.chair:
            opening.append(f"Chủ trì: {x(i.chair)}.")
        opening.append(f"Thời gian: {x(i.time)}.")
        opening.append(f"Địa điểm: {x(i.place)}.")
    if doc.introduction:
        i = doc.introduction
        opening.append(person_line(x(i.person)))
        if i.position:
            opening.append(f"Chức vụ: {x(i.position)}.")
        opening.append(f"Được cử đến: {x(i.to)}.")
        opening.append(f"Về việc: {x(i.about)}.")
        closing.append("Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên ở trên hoàn thành nhiệm vụ.")
        closing.append(f"Giấy này có giá trị đến hết {text_date(i.valid_until)}.")
    if doc.leave:
        lv = doc.leave
        opening.append(f"Xét Đơn đề nghị nghỉ phép {text_date(lv.request_date)} của {person_in_text(x(lv.person))}, "
                       f"{issuer} cấp cho:")
        opening.append(person_line(x(lv.person)))
        if lv.position:
            opening.append(f"Chức vụ: {x(lv.position)}.")
        if lv.unit:
            opening.append(f"Đơn vị công tác: {x(lv.unit)}.")
        opening.append(f"Được nghỉ phép trong thời gian {lv.days} ngày, kể từ {text_date(lv.start)} đến hết "
                       f"{text_date(lv.end)} tại {x(lv.place)}.")
        closing.append(f"Số ngày nghỉ phép nêu trên được tính vào thời gian {x(lv.counted_as)}.")
    return opening, closing


def telegram_lines(doc: Document, x: Callable[[str], str]) -> dict[str, Any] | None:
    """Công điện: `<sender> điện:` (the sender is the document's `authority`) and `- X;` lines."""
    if not doc.telegram_to:
        return None
    sender = x(doc.authority) if doc.authority else vn.upper(doc.lead.name)
    names = [x(t).rstrip(" ;.") for t in doc.telegram_to]
    return {"sender": f"{sender} điện:",
            "lines": [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]}


def _type_name(doc: Document) -> str:
    """`Quyết định`, `Kế hoạch` … from the tên loại; `Văn bản` for a công văn."""
    if not doc.title:
        return "Văn bản"
    t = doc.title.strip().lower()
    return t[:1].upper() + t[1:]


def annex_note(doc: Document, number_line: str) -> str:
    """`(Kèm theo Quyết định số 15/QĐ-UBND ngày 10 tháng 3 năm 2025 của Ủy ban nhân dân huyện …)`."""
    number = number_line.split(" ", 1)[1] if " " in number_line else number_line
    number = number.strip()
    when = text_date(doc.date) if doc.date else f"ngày{vn.BLANK}tháng{vn.BLANK}năm {doc.campaign_year}"
    issuer = " ".join(doc.lead.name.split())
    return f"(Kèm theo {_type_name(doc)} số {number} {when} của {issuer})"


def annex_context(doc: Document, profile: Profile, annex: Annex, x: Callable[[str], str], number_line: str,
                  image: Callable[[Any], Any] | None = None,
                  targets: Callable[[], list[str]] = list) -> dict[str, Any]:
    """A phụ lục's lines: its content, then its Mục (`I. TẬP THỂ` …), then its Điều; its pictures
    join the document's (`image`)."""
    from .context import _rule, closed

    writer = BodyWriter(doc.numbering, x, table=lambda t: body_table(profile, t), image=image)
    writer.blocks(annex.content, 1, (), None, Counter(), doc.numbering.restart)
    section_entries(annex.sections, writer, targets)
    writer.articles(annex.articles)
    if writer.out and writer.out[-1]["kind"] in ("body", "article"):
        last = writer.out[-1]
        last["text"] = last[last["kind"]] = closed(last["text"])
    title = x(annex.title)
    lines = ([(annex.heading, "annex_heading"), (vn.upper(title), "annex_title")] if annex.heading
             else [(vn.upper(annex.doc_type or ""), "doc_type"), (title, "summary")])
    header_total = ox.twips_mm(profile.header("table_width_mm"))
    left_col = round(header_total * profile.header_spec("left_width_pct").value / 100)
    issuers = [{"parent": vn.upper(i.parent) if i.parent else None, "name": vn.upper(i.header_name or i.name)}
               for i in doc.issuers]
    return {
        "heading": annex.heading,
        "doc_type": annex.doc_type or "",
        "title": title,
        "with_header": annex.with_header,
        "issuers": issuers,
        "issuer_rule": _rule(profile, [(i["name"], "issuing_body") for i in issuers], left_col),
        "note": x(annex.note) if annex.note else annex_note(doc, number_line),
        "rule": _rule(profile, lines, ox.text_width_twips(profile)),
        "body": writer.out,
    }


# --- pictures ------------------------------------------------------------------------------------

def image_file(doc: Document, path: str):
    """A picture's file: as typed when absolute, else beside the data file it was named in."""
    from pathlib import Path

    p = Path(path)
    base = getattr(doc, "_source_dir", None)
    return p if p.is_absolute() or base is None else Path(base) / p


def body_picture(doc: Document, profile: Profile, image, pictures: list) -> Markup:
    """A picture centred in the body at `width_cm`, its aspect kept, no wider and no taller than the
    text of the page (IMG-001 of `check`); its bytes join `pictures`."""
    from .image import image_size, inline_picture

    data = image_file(doc, image.path).read_bytes()
    w, h, ext = image_size(data)
    n = len(pictures) + 1
    rel_id, media = f"rIdBodyPicture{n}", f"body-picture-{n}.{ext}"
    pictures.append((rel_id, media, data))
    width = min(image.width_cm, ox.text_width_twips(profile) / 1440 * 2.54)
    tallest = ox.text_height_twips(profile) / 1440 * 2.54
    if w and width * h / w > tallest:  # a tall picture: as high as the page's text, its aspect kept
        width = tallest * w / h
    run = inline_picture(rel_id, width, width * h / w if w else width, 200 + n, f"Hình {n}", image.caption or "")
    return Markup(f"<w:p>{ox.ParaFormat(align='center', before_pt=6, after_pt=6, keep_next=True).xml()}{run}</w:p>")


# --- tables -------------------------------------------------------------------------------------

def _cell(value: Any) -> TableCell:
    if isinstance(value, TableCell):
        return value
    if isinstance(value, float):
        text = vn.format_number(value)
    elif isinstance(value, int):
        text = vn.format_number(value)
    else:
        text = str(value)
    return TableCell(text=text)


def body_table(profile: Profile, table: Table) -> Markup:
    """A bordered table: header row repeated on each page, rows, an optional bold total row."""
    total = ox.text_width_twips(profile)
    n = len(table.columns)
    if table.widths_cm:
        widths = [ox.twips_cm(w) for w in table.widths_cm]
        scale = total / sum(widths) if sum(widths) > total else 1
        widths = [round(w * scale) for w in widths]
    else:
        widths = [total // n] * n
        widths[-1] = total - sum(widths[:-1])
    size = table.font_pt or profile.element("table").size.value
    fmt = ox.RunFormat(profile.font, size)
    aligns = table.align or ["left"] * n

    def para(text: str, align: str, bold: bool) -> str:
        rf = fmt.with_(bold=bold)
        return f"<w:p>{ox.ParaFormat(align=align, before_pt=2, after_pt=2).xml(rf)}{runs(text, rf.xml())}</w:p>"

    def row(cells: list[TableCell], header: bool = False, bold: bool = False) -> str:
        out, col = "", 0
        for c in cells:
            w = sum(widths[col:col + c.span])
            align = "center" if header else (c.align or aligns[col])
            out += ox.cell(para(c.text, align, header or bold or c.bold), w, v_align="center", grid_span=c.span)
            col += c.span
        props = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        return f"<w:tr>{props}{out}</w:tr>"

    rows = row([TableCell(text=h) for h in table.columns], header=True)
    rows += "".join(row([_cell(v) for v in r]) for r in table.rows)
    if table.total is not None:
        rows += row([_cell(v) for v in table.total], bold=True)
    return Markup(ox.table(rows, widths, borders=True, cell_margin_twips=80))

