"""Results in YAML: the sample loads, titles become legal names, and every problem is located."""
from __future__ import annotations

import pytest

from dispatch_gen.campaign import load_campaign, load_results
from dispatch_gen.campaign.titles import match_title
from dispatch_gen.errors import DataError
from test_campaign_common import CAMPAIGN, RESULTS, edited


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(CAMPAIGN)


def lines_of(exc: pytest.ExceptionInfo) -> list[str]:
    return exc.value.lines


def line_number(path, fragment: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in ln)


def test_sample_loads_clean(campaign):
    results = load_results(RESULTS, campaign)
    assert results.data.campaign == "phat-dong-thi-dua-2024" and results.year == 2024
    assert len(results.units) == 9
    assert sum(len(u.people) for u in results.units) == 132
    assert results.warnings == []
    names = [p.name for u in results.units for p in u.people]
    assert len(set(names)) == len(names)


def test_variant_spelling_counts_as_the_legal_title_with_a_warning(tmp_path, campaign):
    path = edited(tmp_path, ("titles: [Lao động tiên tiến, Chiến sĩ thi đua cơ sở]",
                             "titles: [Lao động tiên tiến, Chiến sỹ thi đua cơ sở]"))
    results = load_results(path, campaign)
    person = results.units[0].people[0]
    assert person.titles == ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở"]
    [warning] = results.warnings
    line = str(warning)
    assert line.startswith(f"{path}:")
    assert "units[0].people[0].titles[1]" in line
    assert f"Văn phòng Cục: {person.name}: spelled 'Chiến sỹ thi đua cơ sở'" in line
    assert "“Chiến sĩ thi đua cơ sở”" in line


def test_unknown_title_is_a_located_error_with_a_suggestion(tmp_path, campaign):
    path = edited(tmp_path, ("titles: [Lao động tiên tiến, Chiến sĩ thi đua cơ sở]",
                             "titles: [Lao động tiên tiến, Chiến sỹ thi đua]"))
    with pytest.raises(DataError) as exc:
        load_results(path, campaign)
    [line] = lines_of(exc)
    assert line == (f"{path}:{line_number(path, 'Chiến sỹ thi đua]')}: units[0].people[0].titles[1]: "
                    "'Chiến sỹ thi đua' is not a known title"
                    " — did you mean “Chiến sĩ thi đua cơ sở”?")


def test_title_of_the_wrong_kind(tmp_path, campaign):
    path = edited(tmp_path, ("    title: Tập thể lao động xuất sắc\n", "    title: Lao động tiên tiến\n"))
    with pytest.raises(DataError) as exc:
        load_results(path, campaign)
    assert "units[0].title: “Lao động tiên tiến” is a person's title, not a collective's title" in lines_of(exc)[0]


def test_every_problem_at_once_with_lines(tmp_path, campaign):
    path = edited(tmp_path,
                  ("    staff: 18\n", "    staff: 3\n"),
                  ("    union_members: 11\n", "    union_members: 2\n"),
                  ("campaign: phat-dong-thi-dua-2024", "campaign: phat-dong-thi-dua-2023"))
    with pytest.raises(DataError) as exc:
        load_results(path, campaign)
    text = "\n".join(lines_of(exc))
    assert "units[0].staff: Văn phòng Cục: 18 people listed but the staff count is 3" in text
    assert "units[1].union_members: Phòng Tổ chức cán bộ: 11 listed people are union members but the count is 2" in text
    assert "campaign: 'phat-dong-thi-dua-2023' is not the campaign given" in text
    assert all(ln.startswith(f"{path}:") for ln in lines_of(exc))


def test_schema_errors_are_located(tmp_path, campaign):
    path = edited(tmp_path, ("    staff: 18\n", "    staff: mười tám\n"), ("  base_salary: 2340000", "  base_salry: 2340000"))
    with pytest.raises(DataError) as exc:
        load_results(path, campaign)
    text = "\n".join(lines_of(exc))
    assert "units[0].staff: input should be a valid integer" in text
    assert "awards.base_salry: unknown key (did you mean 'base_salary'?)" in text


def test_unit_listed_twice(tmp_path, campaign):
    path = edited(tmp_path, ("  - name: Phòng Tổ chức cán bộ\n", "  - name: Văn phòng Cục\n"))
    with pytest.raises(DataError) as exc:
        load_results(path, campaign)
    assert any("units[1].name: unit 'Văn phòng Cục' is listed 2 times" in ln for ln in lines_of(exc))


def test_units_from_a_workbook(tmp_path, campaign):
    """A YAML file may take its units from the workbook the units returned (`units_file:`)."""
    from test_campaign_common import WORKBOOK

    text = RESULTS.read_text(encoding="utf-8")
    head = text[: text.index("\nunits:\n")] + f"\nunits_file: {WORKBOOK}\n"
    path = tmp_path / "with-workbook.yaml"
    path.write_text(head, encoding="utf-8")
    assert load_results(path, campaign).units == load_results(RESULTS, campaign).units


def test_catalogue_matching():
    assert match_title("lao động Tiên tiến").title.name == "Lao động tiên tiến"
    assert match_title("Chiến sĩ thi đua cơ sở").problem is None
    assert match_title("Chiến sỹ thi đua cơ sở").is_variant
    assert match_title("Giỏi việc nước").is_error
