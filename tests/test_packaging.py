"""The package as installed: every subpackage is declared, so `pip install .` gives a working CLI."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_declared():
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "dispatch_gen").rglob("__init__.py")}
    missing = found - declared
    assert not missing, f"add to [tool.setuptools] packages: {sorted(missing)}"


def test_console_script_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["dispatch-gen"] == "dispatch_gen.cli:main"
