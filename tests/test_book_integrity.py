"""A damaged or emptied SQLite book is refused for writing, found by `registry check`, and
recovered with `registry backup` / `registry restore` (SQLite's online backup API)."""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatch_gen.book import open_book
from dispatch_gen.cli import main
from dispatch_gen.errors import RegistryError

SERIES = "CĐC"


def run(*args):
    result = CliRunner().invoke(main, list(map(str, args)))
    return result.exit_code, result.stdout, result.stderr


def fill(path: Path, count: int = 120) -> None:
    """A book of real-looking issued documents whose content hash is the .docx's SHA-256."""
    with open_book(path) as book:
        for i in range(count):
            docx = f"docx {i} ".encode() * 200
            with book.issue(series=SERIES, year=2025, doc_id=f"doc-{i:03d}", symbol="PĐTĐ-CTĐP-CĐC",
                            title="V/v " + "thi đua " * 10, date="2025-02-03") as alloc:
                alloc.record(hashlib.sha256(docx).hexdigest(), [f"Đoạn {i}"], docx, "issue")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def damage(path: Path) -> None:
    """Overwrite the middle of the primary-key index page: rows still read, integrity fails."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_entries_1'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size + 12)
        f.write(bytes((i * 37 + 11) % 256 for i in range(page_size - 12)))


def test_zero_length_book_refused_not_restarted(tmp_path):
    path = tmp_path / "registry.sqlite"
    path.write_bytes(b"")
    for action in (lambda: open_book(path),
                   lambda: run("registry", "reserve", "--series", SERIES, "--year", "2099", "--force",
                               "--registry", path)):
        try:
            result = action()
        except RegistryError as exc:
            message = str(exc)
        else:
            code, _, message = result
            assert code == 1
        assert "empty (0 bytes)" in message and "registry restore" in message
        assert "\n" not in message.strip()
    assert path.read_bytes() == b""
    assert not Path(str(path) + "-wal").exists()


def test_damaged_book_refuses_reserve_and_issue_and_keeps_its_bytes(tmp_path):
    path = tmp_path / "registry.sqlite"
    fill(path)
    damage(path)
    before = path.read_bytes()
    code, out, err = run("registry", "reserve", "--series", SERIES, "--year", "2099", "--force", "--registry", path)
    assert code == 1 and out == ""
    assert "damaged" in err and "quick_check" in err and "registry restore" in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(RegistryError, match="damaged"):
        with open_book(path) as book:
            with book.issue(series=SERIES, year=2025, doc_id="new", symbol=None, title=None, date=None) as a:
                a.record("h", ["p"], b"d", "issue")
    assert path.read_bytes() == before
    code, _, err = run("registry", "check", "--registry", path)
    assert code == 1 and "integrity_check" in err


def test_check_reports_the_books_own_rules(tmp_path):
    path = tmp_path / "registry.sqlite"
    fill(path, 5)
    code, out, _ = run("registry", "check", "--registry", path)
    assert code == 0 and out.strip() == f"{path}: ok (5 numbers, 5 revisions)"
    conn = sqlite3.connect(path)
    conn.execute("UPDATE revisions SET docx = x'00' WHERE doc_id = 'doc-002'")
    conn.execute("DELETE FROM revisions WHERE doc_id = 'doc-004'")
    conn.commit()
    conn.close()
    code, _, err = run("registry", "check", "--registry", path)
    assert code == 1
    assert "document doc-002 revision 1: the stored .docx does not match its content hash" in err
    assert "number 05/2025 of series CĐC (document doc-004): no revision stored" in err
    code, _, err = run("registry", "check", "--registry", tmp_path / "none.sqlite")
    assert code == 1 and "no number book file here" in err


def test_backup_then_restore_a_damaged_book(tmp_path):
    path = tmp_path / "registry.sqlite"
    backup = tmp_path / "backups" / "so-di-2025.sqlite"
    fill(path, 40)
    with open_book(path) as live:  # a backup while another connection holds the book open
        code, out, err = run("registry", "backup", "-o", backup, "--registry", path)
        assert live.find("doc-001").number == 2
    assert code == 0 and out.strip() == str(backup) and "40 numbers, 40 revisions" in err
    assert not [p for p in backup.parent.iterdir() if p.name != backup.name]
    code, _, err = run("registry", "backup", "-o", backup, "--registry", path)
    assert code == 1 and "exists" in err

    damage(path)
    damaged = path.read_bytes()
    code, _, err = run("registry", "backup", "-o", tmp_path / "b2.sqlite", "--registry", path)
    assert code == 1 and "damaged" in err and not (tmp_path / "b2.sqlite").exists()
    backup_bytes = backup.read_bytes()
    code, out, err = run("registry", "restore", backup, "--registry", path)
    assert code == 0, err
    assert "restored" in out and "40 numbers, 40 revisions" in out
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("registry.sqlite.replaced-")]
    assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm"))] == [damaged]
    assert backup.read_bytes() == backup_bytes
    code, out, _ = run("registry", "check", "--registry", path)
    assert code == 0 and "ok (40 numbers, 40 revisions)" in out
    code, out, _ = run("registry", "reserve", "--series", SERIES, "--year", "2025", "--force", "--registry", path)
    assert (code, out.strip()) == (0, "41")


def test_restore_refuses_a_sound_book_and_a_bad_backup(tmp_path):
    path = tmp_path / "registry.sqlite"
    backup = tmp_path / "b.sqlite"
    fill(path, 3)
    assert run("registry", "backup", "-o", backup, "--registry", path)[0] == 0
    with open_book(path) as book:
        book.reserve(series=SERIES, year=2025, force=True)
    code, _, err = run("registry", "restore", backup, "--registry", path)
    assert code == 1 and "sound" in err and "--force" in err
    assert run("registry", "restore", backup, "--registry", path, "--force")[0] == 0
    with open_book(path) as book:
        assert len(book.entries()) == 3
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"")
    code, _, err = run("registry", "restore", bad, "--registry", path)
    assert code == 1 and "not a usable backup" in err and "empty" in err


def test_restore_creates_a_missing_book(tmp_path):
    path = tmp_path / "registry.sqlite"
    fill(path, 2)
    backup = tmp_path / "b.sqlite"
    assert run("registry", "backup", "-o", backup, "--registry", path)[0] == 0
    target = tmp_path / "new" / "registry.sqlite"
    code, out, err = run("registry", "restore", backup, "--registry", target)
    assert code == 0, err
    with open_book(target) as book:
        assert [e.doc_id for e in book.entries()] == ["doc-000", "doc-001"]
    assert os.listdir(target.parent) == ["registry.sqlite"] or set(os.listdir(target.parent)) <= {
        "registry.sqlite", "registry.sqlite-wal", "registry.sqlite-shm"}
