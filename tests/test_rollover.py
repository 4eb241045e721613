"""`rollover` on the real sample and on imported seed data: 2024 -> 2025, built and read back."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.campaign.rollover import rollover
from dispatch_gen.check import check_file
from dispatch_gen.cli import main
from dispatch_gen.errors import DataError
from dispatch_gen.readers.docx_import import import_document
from dispatch_gen.readers.docx_text import paragraphs

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
SEED = ROOT / "tests" / "fixtures" / "seed-2024-31-PDTD-CTDP-CDC.txt"  # a copy of shared/reference/000_1c9ce88841a79e5d.txt


def text_of(data: Path, out: Path) -> str:
    outcome = api.build(data, out, registry=out / "book.sqlite")
    return "\n".join(paragraphs(outcome.path)), outcome


def test_sample_to_2025(tmp_path):
    new = tmp_path / "phat-dong-thi-dua-2025.yaml"
    result = rollover(SAMPLE, 2025, new)
    doc = api.load_document(new)
    assert (doc.year, doc.number, doc.date, doc.id) == (2025, None, None, "phat-dong-thi-dua-2025")
    assert doc.targets == api.load_document(SAMPLE).targets
    text, outcome = text_of(new, tmp_path)
    assert outcome.status == "draft" and outcome.path.name.endswith("-du-thao.docx")
    assert "Năm 2025" in text
    assert "96 năm Ngày thành lập Công đoàn Việt Nam" in text
    assert "thành tích đã đạt được trong năm 2024" in text
    assert "Số:      /PĐTĐ-CTĐP-CĐC" in text and "năm 2025" in text
    assert check_file(outcome.path).ok
    assert any("2020-2025" in line for line in result.review)
    assert any("Đại hội XIII" in line for line in result.review)
    assert "year: 2024 → 2025" in result.changes


def test_comments_and_layout_are_kept(tmp_path):
    new = tmp_path / "next.yaml"
    rollover(SAMPLE, 2025, new)
    before = SAMPLE.read_text(encoding="utf-8").splitlines()
    after = new.read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after) if a != b and not a.startswith("#")]
    assert [b.split(":")[0] for _, b in changed] == ["id", "number", "date", "year"]
    # comments follow the year and name the new file (issue 15)
    assert after[0] == "# Văn bản phát động phong trào thi đua năm 2025 — dữ liệu để dispatch-gen tạo văn bản."
    assert after[1] == f"# Sửa nội dung ở đây rồi chạy:  dispatch-gen build {new}"
    assert "# số văn bản; bỏ trống để tạo bản dự thảo" in after[before.index(changed[1][0])]


def test_imported_literal_years_become_placeholders(tmp_path):
    data = tmp_path / "seed-2024.yaml"
    import_document(SEED, data)
    new = tmp_path / "seed-2025.yaml"
    result = rollover(data, 2025, new)
    doc = api.load_document(new)
    assert "cong_doan" in doc.anniversaries and str(doc.anniversaries["cong_doan"].founded) == "1929-07-28"
    assert "{previous_year}" in doc.opening[0] and "{anniversary:cong_doan}" in doc.opening[0]
    text, _ = text_of(new, tmp_path)
    assert "96 năm Ngày thành lập Công đoàn Việt Nam" in text and "trong năm 2024" in text and "Năm 2025" in text
    assert "2024" not in text.replace("trong năm 2024", "")
    assert any("anniversaries.cong_doan: added" in c for c in result.changes)


def test_other_years_are_for_review(tmp_path):
    data = tmp_path / "d.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "Tổ chức động viên khen thưởng", "Theo Nghị định 98/2023/NĐ-CP, từ ngày 14/6/2024 và đến năm 2030, tổ chức động viên khen thưởng")
    data.write_text(text, encoding="utf-8")
    result = rollover(data, 2025, tmp_path / "n.yaml")
    review = "\n".join(result.review)
    assert "year 2024" in review and "14/6/2024" in review  # a date: left for a person
    assert "year 2030" in review
    assert "98/2023" not in review  # a legal reference is not a year-bound phrase


def test_refuses_to_overwrite(tmp_path):
    new = tmp_path / "next.yaml"
    new.write_text("keep", encoding="utf-8")
    with pytest.raises(DataError, match="already exists"):
        rollover(SAMPLE, 2025, new)
    assert new.read_text(encoding="utf-8") == "keep"
    rollover(SAMPLE, 2025, new, force=True)
    assert api.load_document(new).year == 2025


def test_invalid_source_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(DataError):
        rollover(bad, 2025, tmp_path / "out.yaml")
    assert not (tmp_path / "out.yaml").exists()


def test_cli(tmp_path):
    runner = CliRunner()
    out = tmp_path / "n.yaml"
    result = runner.invoke(main, ["rollover", str(SAMPLE), "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "changed:" in result.output and "review" in result.output and "Đại hội XIII" in result.output
    again = runner.invoke(main, ["rollover", str(SAMPLE), "--year", "2025", "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output and "Traceback" not in again.output
