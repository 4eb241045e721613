"""Drafts, issuing, regeneration and the number book, through the CLI and API as a clerk uses them."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.cli import main
from dispatch_gen.errors import TemplateError
from dispatch_gen.readers.docx_text import paragraphs

from conftest import SAMPLE


def make_data(tmp_path: Path, name: str = "doc.yaml", doc_id: str = "ke-hoach-2025", number: str = "",
              date: str = "", year: int = 2025) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("id: phat-dong-thi-dua-2024", f"id: {doc_id}")
    text = re.sub(r"^number: 31 ", f"number: {number} ", text, flags=re.M)
    text = re.sub(r"^date: 2024-01-12", f"date: {date}", text, flags=re.M)
    text = re.sub(r"^year: 2024", f"year: {year}", text, flags=re.M)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


def test_draft_consumes_nothing_and_leaves_blanks(tmp_path, registry):
    data = make_data(tmp_path)
    for _ in range(2):
        out = api.build(data, out_dir=tmp_path / "out", registry=registry)
        assert out.status == "draft"
    assert out.path == tmp_path / "out" / "2025" / "ke-hoach-2025-du-thao.docx"
    paras = paragraphs(out.path)
    assert "Số:      /PĐTĐ-CTĐP-CĐC" in paras
    assert "Hà Nội, ngày      tháng      năm 2025" in paras
    assert not registry.exists(), "a draft never creates or touches the book"
    assert "number: " in data.read_text(encoding="utf-8")


def test_issue_allocates_in_order_with_a_yearly_restart_and_writes_back(tmp_path, registry):
    out = tmp_path / "out"
    first = make_data(tmp_path, "a.yaml", "van-ban-a")
    second = make_data(tmp_path, "b.yaml", "van-ban-b")
    third = make_data(tmp_path, "c.yaml", "van-ban-c", year=2026)
    r1 = run("issue", str(first), "--date", "2025-01-10", "-o", str(out), "--registry", str(registry))
    r2 = run("issue", str(second), "--date", "2025-03-05", "-o", str(out), "--registry", str(registry))
    r3 = run("issue", str(third), "--date", "2026-01-02", "-o", str(out), "--registry", str(registry))
    assert [r.exit_code for r in (r1, r2, r3)] == [0, 0, 0], r1.output + r2.output + r3.output
    assert r1.stdout.strip() == str(out / "2025" / "01-PDTD-CTDP-CDC.docx")
    assert r2.stdout.strip() == str(out / "2025" / "02-PDTD-CTDP-CDC.docx")
    assert r3.stdout.strip() == str(out / "2026" / "01-PDTD-CTDP-CDC.docx")
    assert "Hà Nội, ngày 05 tháng 3 năm 2025" in paragraphs(out / "2025" / "02-PDTD-CTDP-CDC.docx")
    text = second.read_text(encoding="utf-8")
    assert re.search(r"^number: 2 +# số văn bản", text, re.M), "number written back, comment kept"
    assert re.search(r"^date: 2025-03-05 +# ngày ban hành", text, re.M)
    assert text.count("#") == SAMPLE.read_text(encoding="utf-8").count("#"), "every comment kept"
    again = api.build(second, out_dir=out, registry=registry)
    assert again.status == "unchanged" and again.document.number == 2


def test_stated_number_registers_and_later_numbers_continue(tmp_path, registry):
    out = tmp_path / "out"
    sample = api.build(SAMPLE, out_dir=out, registry=registry)
    assert sample.status == "registered" and sample.path.name == "31-PDTD-CTDP-CDC.docx"
    nxt = api.issue(make_data(tmp_path, doc_id="so-ket-2024", year=2024), out_dir=out, registry=registry,
                    date=__import__("datetime").date(2024, 6, 20))
    assert nxt.document.number == 32


def test_rebuild_keeps_number_records_revisions_and_keeps_old_files(tmp_path, registry):
    out = tmp_path / "out"
    data = tmp_path / "sample.yaml"
    data.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    first = api.build(data, out_dir=out, registry=registry)
    original = first.path.read_bytes()
    mtime = first.path.stat().st_mtime_ns
    time.sleep(0.01)
    same = run("build", str(data), "-o", str(out), "--registry", str(registry))
    assert same.exit_code == 0 and "unchanged: nothing written" in same.stderr
    assert first.path.stat().st_mtime_ns == mtime
    data.write_text(data.read_text(encoding="utf-8").replace("để đăng ký thi đua khen thưởng;",
                                                             "để đăng ký thi đua, khen thưởng;"), encoding="utf-8")
    changed = run("build", str(data), "-o", str(out), "--registry", str(registry))
    assert changed.exit_code == 0 and "new revision 2 recorded" in changed.stderr
    assert "Số: 31/PĐTĐ-CTĐP-CĐC" in paragraphs(first.path)
    hist = run("history", "phat-dong-thi-dua-2024", "--registry", str(registry))
    lines = hist.stdout.strip().splitlines()
    assert lines[0].split() == ["Bản", "Thời", "điểm", "Mã", "nội", "dung", "Lý", "do"]  # headings (issue 15)
    assert len(lines) == 3 and lines[1].split()[-1] == "register" and lines[2].split()[-1] == "rebuild"
    old = tmp_path / "rev1.docx"
    exported = run("history", "phat-dong-thi-dua-2024", "--export", "1", "-o", str(old), "--registry", str(registry))
    assert exported.exit_code == 0 and old.read_bytes() == original
    diff = run("diff", "phat-dong-thi-dua-2024", "--registry", str(registry))
    assert diff.exit_code == 0
    assert "- 1. Các cá nhân, đơn vị, tổ chức căn cứ vào kế hoạch công tác năm 2024 để đăng ký thi đua khen thưởng;" in diff.stdout
    assert "+ 1. Các cá nhân, đơn vị, tổ chức căn cứ vào kế hoạch công tác năm 2024 để đăng ký thi đua, khen thưởng;" in diff.stdout
    listed = json.loads(run("registry", "list", "--json", "--registry", str(registry)).stdout)
    assert listed[0]["revisions"] == 2 and listed[0]["number"] == 31 and listed[0]["status"] == "issued"


def test_moving_an_issued_document_to_another_year(tmp_path, registry):
    out = tmp_path / "out"
    data = tmp_path / "sample.yaml"
    data.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    api.build(data, out_dir=out, registry=registry)
    data.write_text(data.read_text(encoding="utf-8").replace("date: 2024-01-12", "date: 2025-01-12"), encoding="utf-8")
    refused = run("build", str(data), "-o", str(out), "--registry", str(registry))
    assert refused.exit_code == 1 and "a number belongs to its year" in refused.stderr
    moved = run("build", str(data), "-o", str(out), "--registry", str(registry), "--renumber")
    assert moved.exit_code == 0, moved.output
    entries = api.registry_entries(registry)
    assert [(e.year, e.number, e.status) for e in entries] == [(2024, 31, "void"), (2025, 1, "issued")]


def test_reserve_and_void(tmp_path, registry):
    unknown = run("registry", "reserve", "--series", "CTĐP", "--year", "2031", "--registry", str(registry))
    assert unknown.exit_code == 1 and "unknown series 'CTĐP'" in unknown.stderr and "--force" in unknown.stderr
    r = run("registry", "reserve", "--series", "CTĐP", "--year", "2031", "--count", "2", "--note", "văn bản giấy",
            "--force", "--registry", str(registry))
    assert r.exit_code == 0 and r.stdout.strip() == "01, 02"
    assert run("registry", "void", "2", "--series", "CTĐP", "--year", "2031", "--reason", "hủy",
               "--registry", str(registry)).exit_code == 0
    issued = api.issue(make_data(tmp_path, year=2031), out_dir=tmp_path / "o", registry=registry,
                       date=__import__("datetime").date(2031, 2, 1))
    assert issued.document.number == 3, "reserved and void numbers are never handed out"
    bad = run("registry", "void", "3", "--series", "CTĐP", "--year", "2031", "--reason", "x", "--registry", str(registry))
    assert bad.exit_code == 1 and bad.stderr.startswith("error:") and "Traceback" not in bad.output
    closed = run("registry", "reserve", "--series", "CTĐP", "--year", "2001", "--registry", str(registry))
    assert closed.exit_code == 1 and "error:" in closed.stderr
    typo = run("registry", "void", "1", "--series", "CTDP", "--year", "2031", "--reason", "x", "--registry", str(registry))
    assert typo.exit_code == 1 and "unknown series 'CTDP'" in typo.stderr and "CTĐP" in typo.stderr
    table = run("registry", "list", "--year", "2031", "--registry", str(registry)).stdout
    assert "reserved" in table and "void" in table and "ke-hoach-2025" in table


def test_template_error_consumes_no_number(tmp_path, registry):
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "phat-dong.docx").write_bytes(b"garbage")
    with pytest.raises(TemplateError):
        api.issue(make_data(tmp_path), out_dir=tmp_path / "o", registry=registry, templates_dir=broken)
    assert api.registry_entries(registry) == []
    assert not (tmp_path / "o").exists()


def test_corrupt_registry_is_a_clear_error(tmp_path):
    bad = tmp_path / "r.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = run("build", str(SAMPLE), "-o", str(tmp_path / "o"), "--registry", str(bad))
    assert result.exit_code == 1 and str(bad) in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


KILLER = r"""
import sys, time
from dispatch_gen import api, publish
real = publish.Job.render
def slow(self, document):
    data = real(self, document)
    print("rendered", flush=True)
    time.sleep(60)
    return data
publish.Job.render = slow
api.issue(sys.argv[1], out_dir=sys.argv[2], registry=sys.argv[3])
"""


def test_issue_killed_mid_way_leaves_everything_as_it_was(tmp_path, registry):
    out = tmp_path / "out"
    api.build(SAMPLE, out_dir=out, registry=registry)  # an earlier document: 31
    before_files = sorted(p.relative_to(out) for p in out.rglob("*"))
    before_entries = api.registry_entries(registry)
    data = make_data(tmp_path, doc_id="bi-ngat", year=2024, date="2024-05-05")
    before_data = data.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(data), str(out), str(registry)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "rendered"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before_files
    assert api.registry_entries(registry) == before_entries
    assert data.read_bytes() == before_data
    assert api.issue(data, out_dir=out, registry=registry).document.number == 32


def test_missing_file_of_an_issued_document_is_restored_from_the_book(tmp_path, registry):
    out = tmp_path / "out"
    first = api.build(SAMPLE, out_dir=out, registry=registry)
    original = first.path.read_bytes()
    first.path.unlink()
    again = api.build(SAMPLE, out_dir=out, registry=registry)
    assert again.status == "restored" and again.path.read_bytes() == original
    assert len(api.history("phat-dong-thi-dua-2024", registry)) == 1


def test_pdf_without_libreoffice_uses_no_number(tmp_path, registry, monkeypatch):
    """--pdf on a machine without LibreOffice stops before the book is touched."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run("issue", str(make_data(tmp_path)), "--pdf", "-o", str(tmp_path / "o"), "--registry", str(registry))
    assert result.exit_code == 1 and "apt-get install libreoffice-writer-nogui" in result.stderr
    assert not registry.exists() and not (tmp_path / "o").exists()
    built = run("build", str(make_data(tmp_path, "d.yaml")), "-o", str(tmp_path / "o"), "--registry", str(registry))
    assert built.exit_code == 0, "build without --pdf keeps working"


def test_write_back_keeps_a_windows_file_as_it_was(tmp_path, registry):
    """A data file saved on Windows (BOM, CRLF) gets its number and date without other change."""
    data = make_data(tmp_path)
    original = data.read_text(encoding="utf-8")
    data.write_bytes(("\ufeff" + original).replace("\n", "\r\n").encode("utf-8"))
    api.issue(data, out_dir=tmp_path / "o", registry=registry, date=__import__("datetime").date(2025, 3, 5))
    raw = data.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    assert raw.count(b"\r\n") == original.count("\n") and b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    assert re.search(r"^number: 1 +# số văn bản", text, re.M) and re.search(r"^date: 2025-03-05 +#", text, re.M)
    changed = [a for a, b in zip(original.splitlines(), text.splitlines()) if a != b]
    assert len(changed) == 2 and len(text.splitlines()) == len(original.splitlines())
