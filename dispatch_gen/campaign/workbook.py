"""The Excel workbook units fill in and send back: its layout, the blank template, and filling it.

One layout (sheets, columns, header texts) serves the writer and the reader (`workbook_reader.py`),
so the two cannot drift. Dropdowns list the legal titles (from `titles.py`) and the unit names
(from the units sheet, so names a unit adds itself are offered too). The saved file is
reproducible: fixed zip timestamps and document dates, so the sample can be checked in and
compared with what the code makes.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import vn
from ..model import Document
from ..writers.atomic import write_bytes_atomic
from ..writers.docx_zip import Member, write_zip
from . import titles as catalogue
from .results import ResultsFile, Unit

GUIDE, UNITS, PEOPLE, TITLES = "Hướng dẫn", "Đơn vị", "Cá nhân", "Danh mục"
MAX_UNITS = 200
MAX_PEOPLE = 2000
YES, NO = "Có", "Không"
CAMPAIGN_CELL, YEAR_CELL = "B2", "B3"
BASE_SALARY_LABEL, BASE_SALARY_CELL = "E2", "F2"


@dataclass(frozen=True)
class Column:
    header: str
    key: str | None
    width: float


UNIT_COLUMNS = (
    Column("STT", None, 6),
    Column("Tên đơn vị", "name", 42),
    Column("Số cán bộ công chức", "staff", 14),
    Column("Số đoàn viên công đoàn", "union_members", 14),
    Column("Danh hiệu tập thể", "title", 30),
    Column("Thành tích nổi bật", "achievements", 70),
)
PEOPLE_COLUMNS = (
    Column("STT", None, 6),
    Column("Họ và tên", "name", 26),
    Column("Danh hiệu", "title", 26),
    Column("Danh hiệu khác", "more_titles", 26),
    Column("Chức vụ", "position", 24),
    Column("Đơn vị", "unit", 36),
    Column("Giới tính", "gender", 10),
    Column("Học tập, nâng cao trình độ", "study", 14),
    Column("Đoàn viên công đoàn", "union_member", 12),
    Column("Thành tích nổi bật", "achievements", 60),
)
TITLE_COLUMNS = (
    Column("Danh hiệu", "name", 34),
    Column("Đối tượng", "kind", 12),
    Column("Hệ số tiền thưởng", "multiple", 12),
)
KIND_LABEL = {"person": "Cá nhân", "unit": "Tập thể"}
WRAP_FROM = 36
"""Columns at least this wide (names, units, achievements) wrap their text."""
TITLE_SEPARATOR = ";"

GUIDE_LINES = (
    "Cách điền:",
    "1. Sheet “Đơn vị”: mỗi dòng một đơn vị; số cán bộ công chức, số đoàn viên công đoàn và danh hiệu tập thể.",
    "2. Sheet “Cá nhân”: mỗi dòng một người; chọn đơn vị và danh hiệu trong danh sách thả xuống.",
    "   Người đạt hai danh hiệu (ví dụ “Lao động tiên tiến” và “Chiến sĩ thi đua cơ sở”): ghi danh hiệu thứ hai ở cột “Danh hiệu khác”",
    "   (nhiều danh hiệu khác: cách nhau bằng dấu “;”).",
    "3. Cột “Học tập, nâng cao trình độ”: Có / Không (để trống là Không); “Đoàn viên công đoàn”: Có / Không (để trống là Có).",
    "4. Sheet “Danh mục”: tên danh hiệu đúng theo Luật Thi đua, khen thưởng; hệ số tiền thưởng và mức lương cơ sở do văn phòng điền.",
    "5. Đơn vị có thể không liệt kê người không đạt danh hiệu: họ vẫn được tính trong “Số cán bộ công chức”.",
    "Không đổi tên sheet và tiêu đề cột; có thể thêm cột ghi chú ở bên phải.",
)

_HEADER_FONT = Font(name="Times New Roman", size=12, bold=True)
_CELL_FONT = Font(name="Times New Roman", size=12)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _header(ws, columns: tuple[Column, ...]) -> None:
    for i, col in enumerate(columns, 1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def letter_of(columns: tuple[Column, ...], key: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(columns, 1) if c.key == key))


def _list_validation(ws, formula: str, cells: str, prompt: str, strict: bool = True) -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorStyle="stop" if strict else "warning",
                        errorTitle="Giá trị không hợp lệ", error=prompt)
    dv.add(cells)
    ws.add_data_validation(dv)


def _titles_sheet(ws) -> dict[str, str]:
    """The catalogue and the base salary; returns the dropdown ranges of each kind."""
    _header(ws, TITLE_COLUMNS)
    ranges: dict[str, list[int]] = {"person": [], "unit": []}
    for row, title in enumerate(sorted(catalogue.CATALOGUE, key=lambda t: t.kind != "person"), 2):
        ws.cell(row=row, column=1, value=title.name)
        ws.cell(row=row, column=2, value=KIND_LABEL[title.kind])
        ws.cell(row=row, column=3, value=float(title.suggested_multiple) if title.suggested_multiple else None)
        ranges[title.kind].append(row)
    ws[BASE_SALARY_LABEL] = "Mức lương cơ sở (đồng/tháng)"
    ws[BASE_SALARY_LABEL].font = _HEADER_FONT
    ws.column_dimensions["E"].width = 30
    ws.column_dimensions["F"].width = 16
    ws[BASE_SALARY_CELL].number_format = "#,##0"
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=3):
        for cell in row:
            cell.font = _CELL_FONT
    return {kind: f"'{TITLES}'!$A${rows[0]}:$A${rows[-1]}" for kind, rows in ranges.items()}


def new_workbook(campaign: Document, unit_names: list[str] = ()) -> Workbook:
    """The blank workbook for `campaign`: guide, units (names pre-filled), people, catalogue."""
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    year = campaign.campaign_year
    guide["A1"] = f"KẾT QUẢ PHONG TRÀO THI ĐUA NĂM {year}"
    guide["A1"].font = Font(name="Times New Roman", size=14, bold=True)
    guide["A2"], guide[CAMPAIGN_CELL] = "Mã phong trào (không sửa):", campaign.id
    guide["A3"], guide[YEAR_CELL] = "Năm:", year
    launch = vn.number_line(campaign.number, vn.symbol(campaign.type_code, [i.code for i in campaign.issuers]))
    when = f" ngày {campaign.date.day}/{campaign.date.month}/{campaign.date.year}" if campaign.date else ""
    guide["A4"], guide["B4"] = "Văn bản phát động:", f"{launch}{when}"
    for i, line in enumerate(GUIDE_LINES, 6):
        guide.cell(row=i, column=1, value=line)
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 40
    for row in guide.iter_rows(min_row=2, max_row=guide.max_row, max_col=2):
        for cell in row:
            cell.font = _CELL_FONT

    units = wb.create_sheet(UNITS)
    people = wb.create_sheet(PEOPLE)
    lists = _titles_sheet(wb.create_sheet(TITLES))

    _header(units, UNIT_COLUMNS)
    for row, name in enumerate(unit_names, 2):
        units.cell(row=row, column=1, value=row - 1)
        units.cell(row=row, column=2, value=name)
    last = MAX_UNITS + 1
    _list_validation(units, lists["unit"], f"{letter_of(UNIT_COLUMNS, 'title')}2:{letter_of(UNIT_COLUMNS, 'title')}{last}",
                     "Chọn danh hiệu tập thể trong danh sách (sheet Danh mục).")
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, error="Nhập số nguyên không âm.")
    counts.add(f"{letter_of(UNIT_COLUMNS, 'staff')}2:{letter_of(UNIT_COLUMNS, 'union_members')}{last}")
    units.add_data_validation(counts)

    _header(people, PEOPLE_COLUMNS)
    last = MAX_PEOPLE + 1
    col = lambda key: letter_of(PEOPLE_COLUMNS, key)  # noqa: E731
    _list_validation(people, lists["person"], f"{col('title')}2:{col('title')}{last}",
                     "Chọn danh hiệu cá nhân trong danh sách (sheet Danh mục).")
    _list_validation(people, lists["person"], f"{col('more_titles')}2:{col('more_titles')}{last}",
                     "Danh hiệu không có trong danh sách; nhiều danh hiệu cách nhau bằng dấu “;”.", strict=False)
    unit_col = letter_of(UNIT_COLUMNS, "name")
    _list_validation(people, f"'{UNITS}'!${unit_col}$2:${unit_col}${MAX_UNITS + 1}", f"{col('unit')}2:{col('unit')}{last}",
                     "Chọn đơn vị đã ghi ở sheet Đơn vị.")
    _list_validation(people, '"Nam,Nữ"', f"{col('gender')}2:{col('gender')}{last}", "Chọn Nam hoặc Nữ.")
    _list_validation(people, f'"{YES},{NO}"', f"{col('study')}2:{col('union_member')}{last}", "Chọn Có hoặc Không.")
    wb.active = 1
    return wb


def _yes_no(value: bool) -> str:
    return YES if value else NO


def fill(wb: Workbook, results: ResultsFile, units: list[Unit]) -> None:
    """Write the units' figures, their people and the awards table into a new workbook."""
    ws_units, ws_people, ws_titles = wb[UNITS], wb[PEOPLE], wb[TITLES]
    for row in ws_units.iter_rows(min_row=2, max_row=ws_units.max_row):
        for cell in row:
            cell.value = None
    row = 2
    for n, unit in enumerate(units, 1):
        values = {"name": unit.name, "staff": unit.staff, "union_members": unit.union_members,
                  "title": unit.title, "achievements": unit.achievements}
        ws_units.cell(row=n + 1, column=1, value=n)
        for i, col in enumerate(UNIT_COLUMNS, 1):
            if col.key:
                ws_units.cell(row=n + 1, column=i, value=values[col.key])
        for person in unit.people:
            values = {
                "name": person.name,
                "title": person.titles[0] if person.titles else None,
                "more_titles": f"{TITLE_SEPARATOR} ".join(person.titles[1:]) or None,
                "position": person.position,
                "unit": unit.name,
                "gender": person.gender.capitalize() if person.gender else None,
                "study": _yes_no(person.study),
                "union_member": _yes_no(person.union_member),
                "achievements": person.achievements,
            }
            ws_people.cell(row=row, column=1, value=row - 1)
            for i, col in enumerate(PEOPLE_COLUMNS, 1):
                if col.key:
                    ws_people.cell(row=row, column=i, value=values[col.key])
            row += 1
    if results.awards is not None:
        for r in range(2, ws_titles.max_row + 1):
            name = ws_titles.cell(row=r, column=1).value
            if name:
                multiple = results.awards.multiples.get(name)
                ws_titles.cell(row=r, column=3, value=_number(multiple) if multiple is not None else None)
        ws_titles[BASE_SALARY_CELL] = results.awards.base_salary
    for ws, columns in ((ws_units, UNIT_COLUMNS), (ws_people, PEOPLE_COLUMNS)):
        wide = {get_column_letter(i) for i, c in enumerate(columns, 1) if c.width >= WRAP_FROM}
        for line in ws.iter_rows(min_row=2, max_row=ws.max_row):
            for cell in line:
                cell.font = _CELL_FONT
                cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in wide)


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


_CORE_DATE = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def to_bytes(wb: Workbook, year: int) -> bytes:
    """Save reproducibly: fixed document dates (31 December of the year) and zip timestamps."""
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    members = []
    for info in src.infolist():
        data = src.read(info)
        if info.filename == "docProps/core.xml":
            data = _CORE_DATE.sub(rf"\g<1>{year}-12-31T00:00:00Z\g<2>", data.decode("utf-8")).encode("utf-8")
        members.append(Member.deflate(info.filename, data))
    out = io.BytesIO()
    write_zip(out, members)
    return out.getvalue()


def write_template(campaign: Document, target: str | Path, unit_names: list[str] = (),
                   results: ResultsFile | None = None, units: list[Unit] | None = None) -> Path:
    """Write the workbook for `campaign`; with `results`, filled with their units and awards."""
    names = [u.name for u in units] if units else list(unit_names)
    wb = new_workbook(campaign, names)
    if results is not None:
        fill(wb, results, units or [])
    return write_bytes_atomic(target, to_bytes(wb, campaign.campaign_year))
