"""Shared fixtures: the sample data, the seed text, and documents built for real."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
SEED = ROOT / "tests" / "fixtures" / "seed-2024-31-PDTD-CTDP-CDC.txt"  # copy of shared/reference/000_1c9ce88841a79e5d.txt


def seed_lines() -> list[str]:
    """The seed's lines from "Năm 2024 là năm bản lề…" to "Lưu: VT, VP, CĐC.", markup removed."""
    text = SEED.read_text(encoding="utf-8").replace("**", "")
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Năm 2024 là năm bản lề"))
    return lines[start:]


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample data (tests may edit it)."""
    target = tmp_path / "data.yaml"
    shutil.copy(SAMPLE, target)
    return target


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return tmp_path / "registry.sqlite"


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample dispatch built once through the public API, as a user would."""
    from dispatch_gen import api

    out = tmp_path_factory.mktemp("built")
    return api.build(SAMPLE, out_dir=out / "output", registry=out / "registry.sqlite").path


@pytest.fixture(scope="session")
def decree30_built(tmp_path_factory) -> dict[str, Path]:
    """Every data file of data/examples/decree30/ built once, in one number book: {"1.1": path, …}
    (the copy, 3.1, copies the decision 1.2 built before it)."""
    from dispatch_gen import api

    out = tmp_path_factory.mktemp("decree30")
    return {path.name.split("-", 1)[0]: api.build(path, out_dir=out / "docs", registry=out / "book.sqlite").path
            for path in sorted((ROOT / "data" / "examples" / "decree30").glob("*.yaml"))}


_IMPORT_FIGURES: list[str] = []


@pytest.fixture(scope="session")
def import_figures() -> list[str]:
    """Lines of the import corpus's figures, printed at the end of the run."""
    return _IMPORT_FIGURES


def pytest_terminal_summary(terminalreporter):
    if _IMPORT_FIGURES:
        terminalreporter.section("import on real documents: share of source lines kept")
        for line in sorted(_IMPORT_FIGURES):
            terminalreporter.write_line(line)


# -- number books on both backends ------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_cluster():
    """A real PostgreSQL server for the session (initdb + pg_ctl in a throw-away folder)."""
    import pg_cluster as cluster_mod

    reason = cluster_mod.missing()
    if reason:
        pytest.skip(reason)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    cluster = cluster_mod.Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


_DB_COUNTER = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh, empty database on the session's server (no number book in it yet)."""
    return pg_cluster.create_database(f"book_{next(_DB_COUNTER)}")


@pytest.fixture
def pg_book_url(pg_url) -> str:
    """A fresh database holding an initialised (empty) number book."""
    from dispatch_gen.book import init_book

    init_book(pg_url)
    return pg_url


@pytest.fixture(params=["sqlite", "postgresql"])
def book_address(request, tmp_path) -> str:
    """The address of an empty number book, on each backend in turn."""
    if request.param == "sqlite":
        return str(tmp_path / "registry.sqlite")
    return request.getfixturevalue("pg_book_url")
