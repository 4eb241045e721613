"""The committed templates are exactly what the builder makes from the profile."""
from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as Docx

from dispatch_gen.render.template_builder import BUILDERS, build_template, profile_folders

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = profile_folders()  # families laid out otherwise than Decree 30: party/, youth-union/


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_committed_template_matches_builder(kind):
    committed = (ROOT / "templates" / f"{kind}.docx").read_bytes()
    assert committed == build_template(kind, "decree30"), (
        f"templates/{kind}.docx is stale: run `dispatch-gen templates build`")


@pytest.mark.parametrize("profile, kind", [(p, k) for p in sorted(FOLDERS) for k in sorted(BUILDERS)])
def test_committed_profile_template_matches_builder(profile, kind):
    committed = (ROOT / "templates" / FOLDERS[profile] / f"{kind}.docx").read_bytes()
    assert committed == build_template(kind, profile), (
        f"templates/{FOLDERS[profile]}/{kind}.docx is stale: run `dispatch-gen templates build`")


def test_every_profile_folder_is_a_family_laid_out_otherwise():
    """Party and Đoàn need their own templates; the trade union's are Decree 30's."""
    assert {"party", "youth-union"} <= set(FOLDERS) and "trade-union" not in FOLDERS
    on_disk = {p.name for p in (ROOT / "templates").iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert on_disk == set(FOLDERS.values())


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_template_opens_in_python_docx_and_holds_jinja_tags(kind):
    doc = Docx(str(ROOT / "templates" / f"{kind}.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{" in text or any("{{" in c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_installed_package_carries_the_templates():
    from dispatch_gen import api

    folder = api.default_templates_dir()
    for kind in BUILDERS:
        assert (folder / f"{kind}.docx").is_file()
        for sub in FOLDERS.values():
            assert (folder / sub / f"{kind}.docx").is_file()


def test_user_templates_folder(tmp_path):
    """A clerk's own copy of a template (here: changed text) is used with --templates."""
    import io
    import zipfile

    from dispatch_gen import api
    from dispatch_gen.readers.docx_text import paragraphs
    from dispatch_gen.writers.docx_zip import Member, write_zip

    src = zipfile.ZipFile(io.BytesIO((ROOT / "templates" / "phat-dong.docx").read_bytes()))
    members = []
    for info in src.infolist():
        data = src.read(info)
        if info.filename == "word/document.xml":
            data = data.replace("Nơi nhận:".encode(), "Nơi nhận (bản sửa):".encode())
        members.append(Member.deflate(info.filename, data))
    mine = tmp_path / "mine"
    mine.mkdir()
    with open(mine / "phat-dong.docx", "wb") as fh:
        write_zip(fh, members)
    out = api.build(ROOT / "data" / "phat-dong-thi-dua-2024.yaml", out_dir=tmp_path / "o",
                    registry=tmp_path / "r.sqlite", templates_dir=mine)
    assert "Nơi nhận (bản sửa):" in paragraphs(out.path)


def test_profile_folders_are_packaged():
    """`pip install .` carries `templates/<profile>/*.docx` too, not only the top-level files."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "*/*.docx" in data["dispatch_gen.templates"]
