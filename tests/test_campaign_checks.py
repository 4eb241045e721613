"""Warnings named by unit and person, and `--strict`: exit 1, nothing written, no number used."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from dispatch_gen.book import open_book
from dispatch_gen.campaign import check, load_campaign, load_results
from dispatch_gen.campaign.checks import check_results
from dispatch_gen.cli import main
from test_campaign_common import CAMPAIGN, RESULTS, edited

FIRST = "Nguyễn Bích Linh"  # Chánh Văn phòng, first person of the first unit: LĐTT and CSTĐCS


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(CAMPAIGN)


def warnings_of(path, campaign) -> list[str]:
    return [str(w) for w in check_results(load_results(path, campaign))]


def test_sample_has_no_warnings(campaign):
    assert check(CAMPAIGN, RESULTS).warnings == []


def test_cstdcs_without_ltt(tmp_path, campaign):
    path = edited(tmp_path, (f"{{name: {FIRST}, position: Chánh Văn phòng, gender: nữ, "
                             "titles: [Lao động tiên tiến, Chiến sĩ thi đua cơ sở]",
                             f"{{name: {FIRST}, position: Chánh Văn phòng, gender: nữ, titles: [Chiến sĩ thi đua cơ sở]"))
    found = warnings_of(path, campaign)
    assert any(f"units[0].people[0].titles[0]: Văn phòng Cục: {FIRST}: “Chiến sĩ thi đua cơ sở” without "
               "“Lao động tiên tiến”" in w for w in found), found


def test_excellent_collective_below_seventy_percent(tmp_path, campaign):
    """Phòng Thương mại địa phương: 11 of 13 LĐTT; rated “xuất sắc” with 8 of 13 it warns, naming who lacks it."""
    text = RESULTS.read_text(encoding="utf-8")
    start = text.index("  - name: Phòng Thương mại địa phương")
    end = text.index("  - name: Phòng Pháp chế - Thanh tra")
    block = text[start:end].replace("title: Tập thể lao động tiên tiến", "title: Tập thể lao động xuất sắc")
    demoted = []
    lines = block.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if "titles: [Lao động tiên tiến]" in line and len(demoted) < 3:
            lines[i] = line.replace("titles: [Lao động tiên tiến]", "titles: []")
            demoted.append(line.split("name: ")[1].split(",")[0])
    path = tmp_path / "ket-qua.yaml"
    path.write_text(text[:start] + "".join(lines) + text[end:], encoding="utf-8")
    [warning] = warnings_of(path, campaign)
    assert "units[5].title: Phòng Thương mại địa phương: “Tập thể lao động xuất sắc” with 8 of 13 people " \
           "“Lao động tiên tiến” (61,5%, at least 70% needed); without it: " in warning
    assert all(name in warning for name in demoted)


def test_excellent_collective_needs_one_cstdcs(tmp_path, campaign):
    text = RESULTS.read_text(encoding="utf-8")
    start, end = text.index("  - name: Phòng Tổ chức cán bộ"), text.index("  - name: Phòng Kế hoạch - Tài chính")
    block = text[start:end].replace("[Lao động tiên tiến, Chiến sĩ thi đua cơ sở]", "[Lao động tiên tiến]")
    path = tmp_path / "ket-qua.yaml"
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    found = warnings_of(path, campaign)
    assert any("Phòng Tổ chức cán bộ: “Tập thể lao động xuất sắc” but nobody of the unit is “Chiến sĩ thi đua cơ sở”"
               in w for w in found), found


def test_quota_per_unit_names_the_people(tmp_path, campaign):
    """Văn phòng Cục has 4 CSTĐCS for 17 LĐTT: a 20% cap allows 3."""
    path = edited(tmp_path, ("    max_share: 30%", "    max_share: 20%"))
    found = warnings_of(path, campaign)
    vp = next(w for w in found if "Văn phòng Cục:" in w)
    assert "units[0].name: Văn phòng Cục: 4 “Chiến sĩ thi đua cơ sở” exceed the quota " \
           "(at most 20% of 17 “Lao động tiên tiến” = 3): " in vp
    assert FIRST in vp
    # 20% of the unit's LĐTT, rounded down: 17→3, 11→2, 14→2, 15→3, 14→2, 11→2, 10→2, 16→3, 14→2
    exceeded = [w.split("units[")[1].split("]")[0] for w in found]
    assert exceeded == ["0", "2", "3", "4", "7", "8"]


def test_quota_for_the_whole_campaign(tmp_path, campaign):
    path = edited(tmp_path, ("    per: unit\n    max_share: 30%\n    of: Lao động tiên tiến", "    per: campaign\n    max_count: 25"))
    [warning] = warnings_of(path, campaign)
    assert "quotas[0]: all units: 27 “Chiến sĩ thi đua cơ sở” exceed the quota (at most 25): " in warning
    assert f"{FIRST} (Văn phòng Cục)" in warning


def test_spelling_warning(tmp_path, campaign):
    path = edited(tmp_path, ("    title: Tập thể lao động xuất sắc\n", "    title: Tập thể Lao động Xuất sắc\n"))
    [warning] = warnings_of(path, campaign)
    assert "units[0].title: Văn phòng Cục: spelled 'Tập thể Lao động Xuất sắc'; the legal name is " \
           "“Tập thể lao động xuất sắc”" in warning


def _warning_results(tmp_path):
    return edited(tmp_path, ("    title: Tập thể lao động xuất sắc\n", "    title: Tập thể Lao động Xuất sắc\n"))


@pytest.mark.parametrize("command", ["report", "decision"])
def test_strict_stops_before_anything(tmp_path, command):
    results = _warning_results(tmp_path)
    out, book = tmp_path / "out", tmp_path / "book.sqlite"
    run = CliRunner().invoke(main, [command, str(CAMPAIGN), "--results", str(results), "-o", str(out),
                                    "--registry", str(book), "--issue", "--date", "2024-12-20", "--strict"])
    assert run.exit_code == 1, run.output
    assert run.stderr.startswith("error: ") and "Traceback" not in run.output
    assert "spelled 'Tập thể Lao động Xuất sắc'" in run.stderr
    assert not out.exists()
    if book.exists():
        with open_book(book) as b:
            assert b.entries() == []


def test_strict_certificates_write_nothing(tmp_path):
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["certificates", str(CAMPAIGN), "--results", str(_warning_results(tmp_path)),
                                    "-o", str(out), "--registry", str(tmp_path / "b.sqlite"), "--strict"])
    assert run.exit_code == 1 and not out.exists()


def test_without_strict_the_warning_is_printed_and_the_report_made(tmp_path):
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["report", str(CAMPAIGN), "--results", str(_warning_results(tmp_path)),
                                    "-o", str(out), "--registry", str(tmp_path / "b.sqlite")])
    assert run.exit_code == 0, run.output
    assert "warning: " in run.stderr and "spelled 'Tập thể Lao động Xuất sắc'" in run.stderr
    assert (out / "2024" / "bao-cao-tong-ket-thi-dua-2024-du-thao.docx").is_file()
