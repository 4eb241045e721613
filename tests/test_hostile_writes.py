"""Writing where it cannot be done: a read-only, full or impossible folder is one line for every
command that writes, and no number is taken unless the document and the data file are both
written — or the next run completes the data file from the book and says so. Leftovers of killed
runs are named after their process and swept by the next run.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hostile import (ROOT, SAMPLE, assert_one_located_error, book_entries, fill, files_under, run_cli,
                     sample_regex, tmpfs)

RESULTS = ROOT / "data" / "ket-qua-thi-dua-2024.yaml"
SEED_TXT = ROOT / "tests" / "fixtures" / "seed-2024-31-PDTD-CTDP-CDC.txt"


def _unnumbered(folder: Path) -> Path:
    """The sample without its number: `issue` must take one."""
    folder.mkdir(parents=True, exist_ok=True)
    path = sample_regex(folder, r"^number: .*$", "number:")
    return path


def _writing_commands(out: Path, data: Path, registry: Path) -> dict[str, list]:
    return {
        "build": ["build", SAMPLE, "-o", out, "--registry", registry],
        "issue": ["issue", data, "-o", out, "--registry", registry],
        "decision": ["decision", SAMPLE, "--results", RESULTS, "-o", out, "--registry", registry],
        "certificates": ["certificates", SAMPLE, "--results", RESULTS, "-o", out, "--registry", registry],
        "import": ["import", SEED_TXT, "-o", out / "imported.yaml"],
        "results-template": ["results", "template", SAMPLE, "-o", out / "ket-qua.xlsx"],
    }


@pytest.mark.parametrize("command", ["build", "issue", "decision", "certificates", "import", "results-template"])
def test_read_only_output_folder(tmp_path, command):
    data = _unnumbered(tmp_path / "data")
    before = data.read_bytes()
    with tmpfs(tmp_path / "ro", read_only=True) as ro:
        args = _writing_commands(ro / "out", data, tmp_path / "book.sqlite")[command]
        line = assert_one_located_error(run_cli(*args), ro / "out", "the file system is read-only")
        assert ".part" not in line and "Traceback" not in line
        assert files_under(ro) == []
    assert book_entries(tmp_path / "book.sqlite") == []
    assert data.read_bytes() == before


@pytest.mark.parametrize("command", ["build", "issue", "decision", "certificates", "import", "results-template"])
def test_output_under_a_file(tmp_path, command):
    data = _unnumbered(tmp_path / "data")
    (tmp_path / "afile").write_text("x")
    args = _writing_commands(tmp_path / "afile" / "sub", data, tmp_path / "book.sqlite")[command]
    assert_one_located_error(run_cli(*args), tmp_path / "afile", "a part of the path is a file, not a folder")
    assert book_entries(tmp_path / "book.sqlite") == []


@pytest.mark.parametrize("command", ["build", "issue", "decision"])
def test_full_disk_under_the_output_folder(tmp_path, command):
    data = _unnumbered(tmp_path / "data")
    before = data.read_bytes()
    with tmpfs(tmp_path / "full", size="256k") as full:
        (full / "out").mkdir()
        fill(full)
        args = _writing_commands(full / "out", data, tmp_path / "book.sqlite")[command]
        line = assert_one_located_error(run_cli(*args), full / "out", "the disk is full")
        assert ".part" not in line
        assert files_under(full / "out") == [p for p in files_under(full / "out") if p.is_dir()]
    assert book_entries(tmp_path / "book.sqlite") == []
    assert data.read_bytes() == before


def test_full_disk_where_the_data_file_is(tmp_path):
    """The data file's write-back is staged before the book commits: no number, no document."""
    with tmpfs(tmp_path / "full", size="256k") as full:
        data = full / "data.yaml"
        shutil.copy(_unnumbered(tmp_path / "src"), data)
        before = data.read_bytes()
        fill(full)
        run = run_cli("issue", data, "-o", tmp_path / "out", "--registry", tmp_path / "book.sqlite")
        assert_one_located_error(run, data, "the disk is full")
        assert data.read_bytes() == before
        assert sorted(p.name for p in full.iterdir()) == ["data.yaml", "filler"]
    assert book_entries(tmp_path / "book.sqlite") == []
    assert [p for p in files_under(tmp_path / "out") if p.is_file()] == []


def test_file_size_limit_is_one_line(tmp_path):
    """Without root (no tmpfs), `ulimit -f` gives the same kind of failure: EFBIG."""
    data = _unnumbered(tmp_path)
    before = data.read_bytes()
    run = run_cli("issue", data, "-o", tmp_path / "out", "--registry", tmp_path / "book.sqlite", fsize=4096)
    assert "Traceback" not in run.stderr and run.returncode == 1, run.describe()
    assert len(run.error_lines) == 1, run.describe()
    assert re.search(r"too large|disk is full|cannot", run.error_lines[0]), run.describe()
    assert data.read_bytes() == before
    assert book_entries(tmp_path / "book.sqlite") == []


_KILLED_AFTER_COMMIT = textwrap.dedent("""
    import os, sys
    from dispatch_gen import api, publish
    def killed(job, staged):
        os._exit(9)  # the process dies between the book's commit and the data file's rename
    publish._commit_write_back = killed
    api.issue(sys.argv[1], out_dir=sys.argv[2], registry=sys.argv[3])
""")


def test_a_run_killed_after_the_commit_is_completed_by_the_next_build(tmp_path):
    data = _unnumbered(tmp_path)
    before = data.read_bytes()
    out, registry = tmp_path / "out", tmp_path / "book.sqlite"
    child = subprocess.run([sys.executable, "-c", _KILLED_AFTER_COMMIT, data, out, registry],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    assert child.returncode == 9, child.stderr.decode()
    assert [row[2:4] for row in book_entries(registry)] == [(1, "issued")]
    assert data.read_bytes() == before, "the kill came before the data file was renamed"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert len(leftovers) == 1 and re.fullmatch(r"\.data\.yaml\.dg\d+-\d+\.\w+\.part", leftovers[0])

    run = run_cli("build", data, "-o", out, "--registry", registry)
    assert run.returncode == 0, run.describe()
    assert "number 01 and date recorded from the book (an earlier run stopped before writing them back)" in run.stderr
    assert re.search(r"(?m)^number: 1$", data.read_text(encoding="utf-8"))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")], "the dead run's leftover is swept"
    again = run_cli("build", data, "-o", out, "--registry", registry)
    assert "unchanged" in again.stderr and "recorded" not in again.stderr
    assert [row[2:4] for row in book_entries(registry)] == [(1, "issued")]


def _dead_tag() -> str:
    """`dg<pid>-<start>` of a process that has ended."""
    child = subprocess.run([sys.executable, "-c", "from dispatch_gen.writers.leftovers import owner_tag; print(owner_tag())"],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=True)
    return child.stdout.strip()


def test_leftovers_of_dead_processes_are_swept_and_live_ones_kept(tmp_path):
    from dispatch_gen.writers.atomic import write_bytes_atomic
    from dispatch_gen.writers.leftovers import owner_tag

    dead = _dead_tag()
    folder = tmp_path / "2024"
    folder.mkdir()
    truncated = folder / f".31-PDTD-CTDP-CDC.docx.{dead}.abc123.part"
    truncated.write_bytes(b"PK\x03\x04 truncated")
    staging = folder / f".giay-khen.{dead}.k2j4h1.new"
    staging.mkdir()
    (staging / "001.docx").write_bytes(b"half")
    mine = folder / f".other.docx.{owner_tag()}.zzz.part"
    mine.write_bytes(b"being written by this very process")
    foreign = folder / ".notes.docx.abc.part"  # not ours: never touched
    foreign.write_bytes(b"x")
    write_bytes_atomic(folder / "31-PDTD-CTDP-CDC.docx", b"complete")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["31-PDTD-CTDP-CDC.docx", mine.name, foreign.name])
    assert (folder / "31-PDTD-CTDP-CDC.docx").read_bytes() == b"complete"


def test_a_swap_killed_half_way_puts_the_old_folder_back(tmp_path):
    from dispatch_gen.writers.leftovers import sweep

    dead = _dead_tag()
    aside = tmp_path / f".giay-khen.{dead}.old"
    aside.mkdir()
    (aside / "001.docx").write_bytes(b"previous certificate")
    assert sweep(tmp_path) == [aside]
    assert (tmp_path / "giay-khen" / "001.docx").read_bytes() == b"previous certificate"
