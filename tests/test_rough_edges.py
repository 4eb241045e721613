"""What got in a new user's way (issue 15): each case as the user met it."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.cli import main

from conftest import SAMPLE


def data_file(tmp_path, doc_id="ke-hoach-2024", number="", date="", year=2024, name="doc.yaml"):
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("id: phat-dong-thi-dua-2024", f"id: {doc_id}")
    text = re.sub(r"^number: 31 ", f"number: {number} ", text, flags=re.M)
    text = re.sub(r"^date: 2024-01-12", f"date: {date}", text, flags=re.M)
    text = re.sub(r"^year: 2024", f"year: {year}", text, flags=re.M)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_issue_without_date_refuses_today_outside_the_data_year(tmp_path, registry):
    year = dt.date.today().year - 2
    data = data_file(tmp_path, year=year)
    before = data.read_bytes()
    result = run("issue", data, "-o", tmp_path / "out", "--registry", registry)
    assert result.exit_code == 1
    assert f"the data is for {year} and has no `date`" in result.output
    assert f"--date {year}-MM-DD" in result.output
    assert not (tmp_path / "out").exists() and data.read_bytes() == before
    assert api.registry_entries(registry) == []


def test_issue_with_an_explicit_date_outside_the_year_is_done_and_said(tmp_path, registry):
    year = dt.date.today().year - 2
    data = data_file(tmp_path, year=year)
    when = f"{year + 1}-01-05"
    result = run("issue", data, "--date", when, "-o", tmp_path / "out", "--registry", registry)
    assert result.exit_code == 0, result.output
    assert f"dated {when} as asked with --date, outside the data's year {year}" in result.output
    assert result.stdout.strip().endswith(f"{year + 1}/01-PDTD-CTDP-CDC.docx")


def test_issue_without_date_in_the_current_year_uses_today(tmp_path, registry):
    data = data_file(tmp_path, year=dt.date.today().year)
    outcome = api.issue(data, out_dir=tmp_path / "out", registry=registry)
    assert outcome.document.date == dt.date.today()


def test_issue_removes_the_draft(tmp_path, registry):
    data = data_file(tmp_path)
    out = tmp_path / "out"
    draft = api.build(data, out_dir=out, registry=registry)
    assert draft.status == "draft" and draft.path.name == "ke-hoach-2024-du-thao.docx" and draft.path.is_file()
    result = run("issue", data, "--date", "2024-02-01", "-o", out, "--registry", registry)
    assert result.exit_code == 0, result.output
    assert not draft.path.exists()
    assert f"draft {draft.path} removed" in result.output
    assert sorted(p.name for p in (out / "2024").iterdir()) == ["01-PDTD-CTDP-CDC.docx"]
    assert api.history("ke-hoach-2024", registry)[0].rev == 1  # the book keeps the issued document


def test_build_of_an_issued_id_without_number_says_which_number_and_why(tmp_path, registry):
    out = tmp_path / "out"
    assert api.build(SAMPLE, out_dir=out, registry=registry).status == "registered"
    copy = data_file(tmp_path, doc_id="phat-dong-thi-dua-2024", date="2024-01-12")  # number emptied, id kept
    result = run("build", copy, "-o", out, "--registry", registry)
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output
    assert ("the data has no number, but the book issued phat-dong-thi-dua-2024 as 31/2024 on 2024-01-12: "
            "built under that number") in result.output
    assert "give the copy a new `id`" in result.output


def test_history_prints_headings_and_exports_into_the_output_folder(tmp_path, registry, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = data_file(tmp_path, doc_id="phat-dong-thi-dua-2024", number="31", date="2024-01-12")
    first = api.build(data, out_dir="output", registry=registry)
    listed = run("history", "phat-dong-thi-dua-2024", "--registry", registry)
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:2] == ["Bản", "Thời"] and "Lý do" in lines[0]
    assert lines[1].split()[0] == "1" and lines[1].split()[-1] == "register"
    exported = run("history", "phat-dong-thi-dua-2024", "--export", "1", "--registry", registry)
    assert exported.exit_code == 0, exported.output
    target = tmp_path / "output" / "2024" / "31-PDTD-CTDP-CDC-rev1.docx"
    assert exported.stdout.strip() == str(Path("output") / "2024" / target.name)
    assert target.read_bytes() == (tmp_path / first.path).read_bytes()
    assert not list(tmp_path.glob("*.docx")), "nothing lands in the current folder"


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (apt-get install libreoffice-writer-nogui)")
def test_build_pdf_prints_every_path_and_leaves_an_unchanged_pdf_alone(tmp_path, registry):
    out = tmp_path / "out"
    first = run("build", SAMPLE, "--pdf", "-o", out, "--registry", registry)
    assert first.exit_code == 0, first.output
    docx, pdf = out / "2024" / "31-PDTD-CTDP-CDC.docx", out / "2024" / "31-PDTD-CTDP-CDC.pdf"
    assert first.stdout.splitlines() == [str(docx), str(pdf)]
    stamp = pdf.stat().st_mtime_ns
    again = run("build", SAMPLE, "--pdf", "-o", out, "--registry", registry)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [str(docx), str(pdf)]
    assert "PDF unchanged: nothing written" in again.stderr
    assert pdf.stat().st_mtime_ns == stamp
    pdf.unlink()  # the .docx is unchanged, its PDF gone: made again, and said so
    third = run("build", SAMPLE, "--pdf", "-o", out, "--registry", registry)
    assert third.exit_code == 0 and pdf.is_file(), third.output
    assert "unchanged: .docx not written; PDF made from it" in third.stderr


def test_certificates_keep_the_award_title_together_and_say_only_the_number_is_blank(tmp_path):
    from dispatch_gen.readers.docx_text import paragraphs

    from test_campaign_common import CAMPAIGN, RESULTS

    result = run("certificates", CAMPAIGN, "--results", RESULTS, "-o", tmp_path / "out",
                 "--registry", tmp_path / "book.sqlite")
    assert result.exit_code == 0, result.output
    assert "leave its number blank" in result.stderr and "number and date" not in result.stderr
    folder = tmp_path / "out" / "2024" / "giay-khen"
    for path in sorted(folder.iterdir())[:12]:
        citation = next(p for p in paragraphs(path) if "danh hiệu" in p)
        title = citation[citation.index("“"):citation.index("”") + 1]
        assert " " not in title and title.count("\u00a0") >= 1, citation
        assert "Quyết định số      /QĐ-CTĐP" in paragraphs(path)  # the number is the one blank
        assert "ngày 25 tháng 12 năm 2024" in " ".join(paragraphs(path))


def test_chart_font_is_a_file_with_every_vietnamese_letter_and_draws_without_missing_glyphs(tmp_path):
    import warnings
    from decimal import Decimal

    from dispatch_gen.campaign import chart
    from dispatch_gen.campaign.targets import TargetResult

    files = chart.font_files()
    if files is None:
        pytest.skip("no Times New Roman or Liberation Serif 2 installed (apt-get install fonts-liberation2)")
    regular, italic = files
    assert Path(regular).name.lower() in {r.lower() for r, _ in chart._FONT_FILES}
    assert chart._covers(regular) and chart._covers(italic)
    row = TargetResult(number=1, label="Tập thể đạt “Tập thể lao động xuất sắc”", short="Tập thể xuất sắc ở cơ sở",
                       share=Decimal("0.3"), achieved=3, base=9)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart.chart_png([row], 2024)
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "Glyph" in str(w.message)], [str(w.message) for w in caught]


def test_validate_recognises_a_results_file_and_points_to_results_check():
    from test_campaign_common import RESULTS

    result = run("validate", RESULTS)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"error: {RESULTS}: this is a results file (the units' results of a campaign), not a document: "
                     f"check it against its launch (`phat-dong-thi-dua-2024`) with `dispatch-gen results check "
                     f"CAMPAIGN.yaml --results {RESULTS}`"]


KIND_PREFIXES = {"ke-hoach": "Kế hoạch", "nghi-quyet": "Nghị quyết", "quyet-dinh": "Quyết định", "bao-cao": "Báo cáo",
                 "thong-bao": "Thông báo", "to-trinh": "Tờ trình", "chi-thi": "Chỉ thị", "huong-dan": "Hướng dẫn"}


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parent.parent / "data" / "examples").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_examples_are_named_for_the_kind_of_document_they_hold(path):
    doc = api.validate(path)
    kind = next((k for k in KIND_PREFIXES if path.name.startswith(k + "-")), None)
    if kind:
        assert (doc.title or "").lower() == KIND_PREFIXES[kind].lower(), f"{path.name} holds a {doc.title!r}"
    if path.name.startswith("cong-van-"):
        assert doc.title is None and doc.subject


def _usage_lines() -> list[str]:
    """The README's Usage block: each `dispatch-gen …` line with its continuation lines."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## Usage"):]
    block = block[block.index("```") + 3:]
    block = block[:block.index("```")]
    entries: list[str] = []
    for line in block.splitlines():
        if line.startswith("dispatch-gen "):
            entries.append(line)
        elif line.startswith(" ") and entries:
            entries[-1] += " " + line.strip()
    return entries


COMMON = {"-o", "--output", "--templates", "--registry"}  # said once under the block


def test_readme_starts_with_its_title_then_the_two_commands():
    lines = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# dispatch-gen" and lines[1] == ""
    assert lines[2] == "```" and lines[5] == "```"
    assert lines[3].endswith("dispatch-gen build data/phat-dong-thi-dua-2024.yaml") and lines[4].endswith("pytest -q")


def test_readme_usage_lists_every_command_and_option():
    import click

    def walk(cmd, path):
        if isinstance(cmd, click.Group):
            for name, sub in sorted(cmd.commands.items()):
                yield from walk(sub, path + [name])
        else:
            yield path, cmd

    entries = _usage_lines()
    missing = []
    for path, cmd in walk(main, []):
        prefix = "dispatch-gen " + " ".join(path)
        mine = " ".join(e for e in entries if e == prefix or e.startswith(prefix + " "))
        if not mine:
            missing.append(f"{prefix}: no line in the README's Usage block")
            continue
        for param in cmd.params:
            if not isinstance(param, click.Option) or param.hidden or set(param.opts) & COMMON:
                continue
            if not any(re.search(re.escape(o) + r"(?![\w-])", mine) for o in param.opts + param.secondary_opts):
                missing.append(f"{prefix}: {'/'.join(param.opts)} not in the README's Usage block")
    assert not missing, "\n".join(missing)


def test_spelling_variants_are_warned_about_in_validate_report_and_rollover(tmp_path):
    from test_campaign_common import CAMPAIGN, RESULTS

    checked = run("validate", SAMPLE)
    assert checked.exit_code == 0 and checked.stdout.strip() == f"{SAMPLE}: ok"
    assert (f"warning: {SAMPLE}:90: targets[1].of_which[0].text: spelling varies: “sỹ” here, “sĩ” at {SAMPLE}:91: "
            "targets[1].of_which[0].measure.titles[0]") in checked.stderr
    assert f"spelling varies: “hóa” here, “hoá” at {SAMPLE}:63" in checked.stderr
    made = run("report", CAMPAIGN, "--results", RESULTS, "-o", tmp_path / "out", "--registry", tmp_path / "b.sqlite")
    assert made.exit_code == 0, made.output
    assert re.search(r"warning: bao-cao-tong-ket-thi-dua-2024: paragraph \d+: spelling varies: “sỹ” here, “sĩ” at "
                     r"paragraph \d+", made.stderr)
    rolled = run("rollover", SAMPLE, "--year", "2025", "-o", tmp_path / "next.yaml")
    assert rolled.exit_code == 0, rolled.output
    review = rolled.stdout[rolled.stdout.index("review"):]
    assert "spelling varies: “sỹ” here, “sĩ” at" in review and "spelling varies: “hóa” here, “hoá” at" in review


def test_one_spelling_throughout_gives_no_warning(tmp_path):
    from dispatch_gen.spelling import variants

    assert variants([("a", "Chiến sĩ thi đua, hòa bình, thủy lợi"), ("b", "chiến sĩ; Hòa; THỦY")]) == []
    assert len(variants([("a", "thuỷ"), ("b", "thủy"), ("c", "hoà"), ("d", "hòa")])) == 2
