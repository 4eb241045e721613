"""The year-end commands as a user runs them: output on stdout, messages on stderr, exit status."""
from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from dispatch_gen.campaign import load_campaign, load_results
from dispatch_gen.cli import main
from dispatch_gen.readers.docx_text import paragraphs
from test_campaign_common import CAMPAIGN, RESULTS, WORKBOOK, edited


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_results_template_with_units(tmp_path):
    names = tmp_path / "don-vi.txt"
    names.write_text("# các đơn vị\nVăn phòng Cục\n\nPhòng Khuyến công\n", encoding="utf-8")
    target = tmp_path / "ket-qua.xlsx"
    result = run("results", "template", CAMPAIGN, "-o", target, "--units", names, "--unit", "Phòng Tổ chức cán bộ")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(target)
    ws = load_workbook(target)["Đơn vị"]
    assert [ws[f"B{r}"].value for r in (2, 3, 4)] == ["Phòng Tổ chức cán bộ", "Văn phòng Cục", "Phòng Khuyến công"]


def test_results_template_units_from_earlier_results(tmp_path):
    target = tmp_path / "nam-sau.xlsx"
    assert run("results", "template", CAMPAIGN, "-o", target, "--units", RESULTS).exit_code == 0
    ws = load_workbook(target)["Đơn vị"]
    assert ws["B10"].value == "Trung tâm Thông tin và Xúc tiến thương mại" and ws["C2"].value is None


def test_results_check_prints_the_targets():
    result = run("results", "check", CAMPAIGN, "--results", WORKBOOK)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("9 units, 132 people")
    assert lines[1] == "1. Tập thể đạt Lao động xuất sắc: 7/9 = 77,8% (chỉ tiêu 90%) — Không đạt"
    assert lines[3].endswith("27/132 = 20,5% (chỉ tiêu 20%) — Đạt")


def test_report_and_decision_from_the_workbook(tmp_path):
    """`--results` may be the workbook alone: settings follow the launch, narrative is a placeholder."""
    book = tmp_path / "book.sqlite"
    report = run("report", CAMPAIGN, "--results", WORKBOOK, "-o", tmp_path, "--registry", book,
                 "--issue", "--date", "2024-12-20")
    assert report.exit_code == 0, report.output
    assert report.stdout.strip() == str(tmp_path / "2024" / "01-BC-CTDP-CDC.docx")
    assert "Số: 01/BC-CTĐP-CĐC — issued" in report.stderr
    assert report.stderr.count("warning: ") == 5 + 1  # + “Chiến sỹ”/“Chiến sĩ” printed in one report (issue 15)
    decision = run("decision", CAMPAIGN, "--results", WORKBOOK, "-o", tmp_path, "--registry", book, "--issue",
                   "--date", "2024-12-20")
    assert decision.exit_code == 0, decision.output
    texts = paragraphs(tmp_path / "2024" / "02-QD-CTDP.docx")
    assert "Tổng cộng" in texts and "158.184.000" in texts


def test_errors_are_lines_not_tracebacks(tmp_path):
    missing = run("report", CAMPAIGN, "--results", tmp_path / "none.yaml", "-o", tmp_path)
    assert missing.exit_code == 1
    assert missing.stderr == f"error: {tmp_path / 'none.yaml'}: file not found\n"
    other = edited(tmp_path, ("year: 2024 ", "year: 2025 "))
    wrong = run("decision", CAMPAIGN, "--results", other, "-o", tmp_path / "out")
    assert wrong.exit_code == 1 and "Traceback" not in wrong.output
    assert "year: 2025 is not the year of the campaign (2024)" in wrong.stderr
    assert not (tmp_path / "out").exists()


def test_yaml_and_workbook_agree():
    campaign = load_campaign(CAMPAIGN)
    assert load_results(WORKBOOK, campaign).units == load_results(RESULTS, campaign).units
