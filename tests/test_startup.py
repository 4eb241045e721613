"""Start-up: each command loads only what it uses (a structural test; the timing is in bench/startup.py).

Each case runs in a fresh interpreter and lists the modules loaded once the command is done.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "phat-dong-thi-dua-2024.yaml"
RESULTS = ROOT / "data" / "ket-qua-thi-dua-2024.yaml"

# Heavy libraries, and our own modules that pull them in: none is for every command.
HEAVY = ("pypdf", "matplotlib", "openpyxl", "lxml", "docx", "docxtpl", "PIL", "numpy", "psycopg", "psycopg2",
         "pyhanko", "asn1crypto", "cryptography", "flask", "fastapi", "starlette", "uvicorn", "aiohttp", "django",
         "werkzeug", "hypothesis", "playwright", "selenium", "babel")
HEAVY_OURS = ("dispatch_gen.check", "dispatch_gen.campaign", "dispatch_gen.readers.docx_import",
              "dispatch_gen.writers.pdf", "dispatch_gen.writers.preview", "dispatch_gen.publish",
              "dispatch_gen.web", "dispatch_gen.sign", "dispatch_gen.writers.sign")

_PROBE = r"""
import json, sys
argv = json.loads(sys.argv[1])
from dispatch_gen.cli import main
if argv:
    try:
        main(argv, standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def loaded(argv: list[str], tmp_path: Path) -> set[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DISPATCH_GEN_REGISTRY": str(tmp_path / "book.sqlite"),
           "DISPATCH_GEN_CACHE": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(argv)], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def heavy_in(modules: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    top = {m.split(".")[0] for m in modules}
    found = [m for m in HEAVY if m in top and m not in allowed]
    found += [m for m in HEAVY_OURS if m in modules and m not in allowed]
    return found


def test_importing_the_cli_loads_no_heavy_library(tmp_path):
    assert heavy_in(loaded([], tmp_path)) == []


def test_importing_the_cli_loads_neither_pydantic_nor_jinja(tmp_path):
    """The command line itself needs click only: --help answers at once."""
    modules = loaded(["--help"], tmp_path)
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "jinja2", "ruamel")}


def test_validate_loads_only_the_data_reader(tmp_path):
    data = tmp_path / "d.yaml"
    shutil.copy(SAMPLE, data)
    assert heavy_in(loaded(["validate", str(data)], tmp_path)) == []


def test_build_loads_no_pdf_chart_workbook_or_check_code(tmp_path):
    data = tmp_path / "d.yaml"
    shutil.copy(SAMPLE, data)
    argv = ["build", str(data), "-o", str(tmp_path / "out")]
    loaded(argv, tmp_path)  # first build registers the number
    modules = loaded(argv, tmp_path)  # the build the issue measures: already issued, unchanged
    assert (tmp_path / "out" / "2024" / "31-PDTD-CTDP-CDC.docx").is_file()
    assert heavy_in(modules, allowed=("lxml", "dispatch_gen.publish")) == []


def test_registry_commands_load_only_the_book(tmp_path):
    assert heavy_in(loaded(["registry", "list"], tmp_path)) == []
    assert not {m for m in loaded(["registry", "list"], tmp_path) if m.split(".")[0] in ("pydantic", "jinja2")}


def test_results_check_of_a_yaml_file_loads_neither_excel_nor_charts(tmp_path):
    modules = loaded(["results", "check", str(SAMPLE), "--results", str(RESULTS)], tmp_path)
    top = {m.split(".")[0] for m in modules}
    assert not top & {"openpyxl", "matplotlib", "pypdf"}


@pytest.mark.parametrize("module", ["dispatch_gen.api", "dispatch_gen.campaign"])
def test_package_entry_points_are_light(module, tmp_path):
    out = subprocess.run([sys.executable, "-c", f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert heavy_in(set(json.loads(out.stdout)), allowed=("dispatch_gen.campaign",)) == []
