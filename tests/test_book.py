"""The number book on both backends (real SQLite files, a real PostgreSQL server): allocation,
registration, revisions, reserve/void, refusals."""
from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

import pytest

from dispatch_gen.book import DEFAULT_REGISTRY, open_book, paragraph_diff, registry_path
from dispatch_gen.book import sqlite as book_sqlite
from dispatch_gen.errors import RegistryError

SERIES = "CĐC"
TODAY = dt.date(2025, 6, 1)


def sha(paragraphs: list[str]) -> str:
    return hashlib.sha256("\n".join(paragraphs).encode()).hexdigest()


def issue(book, doc_id, *, year=2025, series=SERIES, number=None, paragraphs=None, trigger="issue"):
    paragraphs = paragraphs or [f"Công văn {doc_id}"]
    with book.issue(series=series, year=year, doc_id=doc_id, symbol=f"PĐTĐ-CTĐP-{series}",
                    title=f"V/v {doc_id}", date=f"{year}-03-0{1 + len(doc_id) % 8}", number=number) as alloc:
        alloc.record(sha(paragraphs), paragraphs, f"docx of {doc_id}".encode(), trigger)
    return alloc.number


@pytest.fixture
def book(book_address):
    """An empty book on each backend (SQLite file, PostgreSQL server)."""
    b = open_book(book_address)
    yield b
    b.close()


def test_created_on_first_use_with_parent_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "registry.sqlite"
    with open_book(path) as b:
        assert b.entries() == []
    assert path.is_file()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == book_sqlite.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_path_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("DISPATCH_GEN_REGISTRY", raising=False)
    assert registry_path() == DEFAULT_REGISTRY
    monkeypatch.setenv("DISPATCH_GEN_REGISTRY", str(tmp_path / "env.sqlite"))
    assert registry_path() == tmp_path / "env.sqlite"
    assert registry_path(tmp_path / "x.sqlite") == tmp_path / "x.sqlite"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISPATCH_GEN_REGISTRY")
    open_book().close()
    assert (tmp_path / "data" / "registry.sqlite").is_file()


def test_allocates_in_order_and_restarts_each_year(book):
    assert [issue(book, f"a{i}") for i in range(3)] == [1, 2, 3]
    assert issue(book, "b0", year=2026) == 1
    assert issue(book, "c0", series="HĐND") == 1
    assert issue(book, "a3") == 4
    assert [(e.year, e.series, e.number) for e in book.entries()] == [
        (2025, SERIES, 1), (2025, SERIES, 2), (2025, SERIES, 3), (2025, SERIES, 4),
        (2025, "HĐND", 1), (2026, SERIES, 1),
    ]
    assert [e.number for e in book.entries(year=2025, series=SERIES)] == [1, 2, 3, 4]
    entry = book.find("a1")
    assert (entry.status, entry.number, entry.symbol, entry.title, entry.revisions) == (
        "issued", 2, f"PĐTĐ-CTĐP-{SERIES}", "V/v a1", 1)
    assert book.find("nope") is None
    assert entry.as_dict() == {
        "number": 2, "series": SERIES, "year": 2025, "id": "a1", "symbol": f"PĐTĐ-CTĐP-{SERIES}",
        "title": "V/v a1", "date": entry.date, "status": "issued", "revisions": 1, "note": None}
    assert book.series_exists(SERIES) and not book.series_exists("XYZ")


def test_entries_are_ordered_by_year_series_number(book):
    issue(book, "z", year=2026, series="A")
    issue(book, "y", year=2025, series="B")
    issue(book, "x", year=2025, series="A")
    issue(book, "w", year=2025, series="A")
    assert [(e.year, e.series, e.number) for e in book.entries()] == [
        (2025, "A", 1), (2025, "A", 2), (2025, "B", 1), (2026, "A", 1)]


def test_stated_number_registers_and_later_numbers_continue_after_it(book):
    assert issue(book, "sample", number=31, trigger="register") == 31
    assert book.revisions("sample")[0].trigger == "register"
    assert issue(book, "next") == 32
    assert issue(book, "older", number=5) == 5
    assert issue(book, "after") == 33


def test_duplicate_stated_number_refused(book):
    issue(book, "sample", number=31)
    with pytest.raises(RegistryError, match="already used by document sample"):
        issue(book, "other", number=31)
    assert issue(book, "other") == 32


def test_issuing_an_issued_id_again_refused(book):
    issue(book, "a")
    with pytest.raises(RegistryError, match="already issued"):
        issue(book, "a")
    assert len(book.entries()) == 1


def test_exception_inside_issue_consumes_nothing(book):
    issue(book, "a")
    with pytest.raises(ZeroDivisionError):
        with book.issue(series=SERIES, year=2025, doc_id="b", symbol=None, title=None, date=None) as alloc:
            assert alloc.number == 2
            alloc.record("h", ["p"], b"d", "issue")
            1 / 0
    assert book.find("b") is None and book.revisions("b") == []
    assert issue(book, "c") == 2


def test_block_without_record_consumes_nothing(book):
    with book.issue(series=SERIES, year=2025, doc_id="a", symbol=None, title=None, date=None) as alloc:
        assert alloc.number == 1
    assert book.entries() == []
    with pytest.raises(RegistryError, match="after the block"):
        alloc.record("h", ["p"], b"d", "issue")
    assert book.entries() == []


def test_nested_write_inside_issue_refused(book):
    with book.issue(series=SERIES, year=2025, doc_id="a", symbol=None, title=None, date=None) as alloc:
        with pytest.raises(RegistryError, match="still open"):
            book.reserve(series=SERIES, year=2025, today=TODAY)
        alloc.record("h", ["p"], b"d", "issue")
    assert book.find("a").number == 1


def test_date_must_fall_in_the_year(book):
    with pytest.raises(RegistryError, match="not in year 2025"):
        with book.issue(series=SERIES, year=2025, doc_id="a", symbol=None, title=None, date="2024-12-31"):
            pass
    with pytest.raises(RegistryError, match="YYYY-MM-DD"):
        with book.issue(series=SERIES, year=2025, doc_id="a", symbol=None, title=None, date="31/12/2025"):
            pass
    assert book.entries() == []


def test_revision_added_on_change_not_on_same_hash(book):
    issue(book, "a", paragraphs=["one", "two"])
    assert book.add_revision("a", content_hash=sha(["one", "two"]), paragraphs=["one", "two"],
                             docx=b"same", trigger="rebuild") is None
    rev = book.add_revision("a", content_hash=sha(["one", "2"]), paragraphs=["one", "2"], docx=b"v2",
                            trigger="rebuild")
    assert (rev.rev, rev.trigger, rev.paragraphs) == (2, "rebuild", ["one", "2"])
    assert [r.rev for r in book.revisions("a")] == [1, 2]
    assert book.latest_revision("a").docx == b"v2"
    assert book.find("a").revisions == 2
    assert book.find("a").number == 1
    created = dt.datetime.fromisoformat(rev.created_at)
    assert created.utcoffset() == dt.timedelta(0)
    with pytest.raises(RegistryError, match="not issued"):
        book.add_revision("ghost", content_hash="h", paragraphs=[], docx=b"", trigger="rebuild")


def test_old_revision_docx_retrievable_byte_for_byte(book):
    blob = bytes(range(256)) * 100
    with book.issue(series=SERIES, year=2025, doc_id="a", symbol=None, title=None, date="2025-01-02") as alloc:
        alloc.record("h1", ["Điều 1.", "Điều 2."], blob, "issue")
    book.add_revision("a", content_hash="h2", paragraphs=["Điều 1."], docx=b"new", trigger="rebuild")
    book.close()
    with open_book(book.address) as again:
        old = again.revision("a", 1)
        assert old.docx == blob and old.paragraphs == ["Điều 1.", "Điều 2."] and old.content_hash == "h1"
        with pytest.raises(RegistryError, match="no revision 3"):
            again.revision("a", 3)
        with pytest.raises(RegistryError, match="no revisions"):
            again.revision("ghost", 1)


def test_reserve_and_void(book):
    issue(book, "a")
    assert book.reserve(series=SERIES, year=2025, count=3, note="typed by hand", today=TODAY) == [2, 3, 4]
    assert issue(book, "b") == 5
    voided = book.void(series=SERIES, year=2025, number=3, reason="spoilt")
    assert (voided.status, voided.note) == ("void", "spoilt")
    with pytest.raises(RegistryError, match="is issued to document a"):
        book.void(series=SERIES, year=2025, number=1, reason="x")
    with pytest.raises(RegistryError, match="not in the book"):
        book.void(series=SERIES, year=2025, number=99, reason="x")
    with pytest.raises(RegistryError, match="already void"):
        book.void(series=SERIES, year=2025, number=3, reason="x")
    with pytest.raises(RegistryError, match="void and is never reused"):
        issue(book, "c", number=3)
    statuses = {e.number: e.status for e in book.entries(series=SERIES)}
    assert statuses == {1: "issued", 2: "reserved", 3: "void", 4: "reserved", 5: "issued"}
    assert book.entries(series=SERIES)[1].note == "typed by hand"


def test_void_at_the_top_is_never_reused(book):
    book.reserve(series=SERIES, year=2025, today=TODAY)
    book.void(series=SERIES, year=2025, number=1, reason="spoilt")
    assert issue(book, "a") == 2


def test_stated_number_may_claim_a_reserved_number(book):
    book.reserve(series=SERIES, year=2025, count=2, today=TODAY)
    assert issue(book, "typed", number=2, trigger="register") == 2
    assert {e.number: (e.status, e.doc_id) for e in book.entries()} == {
        1: ("reserved", None), 2: ("issued", "typed")}


def test_closed_year_refused_without_force(book):
    with pytest.raises(RegistryError, match="year 2024 is closed"):
        book.reserve(series=SERIES, year=2024, today=TODAY)
    assert book.entries() == []
    assert book.reserve(series=SERIES, year=2024, force=True, today=TODAY) == [1]
    assert book.reserve(series=SERIES, year=2026, today=TODAY) == [1]


def test_bad_arguments_refused(book):
    with pytest.raises(RegistryError, match="count"):
        book.reserve(series=SERIES, year=2025, count=0, today=TODAY)
    with pytest.raises(RegistryError, match="series"):
        book.reserve(series=" ", year=2025, today=TODAY)
    with pytest.raises(RegistryError, match="reason"):
        book.void(series=SERIES, year=2025, number=1, reason="")
    with pytest.raises(RegistryError, match="number"):
        with book.issue(series=SERIES, year=2025, doc_id="a", symbol=None, title=None, date=None, number=0):
            pass


def test_corrupt_file_refused(tmp_path):
    path = tmp_path / "registry.sqlite"
    garbage = b"this is not a database at all \x00\xff" * 200
    path.write_bytes(garbage)
    with pytest.raises(RegistryError) as err:
        open_book(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert "corrupt" in str(err.value)
    assert path.read_bytes() == garbage


def test_foreign_sqlite_file_refused(tmp_path):
    path = tmp_path / "registry.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
        conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(RegistryError) as err:
        open_book(path)
    assert str(path) in str(err.value) and "not a dispatch-gen number book" in str(err.value)
    assert "\n" not in str(err.value)
    assert path.read_bytes() == before


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "registry.sqlite"
    open_book(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(RegistryError, match="schema version 99"):
        open_book(path)


def test_migration_hook_runs_once(tmp_path, monkeypatch):
    path = tmp_path / "registry.sqlite"
    with open_book(path) as b:
        issue(b, "a")
    calls = []

    def add_column(conn):
        calls.append(1)
        conn.execute("ALTER TABLE entries ADD COLUMN remark TEXT")

    current = book_sqlite.SCHEMA_VERSION
    monkeypatch.setattr(book_sqlite, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(book_sqlite.MIGRATIONS, current, add_column)
    with open_book(path) as b:
        assert b.find("a").number == 1
    with open_book(path) as b:
        pass
    assert calls == [1]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
    conn.close()


def test_renumber_moves_to_another_year_and_voids_the_old_number(book):
    issue(book, "a")
    issue(book, "b")
    issue(book, "x", year=2026)
    with book.renumber("b", series=SERIES, year=2026, date="2026-01-05") as alloc:
        assert alloc.number == 2
        rev = alloc.record("h-renumbered", ["moved"], b"docx 2026", "renumber")
    assert rev.rev == 2 and rev.trigger == "renumber"
    moved = book.find("b")
    assert (moved.year, moved.number, moved.date, moved.status, moved.revisions) == (2026, 2, "2026-01-05", "issued", 2)
    old = [e for e in book.entries(year=2025) if e.number == 2][0]
    assert old.status == "void" and "renumbered" in old.note and "02/2026" in old.note
    assert issue(book, "c") == 3
    with pytest.raises(RegistryError, match="another year"):
        with book.renumber("a", series=SERIES, year=2025, date="2025-05-05"):
            pass
    with pytest.raises(RegistryError, match="not issued"):
        with book.renumber("ghost", series=SERIES, year=2026, date="2026-05-05"):
            pass


def test_renumber_without_record_changes_nothing(book):
    issue(book, "a")
    with book.renumber("a", series=SERIES, year=2026, date="2026-01-05"):
        pass
    assert [(e.year, e.number, e.status) for e in book.entries()] == [(2025, 1, "issued")]


def test_paragraph_diff_shows_changed_paragraphs_and_words():
    old = ["CÔNG VĂN", "Kính gửi: Ủy ban nhân dân phường", "Căn cứ Kế hoạch số 05/KH-UBND;", "Nơi nhận:"]
    new = ["CÔNG VĂN", "Kính gửi: Ủy ban nhân dân phường", "Căn cứ Kế hoạch số 07/KH-UBND;", "Nơi nhận:",
           "- Lưu: VT."]
    out = paragraph_diff(old, new, "rev 1", "rev 2")
    lines = out.splitlines()
    assert lines[:2] == ["--- rev 1", "+++ rev 2"]
    assert "- Căn cứ Kế hoạch số 05/KH-UBND;" in lines
    assert "+ Căn cứ Kế hoạch số 07/KH-UBND;" in lines
    assert "? «05» → «07»" in lines
    assert "+ - Lưu: VT." in lines
    assert "  CÔNG VĂN" not in lines
    assert paragraph_diff(old, old, "a", "b") == ""


def test_paragraph_diff_keeps_soft_breaks_readable():
    out = paragraph_diff(["Nơi nhận:\n- Như trên;"], ["Nơi nhận:\n- Như trên;\n- Lưu: VT."], "a", "b")
    assert "-   - Như trên;" in out.splitlines()
    assert "+   - Lưu: VT." in out.splitlines()
    assert "? added «- Lưu: VT.»" in out.splitlines()
