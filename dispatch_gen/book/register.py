"""The Sổ đăng ký văn bản đi as Decree 30 Phụ lục IV (I) prints it: what each of its rows says.

One row per number of the series in the year, in order, from 01 to the last number used: issued
numbers with what the book recorded at issue (ký hiệu, date, tên loại và trích yếu, signer,
Nơi nhận, the Lưu line, số bản), voids and reserved numbers that were never used said so in
Ghi chú, and numbers the book never saw (issued by hand before the book) said so too. Columns
(8) Ngày chuyển and (9) Ký nhận stay blank for the văn thư's hand.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from .base import Entry

COLUMNS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
_COPIES = (re.compile(r"\((\d+)\)"), re.compile(r"\.(\d+)\s*$"))


def copies_of(drafter_mark: str | None) -> int | None:
    """Số bản from the drafter's mark: `PL.(300)` or `TH.15` (Decree 30, ô 14) → 300, 15."""
    if not drafter_mark:
        return None
    for pattern in _COPIES:
        match = pattern.search(drafter_mark)
        if match:
            return int(match.group(1))
    return None


@dataclass(frozen=True)
class Cover:
    """The cover and first page: Năm, Từ ngày … đến ngày, Từ số … đến số, Quyển số."""

    parent: str
    agency: str
    year: int
    series: str
    first_date: str
    last_date: str
    first_number: str
    last_number: str
    volume: str


def _date(iso: str | None) -> str:
    return _dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def row_of(entry: Entry) -> tuple[str, ...]:
    """The 10 cells of one number."""
    number = f"{entry.number:02d}"
    if entry.status == "void":
        return (number, "", "", "", "", "", "", "", "", f"Số không sử dụng (đã hủy): {entry.note or ''}".rstrip(": "))
    if entry.status == "reserved":
        note = "Số giữ trước, chưa sử dụng" + (f": {entry.note}" if entry.note else "")
        return (number, "", "", "", "", "", "", "", "", note)
    reg = entry.register or {}
    signers = "; ".join(" ".join(p for p in (s.get("name"), f"({s['position']})" if s.get("position") else "") if p)
                        for s in reg.get("signers", []))
    recipients = "; ".join(reg.get("recipients", []))
    archive = ", ".join(reg.get("archive", []))
    copies = reg.get("copies")
    return (
        f"{number}/{entry.symbol}" if entry.symbol else number,
        _date(entry.date),
        entry.title or "",
        signers,
        recipients,
        f"Lưu: {archive}" if archive else "",
        str(copies) if copies else "",
        "",
        "",
        "" if entry.register else "Số đăng ký trước khi sổ ghi người ký, nơi nhận",
    )


def register_rows(entries: list[Entry], *, year: int, series: str) -> list[tuple[str, ...]]:
    """Every number from 01 to the last one of the series in the year, in order."""
    by_number = {e.number: e for e in entries if e.year == year and e.series == series}
    if not by_number:
        return []
    rows = []
    for n in range(1, max(by_number) + 1):
        entry = by_number.get(n)
        if entry is None:
            rows.append((f"{n:02d}", "", "", "", "", "", "", "", "", "Không có trong sổ (cấp ngoài sổ)"))
        else:
            rows.append(row_of(entry))
    return rows


def cover_of(entries: list[Entry], *, year: int, series: str, volume: int = 1) -> Cover:
    mine = [e for e in entries if e.year == year and e.series == series]
    issuer = next((e.register.get("issuer") for e in mine if e.register and e.register.get("issuer")), None) or {}
    dates = sorted(e.date for e in mine if e.date)
    numbers = [e.number for e in mine]
    blank = "…………"
    return Cover(
        parent=issuer.get("parent") or "",
        agency=issuer.get("name") or blank,
        year=year,
        series=series,
        first_date=_date(dates[0]) if dates else blank,
        last_date=_date(dates[-1]) if dates else blank,
        first_number="01" if numbers else blank,
        last_number=f"{max(numbers):02d}" if numbers else blank,
        volume=f"{volume:02d}",
    )


def register_info(document) -> dict:
    """What the register needs from a document at issue, beyond number, ký hiệu, date and title."""
    lead = document.lead
    return {
        "issuer": {"parent": lead.parent or "", "name": lead.header_name or lead.name},
        "signers": [{"name": s.name, "position": s.position} for s in document.signers],
        "recipients": [f"{r.name} ({r.purpose})" if r.purpose else r.name for r in document.recipients],
        "archive": list(document.archive),
        "copies": copies_of(document.drafter_mark),
    }
