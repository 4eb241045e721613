"""Moving an office's book: `registry copy` SQLite → PostgreSQL and back, verified by counts and
content hashes; a non-empty target refused unless --force."""
from __future__ import annotations

import hashlib

from click.testing import CliRunner

from dispatch_gen.book import open_book
from dispatch_gen.book.transfer import summarise
from dispatch_gen.cli import main

SERIES = "CĐC"


def run(*args):
    result = CliRunner().invoke(main, list(map(str, args)))
    return result.exit_code, result.stdout, result.stderr


def office_book(path) -> None:
    """Issued documents with revisions, reservations, a void, a registration and a renumbering."""
    with open_book(path) as book:
        for i in range(12):
            docx = bytes(range(256)) * 3 + f"văn bản {i}".encode()
            with book.issue(series=SERIES, year=2025, doc_id=f"cv-{i}", symbol="PĐTĐ-CTĐP-CĐC",
                            title=f"V/v phát động thi đua đợt {i}", date="2025-03-04") as alloc:
                alloc.record(hashlib.sha256(docx).hexdigest(), [f"Điều {i}.", "Nơi nhận:"], docx, "issue")
        book.add_revision("cv-3", content_hash="ab" * 32, paragraphs=["sửa"], docx=b"v2", trigger="rebuild")
        book.reserve(series=SERIES, year=2025, count=3, note="đánh máy tay", force=True)
        book.void(series=SERIES, year=2025, number=14, reason="hỏng")
        with book.issue(series="HĐND", year=2025, doc_id="nq-1", symbol="NQ-HĐND", title="Nghị quyết",
                        date="2025-05-06", number=31) as alloc:
            alloc.record("h", ["Nghị quyết"], b"nq", "register")
        with book.renumber("cv-11", series=SERIES, year=2026, date="2026-01-05") as alloc:
            alloc.record("h2", ["moved"], b"moved", "renumber")


def test_sqlite_to_postgresql_and_back_verified(tmp_path, pg_url):
    source = tmp_path / "registry.sqlite"
    office_book(source)
    with open_book(source) as src:
        expected = summarise(src)
        entries = src.entries()
    code, out, err = run("registry", "copy", "--from", source, "--to", pg_url)
    assert code == 0, err
    assert "copied and verified" in out and f"{expected.entries} numbers, {expected.revisions} revisions" in out
    assert "s3cret" not in out
    with open_book(pg_url) as pg:
        assert pg.entries() == entries
        assert summarise(pg) == expected
        assert pg.revision("cv-0", 1).docx == bytes(range(256)) * 3 + "văn bản 0".encode()
        # the counters follow the copied numbers: the next number continues the series
        with pg.issue(series=SERIES, year=2025, doc_id="after-move", symbol=None, title=None, date=None) as alloc:
            assert alloc.number == 16
        with pg.issue(series="HĐND", year=2025, doc_id="nq-2", symbol=None, title=None, date=None) as alloc:
            assert alloc.number == 32
    back = tmp_path / "back" / "registry.sqlite"
    code, out, err = run("registry", "copy", "--from", pg_url, "--to", back)
    assert code == 0, err
    with open_book(back) as copy:
        assert summarise(copy) == expected and copy.entries() == entries


def test_non_empty_target_refused_unless_force(tmp_path, pg_book_url):
    source = tmp_path / "registry.sqlite"
    office_book(source)
    with open_book(pg_book_url) as pg:
        pg.reserve(series="KHÁC", year=2099)
    code, _, err = run("registry", "copy", "--from", source, "--to", pg_book_url)
    assert code == 1 and "not empty (1 numbers, 0 revisions)" in err and "--force" in err
    with open_book(pg_book_url) as pg:
        assert [e.series for e in pg.entries()] == ["KHÁC"]
    code, out, err = run("registry", "copy", "--from", source, "--to", pg_book_url, "--force")
    assert code == 0, err
    with open_book(pg_book_url) as pg, open_book(source) as src:
        assert summarise(pg) == summarise(src)
        assert not pg.series_exists("KHÁC")
    other = tmp_path / "other.sqlite"
    open_book(other).close()
    code, _, err = run("registry", "copy", "--from", pg_book_url, "--to", source)
    assert code == 1 and "not empty" in err
    code, _, err = run("registry", "copy", "--from", source, "--to", source)
    assert code == 1 and "same book" in err
    code, _, err = run("registry", "copy", "--from", tmp_path / "missing.sqlite", "--to", other)
    assert code == 1 and "no number book here" in err


def test_backup_of_a_server_book_is_a_sqlite_file(tmp_path, pg_book_url):
    source = tmp_path / "registry.sqlite"
    office_book(source)
    assert run("registry", "copy", "--from", source, "--to", pg_book_url, "--force")[0] == 0
    backup = tmp_path / "pg-backup.sqlite"
    code, out, err = run("registry", "backup", "-o", backup, "--registry", pg_book_url)
    assert code == 0, err
    with open_book(backup) as b, open_book(pg_book_url) as pg:
        assert summarise(b) == summarise(pg)
    code, out, _ = run("registry", "check", "--registry", pg_book_url)
    assert code == 1  # cv-3's second revision has a made-up content hash: check says so
    code, _, err = run("registry", "check", "--registry", pg_book_url)
    assert "cv-3 revision 2" in err and "s3cret" not in err
