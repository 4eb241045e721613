"""The results workbook: the blank template, the round trip (template → filled → read), located errors."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from dispatch_gen.campaign import load_campaign, load_results, results_workbook
from dispatch_gen.campaign import workbook as layout
from dispatch_gen.campaign.titles import names
from dispatch_gen.errors import DataError
from test_campaign_common import CAMPAIGN, RESULTS, WORKBOOK


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(CAMPAIGN)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """The sample results written into a fresh workbook by the template writer and the filler."""
    return results_workbook(CAMPAIGN, tmp_path_factory.mktemp("wb") / "ket-qua.xlsx", fill_from=RESULTS)


def _validations(ws) -> dict[str, tuple[str, str]]:
    """Cell range → (type, formula) of every data validation of a sheet."""
    return {str(dv.sqref): (dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}


def _range_values(wb, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    first, last = cells.replace("$", "").split(":")
    ws = wb[sheet.strip("'")]
    return [row[0].value for row in ws[f"{first}:{last}"]]


def test_blank_template_has_sheets_headers_units_and_dropdowns(tmp_path):
    path = results_workbook(CAMPAIGN, tmp_path / "blank.xlsx", unit_names=["Văn phòng Cục", "Phòng Khuyến công"])
    wb = load_workbook(path)
    assert wb.sheetnames == [layout.GUIDE, layout.UNITS, layout.PEOPLE, layout.TITLES]
    assert wb[layout.GUIDE]["B2"].value == "phat-dong-thi-dua-2024" and wb[layout.GUIDE]["B3"].value == 2024
    assert "31/PĐTĐ-CTĐP-CĐC" in wb[layout.GUIDE]["B4"].value
    units, people = wb[layout.UNITS], wb[layout.PEOPLE]
    assert [c.value for c in units[1]] == [c.header for c in layout.UNIT_COLUMNS]
    assert [c.value for c in people[1]] == [c.header for c in layout.PEOPLE_COLUMNS]
    assert [units["B2"].value, units["B3"].value, units["B4"].value] == ["Văn phòng Cục", "Phòng Khuyến công", None]
    person_titles = _validations(people)["C2:C2001"]
    assert person_titles[0] == "list" and _range_values(wb, person_titles[1]) == names("person")
    assert _range_values(wb, _validations(units)["E2:E201"][1]) == names("unit")
    assert _validations(people)["F2:F2001"] == ("list", "'Đơn vị'!$B$2:$B$201")
    assert _validations(people)["H2:I2001"] == ("list", '"Có,Không"')
    assert _validations(units)["C2:D201"][0] == "whole"
    assert wb[layout.TITLES]["A2"].value == "Lao động tiên tiến" and wb[layout.TITLES]["C2"].value == 0.3


def test_round_trip_gives_the_same_results(filled, campaign):
    from_yaml = load_results(RESULTS, campaign)
    from_xlsx = load_results(filled, campaign)
    assert from_xlsx.units == from_yaml.units
    assert from_xlsx.data.awards == from_yaml.data.awards
    assert (from_xlsx.data.campaign, from_xlsx.year) == (from_yaml.data.campaign, from_yaml.year)
    assert from_xlsx.warnings == []


def test_committed_sample_workbook_is_what_the_writer_makes(filled, campaign):
    assert WORKBOOK.read_bytes() == filled.read_bytes(), (
        "data/ket-qua-thi-dua-2024.xlsx is stale: run `dispatch-gen results template "
        "data/phat-dong-thi-dua-2024.yaml -o data/ket-qua-thi-dua-2024.xlsx --fill data/ket-qua-thi-dua-2024.yaml`")
    assert load_results(WORKBOOK, campaign).units == load_results(RESULTS, campaign).units


def _edit(src, target, changes: dict[tuple[str, str], object]):
    wb = load_workbook(src)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell] = value
    wb.save(target)
    return target


def test_errors_name_sheet_and_cell(filled, tmp_path, campaign):
    bad = _edit(filled, tmp_path / "bad.xlsx", {
        (layout.PEOPLE, "C14"): "Chiến sỹ thi đua",
        (layout.PEOPLE, "F15"): "Văn phòng Cuc",
        (layout.PEOPLE, "H16"): "chưa",
        (layout.UNITS, "C3"): "mười một",
    })
    with pytest.raises(DataError) as exc:
        load_results(bad, campaign)
    lines = exc.value.lines
    assert f"{bad}: Cá nhân!F15: 'Văn phòng Cuc' is not a unit of the workbook — did you mean 'Văn phòng Cục'?" in lines
    assert f"{bad}: Cá nhân!H16: 'chưa' is not Có or Không" in lines
    assert any(ln.startswith(f"{bad}: Đơn vị!C3: ") for ln in lines), lines


def test_unknown_title_in_a_cell(filled, tmp_path, campaign):
    bad = _edit(filled, tmp_path / "bad-title.xlsx", {(layout.PEOPLE, "C14"): "Chiến sỹ thi đua"})
    with pytest.raises(DataError) as exc:
        load_results(bad, campaign)
    assert exc.value.lines == [f"{bad}: Cá nhân!C14: 'Chiến sỹ thi đua' is not a known title — "
                               "did you mean “Chiến sĩ thi đua cơ sở”?"]


def test_a_second_title_column_and_a_variant_spelling(filled, tmp_path, campaign):
    """Two titles in “Danh hiệu khác” separated by ';', one spelled the seed's way: a warning at its cell."""
    wb = load_workbook(filled)
    row = next(r for r in range(2, 200) if wb[layout.PEOPLE][f"D{r}"].value is None
               and wb[layout.PEOPLE][f"C{r}"].value == "Lao động tiên tiến")
    name = wb[layout.PEOPLE][f"B{row}"].value
    bad = _edit(filled, tmp_path / "variant.xlsx", {(layout.PEOPLE, f"D{row}"): "Chiến sỹ thi đua cơ sở; Chiến sĩ thi đua cấp bộ"})
    results = load_results(bad, campaign)
    person = next(p for u in results.units for p in u.people if p.name == name)
    assert person.titles == ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cấp bộ"]
    [warning] = results.warnings
    assert str(warning).startswith(f"{bad}: Cá nhân!D{row}: ") and "the legal name is “Chiến sĩ thi đua cơ sở”" in str(warning)


def test_missing_sheet_or_column(filled, tmp_path, campaign):
    wb = load_workbook(filled)
    wb[layout.PEOPLE]["B1"] = "Tên"
    del wb[layout.UNITS]
    wb.save(tmp_path / "broken.xlsx")
    with pytest.raises(DataError) as exc:
        load_results(tmp_path / "broken.xlsx", campaign)
    text = "\n".join(exc.value.lines)
    assert "no sheet 'Đơn vị'" in text
    assert "Cá nhân!1: no column 'Họ và tên' in the header row" in text


def test_not_a_workbook(tmp_path, campaign):
    fake = tmp_path / "ket-qua.xlsx"
    fake.write_text("hello", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_results(fake, campaign)
    assert exc.value.lines[0].startswith(f"{fake}: not an Excel workbook (.xlsx)")


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "dispatch_gen", *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize("units", [[], ["Văn phòng Cục", "Phòng Khuyến công"]])
def test_a_blank_template_passes_the_structural_check_and_lists_what_is_still_empty(tmp_path, units):
    path = results_workbook(CAMPAIGN, tmp_path / "blank.xlsx", unit_names=units)
    run = _cli("results", "check", CAMPAIGN, "--results", path)
    assert run.returncode == 0, run.stderr
    assert "structure is right" in run.stdout and "Traceback" not in run.stderr
    still = [ln for ln in run.stderr.splitlines() if ln.startswith("still empty: ")]
    assert any(f"{layout.TITLES}!{layout.BASE_SALARY_CELL}:" in ln and "needed only for the decision" in ln
               for ln in still)
    for row, name in enumerate(units, 2):
        assert any(f"{layout.UNITS}!C{row}: {name}: số cán bộ công chức still empty" in ln for ln in still)
    if not units:
        assert any(f"{layout.UNITS}!A2: no unit listed yet" in ln for ln in still)
    strict = _cli("results", "check", CAMPAIGN, "--results", path, "--strict")
    assert strict.returncode == 1 and "error: " in strict.stderr
    report = _cli("report", CAMPAIGN, "--results", path, "-o", tmp_path / "out")
    assert report.returncode == 1 and "still empty" in report.stderr and not (tmp_path / "out").exists()


def test_base_salary_is_needed_only_for_the_decision(filled, tmp_path):
    wb = load_workbook(filled)
    wb[layout.TITLES][layout.BASE_SALARY_CELL] = None
    path = tmp_path / "no-salary.xlsx"
    wb.save(path)
    assert _cli("results", "check", CAMPAIGN, "--results", path).returncode == 0
    assert _cli("report", CAMPAIGN, "--results", path, "-o", tmp_path / "out").returncode == 0
    decision = _cli("decision", CAMPAIGN, "--results", path, "-o", tmp_path / "out2")
    assert decision.returncode == 1
    assert f"{layout.TITLES}!{layout.BASE_SALARY_CELL}: the decision needs the base salary" in decision.stderr
    assert not (tmp_path / "out2").exists()
