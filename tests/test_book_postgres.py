"""The shared book on a real PostgreSQL server: chosen by its address, created by `registry init`,
refusals as one line, and the same commands working unchanged on it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.book import BookAddress, book_address, open_book, redact
from dispatch_gen.book import postgres as book_pg
from dispatch_gen.cli import main
from dispatch_gen.errors import RegistryError

from pg_cluster import PASSWORD, _free_port

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env=None):
    result = CliRunner().invoke(main, list(map(str, args)), env=env)
    return result.exit_code, result.stdout, result.stderr


def one_line(message: str) -> bool:
    return "\n" not in message.strip() and "Traceback" not in message


def test_address_picks_the_backend(tmp_path, monkeypatch):
    assert book_address("postgresql://u:p@h:5432/db") == BookAddress("postgresql", "postgresql://u:p@h:5432/db")
    assert book_address("postgres://h/db").kind == "postgresql"
    assert book_address(tmp_path / "b.sqlite") == BookAddress("sqlite", str(tmp_path / "b.sqlite"))
    assert book_address("data/registry.sqlite").kind == "sqlite"
    monkeypatch.setenv("DISPATCH_GEN_REGISTRY", "postgresql://office@db.local/so-di")
    assert book_address() == BookAddress("postgresql", "postgresql://office@db.local/so-di")
    assert redact("postgresql://van-thu:mat-khau@h:5432/db") == "postgresql://van-thu@h:5432/db"
    with pytest.raises(RegistryError, match="unknown number book address"):
        book_address("mysql://u:pw@h/db")
    with pytest.raises(RegistryError) as err:
        book_address("mysql://u:pw@h/db")
    assert "pw" not in str(err.value)


def test_server_address_never_becomes_a_file(tmp_path, monkeypatch, pg_cluster):
    """Today's bug: `--registry postgresql://…` silently created a SQLite file of that name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISPATCH_GEN_REGISTRY_RETRY", "0")
    code, out, err = run("registry", "reserve", "--series", "CĐC", "--year", "2099", "--force",
                         "--registry", pg_cluster.url("no_such_db"))
    assert code == 1 and one_line(err) and 'database "no_such_db" does not exist' in err
    assert list(tmp_path.rglob("*")) == []


def test_uninitialised_database_refused_then_init_creates_and_upgrades(pg_url):
    with pytest.raises(RegistryError) as err:
        open_book(pg_url)
    assert "registry init" in str(err.value) and one_line(str(err.value))
    assert PASSWORD not in str(err.value)
    code, out, _ = run("registry", "init", "--registry", pg_url)
    assert code == 0 and f"number book created (schema version {book_pg.SCHEMA_VERSION})" in out
    assert PASSWORD not in out
    code, out, _ = run("registry", "init", "--registry", pg_url)
    assert code == 0 and "up to date" in out
    with open_book(pg_url) as book:
        assert book.entries() == [] and book.path == redact(pg_url)


def test_init_refuses_a_foreign_schema_of_that_name(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA dispatch_gen")
        conn.execute("CREATE TABLE dispatch_gen.invoices (id int)")
    with pytest.raises(RegistryError, match="not a dispatch-gen number book"):
        api.init_registry(pg_url)


def test_wrong_password_is_one_line_and_not_retried(pg_cluster, pg_book_url, monkeypatch):
    monkeypatch.setenv("DISPATCH_GEN_REGISTRY_RETRY", "30")
    bad = pg_book_url.replace(PASSWORD, "wrong-password")
    started = time.monotonic()
    code, _, err = run("registry", "list", "--registry", bad)
    assert code == 1 and one_line(err)
    assert "password authentication failed" in err and "wrong-password" not in err
    assert time.monotonic() - started < 5


def test_unreachable_server_is_one_line_after_the_retry_window(monkeypatch, tmp_path):
    monkeypatch.setenv("DISPATCH_GEN_REGISTRY_RETRY", "1")
    port = _free_port()  # nothing listens there
    url = f"postgresql://office:pw@127.0.0.1:{port}/so_di"
    started = time.monotonic()
    code, _, err = run("registry", "list", "--registry", url)
    took = time.monotonic() - started
    assert code == 1 and one_line(err)
    assert f"postgresql://office@127.0.0.1:{port}/so_di: cannot connect to the number book server" in err
    assert "Connection refused" in err
    assert 0.5 <= took < 5


def test_bad_retry_setting_refused(monkeypatch, pg_book_url):
    monkeypatch.setenv("DISPATCH_GEN_REGISTRY_RETRY", "soon")
    with pytest.raises(RegistryError, match="DISPATCH_GEN_REGISTRY_RETRY"):
        open_book(pg_book_url)


def test_newer_schema_refused(pg_book_url):
    with psycopg.connect(pg_book_url, autocommit=True) as conn:
        conn.execute("UPDATE dispatch_gen.meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(RegistryError, match="schema version 99"):
        open_book(pg_book_url)
    with pytest.raises(RegistryError, match="schema version 99"):
        api.init_registry(pg_book_url)


def test_versioned_migration_runs_once_through_init(pg_book_url, monkeypatch):
    with open_book(pg_book_url) as book:
        book.reserve(series="CĐC", year=2099, note="before")
    calls = []

    def add_column(conn):
        calls.append(1)
        conn.execute("ALTER TABLE dispatch_gen.entries ADD COLUMN remark TEXT")

    monkeypatch.setattr(book_pg, "SCHEMA_VERSION", book_pg.SCHEMA_VERSION + 1)
    monkeypatch.setitem(book_pg.MIGRATIONS, book_pg.SCHEMA_VERSION - 1, add_column)
    with pytest.raises(RegistryError, match="upgrade it to"):
        open_book(pg_book_url)
    assert api.init_registry(pg_book_url)[1:] == (book_pg.SCHEMA_VERSION - 1, book_pg.SCHEMA_VERSION)
    assert api.init_registry(pg_book_url)[1:] == (book_pg.SCHEMA_VERSION, book_pg.SCHEMA_VERSION)
    assert calls == [1]
    with open_book(pg_book_url) as book:
        assert [e.note for e in book.entries()] == ["before"]


def test_commands_work_unchanged_on_the_server_book(pg_book_url, sample_copy, tmp_path, monkeypatch):
    out = tmp_path / "output"
    code, stdout, err = run("build", sample_copy, "-o", out, "--registry", pg_book_url)
    assert code == 0, err
    assert Path(stdout.strip()).name == "31-PDTD-CTDP-CDC.docx"
    monkeypatch.setenv("DISPATCH_GEN_REGISTRY", pg_book_url)
    code, stdout, err = run("registry", "list", "--json")
    assert code == 0, err
    listed = json.loads(stdout)
    assert [(e["number"], e["status"], e["revisions"]) for e in listed] == [(31, "issued", 1)]
    code, stdout, err = run("registry", "reserve", "--series", listed[0]["series"], "--year", "2024",
                            "--count", "2", "--force")
    assert (code, stdout.strip()) == (0, "32, 33"), err
    code, stdout, err = run("registry", "void", "33", "--series", listed[0]["series"], "--year", "2024",
                            "--reason", "hỏng")
    assert code == 0, err
    text = sample_copy.read_text(encoding="utf-8").replace("Thực hành tiết kiệm", "Thực hành tiết kiệm sôi nổi", 1)
    sample_copy.write_text(text, encoding="utf-8")
    code, stdout, err = run("build", sample_copy, "-o", out)
    assert code == 0 and "new revision 2" in err
    code, stdout, err = run("history", listed[0]["id"])
    assert code == 0 and len(stdout.strip().splitlines()) == 3
    code, stdout, err = run("diff", listed[0]["id"])
    assert code == 0 and "sôi nổi" in stdout
    exported = tmp_path / "rev1.docx"
    code, stdout, err = run("history", listed[0]["id"], "--export", "1", "-o", exported)
    assert code == 0
    with open_book(pg_book_url) as book:
        assert exported.read_bytes() == book.revision(listed[0]["id"], 1).docx
        assert [e.status for e in book.entries()] == ["issued", "reserved", "void"]


def test_cli_start_up_does_not_import_the_driver():
    code = "import sys, dispatch_gen.cli, dispatch_gen.api; print('psycopg' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
